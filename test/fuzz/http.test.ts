import { connect } from 'node:net';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptFeishu, feishuSignature } from '../../adapters/feishu/crypto.js';
import { isCalendarDay } from '../../bot/time.js';
import { API_TOKEN } from '../helpers/bot.js';
import {
  createEveryPlatformBot,
  settledState,
  wecomAppCrypto,
  wecomQuery,
  wecomRobotCrypto,
  WECOM_CORP_ID,
  type EveryPlatformBot,
} from '../helpers/every-platform.js';
import { botAddedEvent, cardAction, ENCRYPT_KEY, messageEvent, signedRequest, VERIFICATION_TOKEN } from '../helpers/feishu-events.js';
import { FEISHU_CHAT, OPEN_ID } from '../helpers/feishu-org.js';
import { USERID, WECOM_CHAT } from '../helpers/wecom-org.js';
import { anyText, mutatedJson, type Json } from './arbitraries.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'text/xml',
    'application/xml',
    'text/csv',
    'text/csv; charset=utf-8',
    XLSX,
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'garbage',
    '*/*',
    'application/',
    ';;;',
    'application/json\u0000',
  ),
  { nil: undefined },
);

/** A body of any kind: bytes, text, JSON of any shape, XML, CSV, deep nesting. */
const body: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  anyText(500),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.anything({ maxDepth: 3, withBigInt: false }).map((v) => {
    try {
      return JSON.stringify(v) ?? '';
    } catch {
      return String(v);
    }
  }),
  fc.constantFrom(
    '',
    '{',
    '}',
    '[]',
    'null',
    '"x"',
    '1e999',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"a":1,"a":2}',
    '['.repeat(10_000) + ']'.repeat(10_000),
    '{"encrypt":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
    '\ufeff{}',
    '{"encrypt":""}',
    '{"encrypt":"AAAA"}',
    '{"encrypt":null}',
    '{"encrypt":123}',
    '{"encrypt":["x"]}',
    '{"type":"url_verification"}',
    '{"type":"url_verification","challenge":{"x":1},"token":"' + VERIFICATION_TOKEN + '"}',
    '{"schema":"2.0","header":null}',
    '<xml></xml>',
    '<xml><Encrypt></Encrypt></xml>',
    '<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>',
    '<xml><Encrypt><a>1</a></Encrypt></xml>',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>',
    '<xml>' + '<a>'.repeat(3000) + '</a>'.repeat(3000) + '</xml>',
    'date,shift,person\n2026-12-01,主班,王伟\n2026-13-45,夜班,nobody',
    '2026-12-01,,\n,,\n\n',
    ',,,,,,,,',
    '\u0000\u0001\u0002',
    'chatId=intake&userId=zhang-li&text=hi',
  ),
);

const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e9',
    'NaN',
    'P1',
    'P9',
    'open',
    'x'.repeat(3000),
    '2026-11-01',
    '2026-13-45',
    '2026-11',
    '9999-99',
    '%',
    '%zz',
    '\u0000',
    '中文',
    '[]',
  ),
  anyText(20),
);
const queryKey = fc.constantFrom(
  'msg_signature',
  'timestamp',
  'nonce',
  'echostr',
  'status',
  'priority',
  'type',
  'limit',
  'offset',
  'from',
  'to',
  'month',
  'x',
  '__proto__',
  'a[b]',
);
const query = fc.oneof(
  fc.dictionary(queryKey, queryValue, { maxKeys: 5 }).map((q) => new URLSearchParams(q).toString()),
  fc.constantFrom('', '%', '%%', '&&&', '=', 'a=%E4', 'timestamp=1&timestamp=2', 'limit=1&limit=x', 'echostr=%00'),
);

const segment = fc.oneof(
  fc.constantFrom(
    'intake',
    'user:zhang-li',
    'IT-20261124-0001',
    'INC-20261124-01',
    'fault-register.xlsx',
    'fault-register',
    'x.xlsx',
    '..',
    '%2e%2e',
    '%00',
    '%zz',
    'img-1',
    '0',
    '-1',
    '9'.repeat(30),
  ),
  anyText(20).map((s) => encodeURIComponent(s)),
);

/** Every route; `{}` marks a path segment the fuzzer fills in. */
const POST_ROUTES = [
  '/feishu/events',
  '/wecom/callback',
  '/wecom/robot',
  '/simulator/api/messages',
  '/simulator/api/actions',
  '/simulator/api/clock',
  '/simulator/api/chats',
  '/api/duty/import',
  '/api/assets/import',
];
const GET_ROUTES = [
  '/',
  '/healthz',
  '/metrics',
  '/wecom/callback',
  '/wecom/robot',
  '/simulator',
  '/simulator/api/directory',
  '/simulator/api/clock',
  '/simulator/api/chats',
  '/simulator/api/chats/{}/messages',
  '/simulator/api/images/{}',
  '/simulator/api/reports/{}',
  '/api/tickets',
  '/api/tickets/{}',
  '/api/tickets/{}/attachments/{}',
  '/api/approvals',
  '/api/stats',
  '/api/reports/{}',
  '/api/assets',
  '/api/assets/{}',
];

describe('every HTTP endpoint, fuzzed (property-based)', () => {
  let e: EveryPlatformBot;
  let before: Awaited<ReturnType<typeof settledState>>;

  const inject = (opts: InjectOptions) => e.t.bot.app.inject(opts);
  const auth = fc.constantFrom<Record<string, string>>(
    { authorization: `Bearer ${API_TOKEN}` },
    {},
    { authorization: 'Bearer wrong-token-0123456789' },
    { authorization: API_TOKEN },
  );

  /** Nothing changed, no event failed inside the bot, and the app still answers. */
  async function expectUntouched() {
    expect(await settledState(e.t.bot)).toEqual(before);
    const metrics = (await inject({ url: '/metrics' })).body;
    expect(metrics).not.toMatch(/outcome="failed"/);
    expect((await inject({ url: '/healthz' })).statusCode).toBe(200);
  }

  beforeAll(async () => {
    e = await createEveryPlatformBot();
    // Something for the routes to find: a ticket reported in the simulator.
    await e.t.say('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123');
    before = await settledState(e.t.bot);
  });
  afterAll(async () => e.close());

  it('answers any body, content type and query on every POST route without a 5xx, changing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POST_ROUTES), query, contentType, body, auth, async (route, q, type, payload, headers) => {
        const res = await inject({ method: 'POST', url: `${route}?${q}`, headers: { ...headers, ...(type ? { 'content-type': type } : {}) }, payload });
        expect(res.statusCode, `${route}?${q} ${type} ${String(payload).slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400 && res.headers['content-type']?.toString().includes('json')) expect(res.json()).toBeTypeOf('object');
      }),
      { numRuns: 300 },
    );
    await expectUntouched();
  }, 60_000);

  it('answers any path and query on every GET route without a 5xx, changing nothing', async () => {
    const url = fc.tuple(fc.constantFrom(...GET_ROUTES), segment, segment, query).map(([route, a, b, q]) => `${route.replace('{}', a).replace('{}', b)}?${q}`);
    await fc.assert(
      fc.asyncProperty(url, auth, async (path, headers) => {
        const res = await inject({ method: 'GET', url: path, headers });
        expect(res.statusCode, path).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    await expectUntouched();
  }, 60_000);

  it('refuses wrong JSON shapes on the simulator API with a reason or a Chinese toast, changing nothing', async () => {
    const wrong = fc.oneof(
      fc.constant(undefined),
      fc.constantFrom(null, 0, -5, 1e12, true, '', '   ', [], {}, ['intake'], { x: 1 }, 'x'.repeat(50_001)),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const messages = fc
      .tuple(fc.constantFrom('chatId', 'userId', 'text', 'images', 'replyTo'), wrong)
      // Only changes that make the message invalid: another person's id or a text the page sends (up to 50,000 characters) would be a real message.
      .filter(([key, v]) => {
        if (key === 'replyTo' || key === 'images') return v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
        if (key === 'text') return !(typeof v === 'string' && v.trim() !== '' && v.length <= 50_000);
        return !(key === 'userId' && typeof v === 'string');
      })
      .map(([key, v]) => ({ url: '/simulator/api/messages', payload: { chatId: 'intake', userId: 'zhang-li', text: '打印机坏了', [key]: v } }));
    const clock = wrong
      .filter((v) => typeof v !== 'number' || v <= 0 || v > 60 * 24 * 366)
      .map((v) => ({ url: '/simulator/api/clock', payload: { advanceMinutes: v } }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(messages, clock), async ({ url, payload }) => {
        const res = await inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
        expect(res.statusCode, `${url} ${JSON.stringify(payload).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json().error ?? res.json().message).toBeTruthy();
      }),
      { numRuns: 100 },
    );
    // A click of the dispatch card by a nurse, one field changed: a 400 with a reason, or a refusal toast in Chinese.
    const dispatch = await e.t.card('engineers', '新报修');
    const click = { messageId: dispatch.id, userId: 'zhang-li', action: 'ticket.claim', value: dispatch.card!.buttons[0]!.value };
    const actions = fc
      .tuple(fc.constantFrom('messageId', 'userId', 'action', 'value', 'form'), wrong)
      .filter(
        ([key, v]) =>
          !(
            key === 'userId' &&
            typeof v === 'string' &&
            e.t.bot.router['deps'].directory.isItStaff(e.t.bot.router['deps'].directory.person(v) ?? ({ roles: [] } as never))
          ),
      )
      .map(([key, v]) => ({ ...click, [key]: v }));
    await fc.assert(
      fc.asyncProperty(actions, async (payload) => {
        const res = await inject({
          method: 'POST',
          url: '/simulator/api/actions',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
        expect(res.statusCode, JSON.stringify(payload).slice(0, 300)).toBeLessThan(500);
        if (res.statusCode >= 400) return void expect(res.json().error).toBeTruthy();
        expect(res.json()).toMatchObject({ outcome: 'refused', toast: { text: expect.stringMatching(/[\u4e00-\u9fa5]/) } });
      }),
      { numRuns: 100 },
    );
    await expectUntouched();
  }, 60_000);

  it('refuses bodies over the size limits with 413, changing nothing', async () => {
    const huge = Buffer.alloc(1024 * 1024 + 10, 'a');
    for (const route of POST_ROUTES) {
      for (const type of ['application/json', 'text/xml', 'text/csv', 'text/plain']) {
        const res = await inject({ method: 'POST', url: route, headers: { 'content-type': type, authorization: `Bearer ${API_TOKEN}` }, payload: huge });
        expect(res.statusCode, `${route} ${type}`).toBeLessThan(500);
        expect(res.statusCode, `${route} ${type}`).toBeGreaterThanOrEqual(400);
      }
    }
    const xlsx = await inject({
      method: 'POST',
      url: '/api/duty/import',
      headers: { 'content-type': XLSX, authorization: `Bearer ${API_TOKEN}` },
      payload: Buffer.alloc(5 * 1024 * 1024 + 10),
    });
    expect(xlsx.statusCode).toBe(413);
    await expectUntouched();
  }, 60_000);

  it('imports a roster only when every line is right: any mistake names its line in Chinese and imports nothing', async () => {
    const field = (values: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: anyText(8) });
    const line = fc
      .tuple(
        field(['2026-12-01', '2026-12-02', '2026-02-30', '2026-13-45', '0000-00-00', '2026/12/01', '']),
        field(['主班', '夜班', 'night', '早班', '']),
        field(['王伟', 'wang-wei', '张丽', 'nobody', '']),
        fc.constantFrom(',', '，', '\t', ';'),
      )
      .map(([d, s, p, sep]) => [d, s, p].join(sep));
    const csv = fc.tuple(fc.array(line, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\r\n')).map(([lines, end]) => lines.join(end));
    await fc.assert(
      fc.asyncProperty(csv, async (text) => {
        const state = await settledState(e.t.bot);
        const res = await inject({
          method: 'POST',
          url: '/api/duty/import',
          headers: { 'content-type': 'text/csv', authorization: `Bearer ${API_TOKEN}` },
          payload: text,
        });
        expect(res.statusCode, text).toBeLessThan(500);
        if (res.statusCode === 200) {
          // Only real calendar days of real shifts for IT engineers reach the roster.
          const roster = await e.t.bot.db.dutyAssignment.findMany();
          for (const row of roster) expect(isCalendarDay(row.date), row.date).toBe(true);
          return;
        }
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toMatch(/^第 \d+ 行：[\s\S]*[\u4e00-\u9fa5]/);
        expect(await settledState(e.t.bot)).toEqual(state);
      }),
      { numRuns: 100 },
    );
    // The roster may have changed above; the rest is as it was.
    before = await settledState(e.t.bot);
  }, 60_000);

  it('refuses signed requests whose decrypted content is garbage, changing nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const inner = fc.oneof(
      anyText(200),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
      fc.constantFrom(
        '<xml>',
        '<xml><MsgType>text</MsgType></xml>',
        '<xml><FromUserName>zhangli</FromUserName></xml>',
        '{"msgid":"1"}',
        '{"from":{"userid":"zhangli"}}',
        '{"schema":"2.0"}',
      ),
    );
    const request = fc
      .tuple(fc.constantFrom('feishu', 'wecom-app', 'wecom-robot'), inner, fc.string({ maxLength: 12 }))
      .map(([door, plain, nonce]): InjectOptions => {
        if (door === 'feishu') {
          const raw = JSON.stringify({ encrypt: encryptFeishu(plain, ENCRYPT_KEY) });
          return {
            method: 'POST',
            url: '/feishu/events',
            headers: {
              'content-type': 'application/json',
              'x-lark-request-timestamp': String(now),
              'x-lark-request-nonce': nonce || 'n',
              'x-lark-signature': feishuSignature(String(now), nonce || 'n', ENCRYPT_KEY, raw),
            },
            payload: raw,
          };
        }
        if (door === 'wecom-app') {
          const encrypt = wecomAppCrypto.encrypt(plain, WECOM_CORP_ID);
          return {
            method: 'POST',
            url: `/wecom/callback?${wecomQuery(wecomAppCrypto, encrypt)}`,
            headers: { 'content-type': 'text/xml' },
            payload: `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
          };
        }
        const encrypt = wecomRobotCrypto.encrypt(plain, '');
        return { method: 'POST', url: `/wecom/robot?${wecomQuery(wecomRobotCrypto, encrypt)}`, payload: { encrypt } };
      });
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const res = await inject(req);
        expect(res.statusCode, `${req.url} ${String(req.payload).slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
    await expectUntouched();
  }, 60_000);

  it('takes signed events of the right shape with fields deleted or of another type without failing inside the bot', async () => {
    const dispatch = await e.t.card('engineers', '新报修');
    const claim = dispatch.card!.buttons[0]!.value;
    const report = '收费处电脑蓝屏，资产号PC-0420，电话8720';
    const feishuMessage = messageEvent({ from: OPEN_ID['zhang-li'], chatId: FEISHU_CHAT.intake, text: report, mentionBot: e.feishu.botOpenId });
    const feishuClick = cardAction({
      operator: OPEN_ID['liu-yang'],
      chatId: FEISHU_CHAT.engineers,
      messageId: 'om_dispatch',
      value: { action: 'ticket.claim', value: claim },
    });
    const robotMessage = {
      msgid: 'm1',
      aibotid: 'bot',
      chatid: WECOM_CHAT.intake,
      chattype: 'group',
      from: { userid: USERID['zhang-li'] },
      response_url: `${e.wecom.url}/response/x`,
      msgtype: 'text',
      text: { content: `@信息科助手 ${report}` },
    };
    const robotClick = {
      msgid: 'm2',
      chatid: WECOM_CHAT.engineers,
      chattype: 'group',
      from: { userid: USERID['zhang-li'] },
      msgtype: 'event',
      event: { eventtype: 'template_card_event', template_card_event: { event_key: 'ticket.claim', task_id: 't1' } },
    };
    const feishuAdded = botAddedEvent({ by: OPEN_ID['zhang-li'], chatId: 'oc_new_group', name: '新群' });
    const robotEntered = {
      msgid: 'm3',
      chatid: 'wrNewGroup',
      chattype: 'group',
      from: { userid: USERID['zhang-li'] },
      msgtype: 'event',
      event: { eventtype: 'enter_chat' },
    };
    const request = fc.oneof(
      fc.oneof(mutatedJson(feishuMessage as Json), mutatedJson(feishuClick as Json), mutatedJson(feishuAdded as Json)).map((payload): InjectOptions => {
        const signed = signedRequest(payload);
        return { method: 'POST', url: '/feishu/events', headers: signed.headers, payload: signed.body };
      }),
      fc.oneof(mutatedJson(robotMessage as Json), mutatedJson(robotClick as Json), mutatedJson(robotEntered as Json)).map((payload): InjectOptions => {
        const encrypt = wecomRobotCrypto.encrypt(JSON.stringify(payload), '');
        return { method: 'POST', url: `/wecom/robot?${wecomQuery(wecomRobotCrypto, encrypt)}`, payload: { encrypt } };
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const res = await inject(req);
        expect(res.statusCode, String(req.payload).slice(0, 300)).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
    // Some of these were still good reports (a ticket is fine); none may have failed inside the bot.
    expect((await inject({ url: '/metrics' })).body).not.toMatch(/outcome="failed"/);
    const internal = await e.t.bot.db.outbox.findMany();
    expect(internal.map((r) => JSON.stringify(r.payload)).filter((p) => p.includes('系统开小差'))).toEqual([]);
    before = await settledState(e.t.bot);
  }, 60_000);

  it('survives random bytes on the socket itself, and keeps serving', async () => {
    const address = await e.t.bot.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const send = (bytes: Buffer) =>
      new Promise<void>((resolve) => {
        const socket = connect({ port: Number(port), host: '127.0.0.1' }, () => socket.end(bytes));
        socket.on('data', () => {});
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
      });
    const request = fc.oneof(
      fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
      fc
        .tuple(
          fc.constantFrom('POST /feishu/events', 'POST /wecom/robot', 'GET /healthz', 'POST /api/duty/import', 'BREW /'),
          fc.constantFrom('HTTP/1.1', 'HTTP/9.9', ''),
          fc.uint8Array({ maxLength: 200 }),
        )
        .map(([line, version, rest]) =>
          Buffer.concat([
            Buffer.from(`${line} ${version}\r\nHost: x\r\nContent-Length: ${rest.length + 5}\r\nTransfer-Encoding: chunked\r\n\r\n`),
            Buffer.from(rest),
          ]),
        ),
    );
    await fc.assert(fc.asyncProperty(request, send), { numRuns: 100 });
    const health = await fetch(`${address}/healthz`);
    expect(health.status).toBe(200);
    await expectUntouched();
  }, 60_000);
});
