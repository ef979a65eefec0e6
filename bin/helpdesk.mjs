#!/usr/bin/env node
/**
 * `npx helpdesk …` (and `npm run admin -- …`): the admin command line. Runs the compiled
 * dist/bot/admin/main.js as `npm start` runs the bot: after the quick check that rebuilds dist/ when
 * the sources changed since it was built (scripts/build.mjs --if-stale). Where dist/ has not been
 * built (a checkout before `npm run build`), it runs the TypeScript sources through tsx instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'bot', 'admin', 'main.js');

/** Whether dist/ is there and up to date (rebuilt if need be; its messages go to stderr, the command's output stays its own). */
function builtIsCurrent() {
  if (!existsSync(built)) return false;
  // An installed image carries dist/ and not the sources or the build script: dist/ is what there is.
  const script = path.join(root, 'scripts', 'build.mjs');
  if (!existsSync(script)) return true;
  const check = spawnSync(process.execPath, [script, '--if-stale'], { cwd: root, stdio: ['ignore', 2, 2] });
  return check.status === 0 && existsSync(built);
}

if (builtIsCurrent()) {
  await import(pathToFileURL(built).href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error('dist/ 尚未构建，且没有安装 tsx（开发依赖）：请先运行 npm run build');
    process.exit(1);
  }
  register();
  await import(pathToFileURL(path.join(root, 'bot', 'admin', 'main.ts')).href);
}
