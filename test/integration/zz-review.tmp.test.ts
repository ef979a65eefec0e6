import { afterEach, describe, it } from 'vitest';
import { createTestBot, type TestBot } from '../helpers/bot.js';
import { templateCard } from '../../adapters/wecom/render.js';
import { dutyText } from '../../bot/scheduler/jobs.js';

const at = (local: string) => new Date(`${local}+08:00`);

describe('review', () => {
  let t: TestBot;
  afterEach(async () => t?.close());
  it('chatter with number; digest by a reporter', async () => {
    t = await createTestBot({}, undefined, at('2026-11-23T09:00:00'));
    await t.say('zhang-li', 'intake', '门诊3楼打印机卡纸，资产号PC-0231');
    const n = (await t.bot.db.ticket.findFirstOrThrow()).number;
    await t.say('li-na', 'intake', `催一下${n}`);
    console.log('TICKETS', (await t.bot.db.ticket.findMany()).map((x) => [x.number, x.title]));
    console.log('LAST', JSON.stringify((await t.transcript('intake')).slice(-2)));
    await t.say('zhang-li', 'intake', '日报');
    const d = (await t.transcript('intake')).at(-1)!;
    console.log('DIGEST-TO-REPORTER', d.card?.title);
    console.log('WECOM DIGEST', JSON.stringify(templateCard(d.card!, 't', 'bot')));
  });
});
