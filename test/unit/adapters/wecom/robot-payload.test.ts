import { describe, expect, it } from 'vitest';
import { robotEventOf } from '../../../../adapters/wecom/callback.js';
import { buttonKey } from '../../../../adapters/wecom/render.js';

const BOT = '信息科助手';
const base = { msgid: 'm1', aibotid: 'bot', from: { userid: 'zhangli' }, response_url: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=x' };
const single = { ...base, chattype: 'single' };
const group = { ...base, chatid: 'wrIntakeGroup', chattype: 'group' };

describe('smart robot messages as events', () => {
  it('reads a voice note by its transcript, in a single chat', () => {
    const parsed = robotEventOf({ ...single, msgtype: 'voice', voice: { content: '收费处电脑蓝屏了' } }, BOT);
    expect(parsed?.event).toMatchObject({ kind: 'message', chat: { id: 'user:zhangli', type: 'direct' }, text: '收费处电脑蓝屏了', attachments: [] });
    expect(parsed?.responseUrl).toBe(base.response_url);
  });

  it('reads an image and a file as attachments, with the key the long connection gives', () => {
    expect(robotEventOf({ ...single, msgtype: 'image', image: { url: 'https://x/img' } }, BOT)?.event.attachments).toEqual([
      { kind: 'image', key: 'https://x/img' },
    ]);
    expect(robotEventOf({ ...single, msgtype: 'file', file: { url: 'https://x/f', aeskey: 'k1' } }, BOT)?.event.attachments).toEqual([
      { kind: 'file', key: 'https://x/f#k1' },
    ]);
  });

  it('reads text and images mixed, the mention of the robot left out, and a quoted voice note', () => {
    const parsed = robotEventOf(
      {
        ...group,
        msgtype: 'mixed',
        mixed: {
          msg_item: [
            { msgtype: 'text', text: { content: `@${BOT} 打印机卡纸` } },
            { msgtype: 'image', image: { url: 'https://x/1' } },
          ],
        },
        quote: { msgtype: 'voice', voice: { content: '三楼也一样' } },
      },
      BOT,
    );
    expect(parsed?.event).toMatchObject({
      chat: { id: 'wrIntakeGroup', type: 'group' },
      text: '打印机卡纸 （引用：三楼也一样）',
      attachments: [{ kind: 'image', key: 'https://x/1' }],
    });
  });

  it('reads a card click nested under template_card_event (the documentation) and flat on the event (the SDK)', () => {
    const key = buttonKey({ label: '认领', action: 'ticket.claim', value: { ticket: 'IT-20261124-0001' } });
    const nested = robotEventOf(
      { ...group, msgtype: 'event', event: { eventtype: 'template_card_event', template_card_event: { event_key: key, task_id: 't1' } } },
      BOT,
    );
    const flat = robotEventOf({ ...group, msgtype: 'event', event: { eventtype: 'template_card_event', event_key: key, task_id: 't1' } }, BOT);
    for (const parsed of [nested, flat]) {
      expect(parsed?.event).toMatchObject({
        kind: 'action',
        action: { name: 'ticket.claim', value: { ticket: 'IT-20261124-0001' } },
        replyTo: { platform: 'wecom', chatId: 'wrIntakeGroup', messageId: 't1' },
      });
    }
    expect(robotEventOf({ ...group, msgtype: 'event', event: { eventtype: 'feedback_event' } }, BOT)).toBeUndefined();
  });
});
