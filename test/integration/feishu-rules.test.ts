import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderCard } from '../../adapters/feishu/render.js';
import { messageEvent } from '../helpers/feishu-events.js';
import { FeishuOpenApi } from '../helpers/feishu-openapi.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';

/**
 * The Open API stand-in refuses what Feishu refuses, with the documented codes, so a test of the
 * bot fails when the bot breaks one of the platform's rules. Here the rules themselves, over HTTP.
 */
describe('the Feishu Open API stand-in keeps the platform’s rules', () => {
  let feishu: FeishuOpenApi;
  let token: string;
  beforeEach(async () => {
    feishu = new FeishuOpenApi();
    await feishu.start();
    const res = await fetch(`${feishu.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: 'cli_x', app_secret: 's' }),
    });
    token = ((await res.json()) as { tenant_access_token: string }).tenant_access_token;
  });
  afterEach(() => feishu.close());

  async function call(method: string, path: string, body: unknown): Promise<{ status: number; code: number; msg: string; data?: any }> {
    const res = await fetch(`${feishu.url}/open-apis/im/v1/messages${path}`, {
      method,
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, ...((await res.json()) as { code: number; msg: string; data?: any }) };
  }
  const send = (body: object) => call('POST', '?receive_id_type=chat_id', { receive_id: FEISHU_CHAT.intake, ...body });
  const card = (elements: object[]) => ({
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: '工单' } },
    body: { elements },
  });
  const sendCard = (c: object) => send({ msg_type: 'interactive', content: JSON.stringify(c) });

  it('refuses a card message whose request body passes 30 KB, and a text past 150 KB, with 230025', async () => {
    // The card itself is under 30 KB; escaped into `content`, its body is not.
    const big = card([{ tag: 'markdown', content: '"\\'.repeat(4_000) }]);
    expect(Buffer.byteLength(JSON.stringify(big))).toBeLessThan(30_000);
    expect(await sendCard(big)).toMatchObject({ status: 400, code: 230025 });
    expect((await sendCard(card([{ tag: 'markdown', content: '"\\'.repeat(3_500) }]))).code).toBe(0);

    expect(await send({ msg_type: 'text', content: JSON.stringify({ text: '报修'.repeat(25_001) }) })).toMatchObject({ status: 400, code: 230025 });
    expect((await send({ msg_type: 'text', content: JSON.stringify({ text: '报修'.repeat(24_000) }) })).code).toBe(0);
    expect(feishu.sent.map((m) => m.msgType)).toEqual(['interactive', 'text']);
  });

  it('refuses card JSON 2.0 with undocumented properties or values with 230099', async () => {
    const field = (extra: object) => ({
      tag: 'column_set',
      ...extra,
      columns: [{ tag: 'column', width: 'weighted', weight: 1, elements: [{ tag: 'markdown', content: '**状态**' }] }],
    });
    const button = (extra: object) => ({ tag: 'button', text: { tag: 'plain_text', content: '认领' }, behaviors: [{ type: 'callback', value: {} }], ...extra });
    const form = (inputs: object[]) => ({
      tag: 'form',
      name: 'form',
      elements: [...inputs, button({ name: 'submit_0', form_action_type: 'submit' })],
    });
    const refused = [
      card([field({ horizontal_spacing: 'default' })]),
      card([field({ horizontal_spacing: '120px' })]),
      card([field({ margin: '4 px' })]),
      card([{ tag: 'column_set', columns: [{ tag: 'column', width: 'weighted', weight: 6, elements: [] }] }]),
      card([button({ type: 'primary_blue' })]),
      card([button({ text: { tag: 'plain_text', content: '很长'.repeat(51) } })]),
      card([{ tag: 'markdown', content: '备注', text_size: 'tiny' }]),
      card([{ tag: 'markdown', content: '备注', colour: 'grey' }]),
      card([{ tag: 'note', elements: [] }]),
      card([form([{ tag: 'input', name: 'comment', placeholder: { tag: 'plain_text', content: '' } }])]),
      card([form([{ tag: 'input', placeholder: { tag: 'plain_text', content: '意见' } }])]),
      card([{ tag: 'form', name: 'form', elements: [{ tag: 'input', name: 'comment' }] }]),
      card([{ tag: 'input', name: 'comment', required: true }]),
      card([{ tag: 'chart', aspect_ratio: '3:2', chart_spec: { type: 'bar' } }]),
      card([{ tag: 'chart', chart_spec: { type: 'common', data: [], series: [], axes: null } }]),
      { ...card([]), config: { update_multi: false } },
      { ...card([]), header: { title: { tag: 'plain_text', content: '工单' }, template: 'pink' } },
      card(Array.from({ length: 201 }, () => ({ tag: 'hr' }))),
    ];
    for (const c of refused) {
      const answer = await sendCard(c);
      expect(answer, JSON.stringify(c).slice(0, 200)).toMatchObject({ status: 400, code: 230099 });
      expect(answer.msg).toMatch(/^Failed to create card content, ext=ErrCode: \d+; ErrPath: ROOT/);
    }
    expect(feishu.sent).toEqual([]);
    const taken = card([
      field({ horizontal_spacing: 'medium', margin: '4px 0' }),
      form([{ tag: 'input', name: 'comment', placeholder: { tag: 'plain_text', content: '意见' } }]),
    ]);
    expect((await sendCard(taken)).code).toBe(0);
  });

  it('refuses a reply whose reply_in_thread is not a boolean, and one in a thread where the chat has none', async () => {
    const asked = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: '打印机坏了' }).event.message.message_id;
    const reply = (extra: object) => call('POST', `/${asked}/reply`, { msg_type: 'text', content: JSON.stringify({ text: '收到' }), ...extra });
    expect(await reply({ reply_in_thread: 'true' })).toMatchObject({ status: 400, code: 99992402 });
    expect(await reply({ uuid: 'x'.repeat(51) })).toMatchObject({ status: 400, code: 99992402 });
    feishu.threadless.add(FEISHU_CHAT.intake);
    expect(await reply({ reply_in_thread: true })).toMatchObject({ status: 400, code: 230071 });
    expect(feishu.sent).toEqual([]);
    // A reply in a thread opens one under the message; without it, the reply is quoted in the chat.
    feishu.threadless.clear();
    const threaded = await reply({ reply_in_thread: true });
    expect(threaded.data.thread_id).toMatch(/^omt_/);
    expect((await reply({})).data).not.toHaveProperty('thread_id');
    expect(feishu.sent.map((m) => [m.replyInThread, m.threadId])).toEqual([
      [true, threaded.data.thread_id],
      [undefined, undefined],
    ]);
  });

  it('puts a reply to a message in a thread into that thread', async () => {
    const inThread = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: '补充一下', threadId: 'omt_report' }).event.message.message_id;
    const answer = await call('POST', `/${inThread}/reply`, { msg_type: 'text', content: JSON.stringify({ text: '收到' }), reply_in_thread: true });
    expect(answer.data.thread_id).toBe('omt_report');
  });

  it('refuses a patch of a message that is not the app’s own card, or that makes it a card of another kind', async () => {
    const theirs = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: '打印机坏了' }).event.message.message_id;
    const patch = (id: string, c: object) => call('PATCH', `/${id}`, { content: JSON.stringify(c) });
    const good = renderCard({ title: '工单', color: 'blue', fields: [], buttons: [] });
    expect(await patch(theirs, good)).toMatchObject({ status: 400, code: 230001, msg: expect.stringContaining('not the message`s sender') });
    expect(await patch('om_nowhere', good)).toMatchObject({ status: 400, code: 230001, msg: expect.stringContaining('invalid message_id') });

    const text = await send({ msg_type: 'text', content: JSON.stringify({ text: '收到' }) });
    expect(await patch(text.data.message_id, good)).toMatchObject({ status: 400, code: 230001, msg: expect.stringContaining('NOT a card') });
    const sent = await sendCard(good);
    expect(await patch(sent.data.message_id, { ...good, config: {} })).toMatchObject({ status: 400, code: 230001 });
    expect(await patch(sent.data.message_id, card([{ tag: 'markdown', content: '"\\'.repeat(4_000) }]))).toMatchObject({ status: 400, code: 230025 });
    expect((await patch(sent.data.message_id, good)).code).toBe(0);
    expect(feishu.patches).toHaveLength(1);
    expect(feishu.refused.map((r) => r.code)).toEqual([230001, 230001, 230001, 230001, 230025]);
  });
});
