import type { Directory } from '../../bot/org/directory.js';
import { createTestBot, type TestBot } from './bot.js';
import { feishuEnv } from './feishu-events.js';
import { FeishuOpenApi } from './feishu-openapi.js';
import { feishuDirectory } from './feishu-org.js';

/** A started bot on the test Feishu app (simulator off), its Open API a fresh local stand-in; the sample hospital with Feishu ids unless told. */
export async function createFeishuTestBot(
  env: Record<string, string> = {},
  before?: (feishu: FeishuOpenApi) => void,
  directory: Directory = feishuDirectory(),
): Promise<{ feishu: FeishuOpenApi; t: TestBot }> {
  const feishu = new FeishuOpenApi();
  await feishu.start();
  // What the stand-in does before the bot starts (a failure of the first calls).
  before?.(feishu);
  const t = await createTestBot({ SIMULATOR: 'off', ...feishuEnv(feishu.url), ...env }, directory);
  await t.bot.start();
  return { feishu, t };
}
