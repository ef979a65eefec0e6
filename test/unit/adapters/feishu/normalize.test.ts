import { describe, expect, it } from 'vitest';
import { BotAddedEvent, botAddedToEvent, CardActionEvent, cardActionToEvent, MessageEvent, messageToEvent } from '../../../../adapters/feishu/normalize.js';
import { fixture } from '../../../helpers/feishu-events.js';

/** What the SDK's dispatcher hands a handler: header and event merged. */
const flat = (payload: any) => ({ ...payload.header, ...payload.event });

describe('Feishu normalization', () => {
  it('turns the documented message event into a neutral message, mention of the bot removed', () => {
    const payload = fixture('im.message.receive_v1');
    payload.event.message.mentions[0].id.open_id = 'ou_bot';
    const event = messageToEvent(MessageEvent.parse(flat(payload)), 'ou_bot')!;
    expect(event).toMatchObject({
      platform: 'feishu',
      eventId: 'om_5ce6d572455d361153b7cb51da133945',
      kind: 'message',
      chat: { id: 'oc_5ce6d572455d361153b7xx51da133945', type: 'group' },
      user: { platformId: 'ou_84aad35d084aa403a838cf73ee18467', altIds: ['e33ggbyz', 'on_8ed6aa67826108097d9ee143816345'] },
      text: 'hello',
      mentionsBot: true,
      mentions: [],
    });
  });

  it('marks a message posted in a thread (a non-empty thread_id), and only such a message', () => {
    const payload = fixture('im.message.receive_v1');
    expect(payload.event.message.thread_id).toBe('');
    expect(messageToEvent(MessageEvent.parse(flat(payload)), 'ou_bot')).not.toHaveProperty('inThread');
    payload.event.message.thread_id = 'omt_d4be107c616';
    expect(messageToEvent(MessageEvent.parse(flat(payload)), 'ou_bot')).toMatchObject({ inThread: true });
  });

  it('keeps other people mentioned, by name, and reads rich-text posts with images', () => {
    const payload = fixture('im.message.receive_v1');
    payload.event.message.message_type = 'post';
    payload.event.message.content = JSON.stringify({
      title: '打印机故障',
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: 'Tom' },
          { tag: 'text', text: ' 请看截图' },
        ],
        [{ tag: 'img', image_key: 'img_v2_abc' }],
      ],
    });
    const event = messageToEvent(MessageEvent.parse(flat(payload)), 'ou_bot')!;
    expect(event.text).toBe('打印机故障 @Tom 请看截图');
    expect(event.mentionsBot).toBe(false);
    expect(event.mentions).toEqual([{ platformId: 'ou_84aad35d084aa403a838cf73ee18467', name: 'Tom' }]);
    expect(event.attachments).toEqual([{ kind: 'image', key: 'img_v2_abc' }]);
  });

  it('knows its own mention by its name while its open_id is not known, and a person named otherwise is a person', () => {
    const payload = fixture('im.message.receive_v1');
    payload.event.message.mentions[0].id = { open_id: 'ou_someone', union_id: 'on_x', user_id: 'u_x' };
    payload.event.message.mentions[0].name = '信息科助手';
    expect(messageToEvent(MessageEvent.parse(flat(payload)), { name: '信息科助手' })).toMatchObject({ mentionsBot: true, text: 'hello' });
    payload.event.message.mentions[0].name = 'Tom';
    expect(messageToEvent(MessageEvent.parse(flat(payload)), { name: '信息科助手' })).toMatchObject({ mentionsBot: false, mentions: [{ name: 'Tom' }] });
  });

  it('treats direct chats as addressed to the bot and ignores senders that are not people', () => {
    const payload = fixture('im.message.receive_v1');
    payload.event.message.chat_type = 'p2p';
    payload.event.message.mentions = [];
    expect(messageToEvent(MessageEvent.parse(flat(payload)), 'ou_bot')).toMatchObject({ chat: { type: 'direct' }, mentionsBot: true });
    payload.event.sender.sender_type = 'app';
    expect(messageToEvent(MessageEvent.parse(flat(payload)), 'ou_bot')).toBeUndefined();
  });

  it('turns the documented card callback into an action on the clicked message', () => {
    const payload = fixture('card.action.trigger');
    payload.event.action.value = { action: 'ticket.claim', value: { ticket: 'IT-20261123-0001' } };
    payload.event.action.form_value = { comment: '已处理' };
    expect(cardActionToEvent(CardActionEvent.parse(flat(payload)))).toMatchObject({
      kind: 'action',
      eventId: 'f7984f25108f8137722bb63cee927e66',
      user: { platformId: 'ou_3c14f3a59eaf2825dbe25359f15211a3' },
      action: { name: 'ticket.claim', value: { ticket: 'IT-20261123-0001' }, form: { comment: '已处理' } },
      replyTo: { platform: 'feishu', chatId: 'oc_5ce6d572455d361153b7xx51da133945', messageId: 'om_x100b5e95d5d8a0b00427bb7e1bbf6b8' },
    });
  });

  it('turns the documented bot-added event into the bot’s arrival in that group, by whoever added it', () => {
    expect(botAddedToEvent(BotAddedEvent.parse(flat(fixture('im.chat.member.bot.added_v1'))))).toEqual({
      platform: 'feishu',
      eventId: '5e3702a84e847582be8db7fb73283c02',
      kind: 'joined',
      chat: { id: 'oc_413871f6cd8cbf4b3b8b8ed8c1b4bd5d', type: 'group' },
      user: { platformId: 'ou_84aad35d084aa403a838cf73ee18467', altIds: ['e33ggbyz', 'on_8ed6aa67826108097d9ee143816345'] },
      mentionsBot: false,
      attachments: [],
    });
    const { chat_id: _chat, ...withoutChat } = flat(fixture('im.chat.member.bot.added_v1'));
    expect(BotAddedEvent.safeParse(withoutChat).success).toBe(false);
  });

  it('refuses a callback whose value is not one of our buttons', () => {
    expect(CardActionEvent.safeParse(flat(fixture('card.action.trigger'))).success).toBe(false);
  });
});
