import { createCipheriv, randomUUID } from 'node:crypto';
import type { WeComCrypto } from '../../adapters/wecom/crypto.js';
import { FailureInjection } from './failure-injection.js';
import { templateCardProblem, WECOM_APP_CARD, WECOM_ROBOT_CARD } from './wecom-rules.js';

/**
 * An injected failure: an errcode in the JSON answer (40014 / 42001 also make every token issued so
 * far invalid), an HTTP status, or no answer for `hang` ms; `pass` lets that call through.
 */
export type Failure = { errcode: number } | { status: number } | { hang: number } | { pass: true };

/** A member of the stand-in's address book (user/get, user/list). */
export interface WeComMember {
  userid: string;
  name: string;
  department: number[];
  mobile?: string;
  email?: string;
  /** 1 active (the default), 2 disabled, 4 not activated, 5 left. */
  status?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * WeCom documents no code for a response_url used twice or past its hour: this one ("invalid
 * code") stands for it. The adapter reads any refusal of a URL as the URL spent.
 */
export const SPENT_REPLY_URL = 40029;

const bytes = (text: unknown) => Buffer.byteLength(typeof text === 'string' ? text : '', 'utf8');

/**
 * A local server posing as the WeCom API: gettoken, message/send, update_template_card,
 * appchat/send, webhooks, the smart robot's response_url and the address book (user/get,
 * department/list, department/get, user/list). It refuses what WeCom refuses (with WeCom's codes)
 * and, where WeCom drops a message without saying so, drops it and counts it.
 */
export class WeComApiStandIn extends FailureInjection<Failure> {
  /** The address book: members by userid, departments by id (parentid 0: the top). */
  readonly members = new Map<string, WeComMember>();
  readonly departments = new Map<number, { id: number; name: string; parentid: number }>();
  readonly sent: { touser: string; msgtype: string; body: any; at: number }[] = [];
  /** Messages message/send answered `ok` but WeCom discards: past 30 a minute or 1000 an hour to one member. */
  readonly dropped: { touser: string; body: any; at: number }[] = [];
  readonly updates: { response_code: string; template_card: any }[] = [];
  readonly webhooks: { key: string; body: any; at: number }[] = [];
  readonly appChats: { chatid: string; body: any; at: number }[] = [];
  /** What arrived through a response_url: `id` is the chat the URL was issued for. */
  readonly responses: { id: string; body: any; at: number }[] = [];
  /** Calls refused for breaking one of WeCom's rules, with the code answered. */
  readonly refused: { path: string; errcode: number; errmsg: string; at: number }[] = [];
  /** Every API call (not gettoken), failed or not, in arrival order. */
  readonly requests: { path: string; at: number; outcome: string }[] = [];
  tokenRequests = 0;
  /** Error codes the next gettoken calls answer, one each (-1 system busy, 40001 a wrong secret). */
  readonly tokenFailures: number[] = [];
  private tokens = new Set<string>();
  private seq = 0;
  private readonly replyUrls = new Map<string, { chatId: string; chatType: 'group' | 'single'; issuedAt: number; used: boolean }>();
  private readonly perMember = new Map<string, number[]>();
  private readonly files = new Map<string, Buffer>();

  /** A response_url as a smart-robot callback carries it: for one chat, usable once, for an hour. */
  responseUrl(chatId: string, chatType: 'group' | 'single' = 'group'): string {
    const code = randomUUID();
    this.replyUrls.set(code, { chatId, chatType, issuedAt: this.clock(), used: false });
    return `${this.url}/cgi-bin/aibot/response?response_code=${code}`;
  }

  /**
   * A file a robot message links to (an image, a file): served for download encrypted as WeCom
   * encrypts them, AES-256-CBC with the robot's EncodingAESKey, its first 16 bytes the IV, PKCS#7 to 32 bytes.
   */
  media(plain: Buffer, encodingAesKey: string): string {
    const key = Buffer.from(`${encodingAesKey}=`, 'base64');
    const pad = 32 - (plain.length % 32);
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const id = randomUUID();
    this.files.set(id, Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]));
    return `${this.url}/media/${id}`;
  }

  private refuse(path: string, errcode: number, errmsg: string) {
    this.refused.push({ path, errcode, errmsg, at: this.clock() });
    return { errcode, errmsg };
  }

  /** Whether WeCom delivers one more message to this member now (30 a minute, 1000 an hour); counts it when it does. */
  private memberTakes(member: string): boolean {
    const now = this.clock();
    const times = (this.perMember.get(member) ?? []).filter((t) => t > now - HOUR);
    this.perMember.set(member, times);
    if (times.filter((t) => t > now - MINUTE).length >= 30 || times.length >= 1000) return false;
    times.push(now);
    return true;
  }

  constructor() {
    super();
    const app = this.app;
    app.get('/cgi-bin/gettoken', async (req) => {
      const q = req.query as { corpid?: string; corpsecret?: string };
      this.tokenRequests++;
      if (!q.corpid || !q.corpsecret) return { errcode: 41002, errmsg: 'corpid missing' };
      const failure = this.tokenFailures.shift();
      if (failure !== undefined) return { errcode: failure, errmsg: failure === -1 ? 'system busy' : 'invalid credential' };
      const token = `tok-${++this.seq}`;
      this.tokens.add(token);
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 };
    });
    const guarded =
      (handle: (body: any, query: any) => unknown, tokens = true) =>
      async (req: { url: string; query: unknown; body: unknown }, reply: { code(n: number): { send(b: unknown): unknown } }) => {
        const next = this.nextFailure();
        const failure = next && 'pass' in next ? undefined : next;
        this.requests.push({ path: req.url.split('?')[0]!, at: this.clock(), outcome: failure ? JSON.stringify(failure) : 'ok' });
        if (failure && 'hang' in failure) {
          await this.hold(failure.hang);
          return reply.code(504).send({});
        }
        if (failure && 'status' in failure) return reply.code(failure.status).send({});
        if (failure) {
          if (failure.errcode === 42001 || failure.errcode === 40014) this.tokens.clear();
          return { errcode: failure.errcode, errmsg: failure.errcode === 42001 ? 'access_token expired' : 'injected' };
        }
        if (tokens && !this.tokens.has((req.query as { access_token?: string }).access_token ?? '')) return { errcode: 40014, errmsg: 'invalid access_token' };
        return handle(req.body, req.query);
      };
    app.post(
      '/cgi-bin/message/send',
      guarded((body) => {
        if (body.msgtype === 'markdown' && bytes(body.markdown?.content) > 2048)
          return this.refuse('message/send', 40058, 'markdown.content exceed max length 2048');
        const problem = body.msgtype === 'template_card' ? templateCardProblem(body.template_card, WECOM_APP_CARD) : undefined;
        if (problem) return this.refuse('message/send', 40058, problem);
        const msgid = `msg-${++this.seq}`;
        for (const touser of String(body.touser).split('|')) {
          if (this.memberTakes(touser.toLowerCase())) this.sent.push({ touser, msgtype: body.msgtype, body, at: this.clock() });
          else this.dropped.push({ touser, body, at: this.clock() });
        }
        return { errcode: 0, errmsg: 'ok', msgid, ...(body.msgtype === 'template_card' ? { response_code: `rc-send-${this.seq}` } : {}) };
      }),
    );
    app.post(
      '/cgi-bin/message/update_template_card',
      guarded((body) => {
        const problem = templateCardProblem(body.template_card, WECOM_APP_CARD);
        if (problem) return this.refuse('update_template_card', 40058, problem);
        this.updates.push({ response_code: body.response_code, template_card: body.template_card });
        return { errcode: 0, errmsg: 'ok' };
      }),
    );
    app.post(
      '/cgi-bin/appchat/send',
      guarded((body) => {
        if (body.msgtype === 'template_card') return this.refuse('appchat/send', 40008, 'invalid message type');
        if (body.msgtype === 'markdown' && bytes(body.markdown?.content) > 2048)
          return this.refuse('appchat/send', 40058, 'markdown.content exceed max length 2048');
        this.appChats.push({ chatid: body.chatid, body, at: this.clock() });
        return { errcode: 0, errmsg: 'ok' };
      }),
    );
    app.post('/cgi-bin/webhook/send', async (req, reply) =>
      guarded((body, query) => {
        const key = String(query.key);
        // 消息推送: 20 messages a minute each; markdown content up to 4096 bytes.
        if (this.webhooks.filter((w) => w.key === key && w.at > this.clock() - MINUTE).length >= 20)
          return this.refuse('webhook/send', 45009, 'api freq out of limit');
        if (body.msgtype === 'markdown' && bytes(body.markdown?.content) > 4096)
          return this.refuse('webhook/send', 40058, 'markdown.content exceed max length 4096. invalid Request Parameter');
        this.webhooks.push({ key, body, at: this.clock() });
        return { errcode: 0, errmsg: 'ok' };
      }, false)(req, reply),
    );
    app.get(
      '/cgi-bin/user/get',
      guarded((_body, query) => {
        const member = this.members.get(String(query.userid ?? ''));
        if (!member || member.status === 5) return { errcode: 60111, errmsg: 'userid not found' };
        return { errcode: 0, errmsg: 'ok', status: 1, ...member };
      }),
    );
    app.get(
      '/cgi-bin/department/list',
      guarded(() => ({ errcode: 0, errmsg: 'ok', department: [...this.departments.values()] })),
    );
    app.get(
      '/cgi-bin/department/get',
      guarded((_body, query) => {
        const department = this.departments.get(Number(query.id));
        return department ? { errcode: 0, errmsg: 'ok', department } : { errcode: 60123, errmsg: 'invalid party id' };
      }),
    );
    app.get(
      '/cgi-bin/user/list',
      guarded((_body, query) => {
        const id = Number(query.department_id);
        if (!this.departments.has(id)) return { errcode: 60123, errmsg: 'invalid party id' };
        const userlist = [...this.members.values()].filter((m) => m.department.includes(id) && m.status !== 5).map((m) => ({ status: 1, ...m }));
        return { errcode: 0, errmsg: 'ok', userlist };
      }),
    );
    app.get<{ Params: { id: string } }>('/media/:id', async (req, reply) => {
      const file = this.files.get(req.params.id);
      return file ? reply.type('application/octet-stream').send(file) : reply.code(404).send();
    });
    app.post('/cgi-bin/aibot/response', async (req) => {
      const code = (req.query as { response_code?: string }).response_code ?? '';
      const url = this.replyUrls.get(code);
      const body = req.body as any;
      if (!url) return this.refuse('aibot/response', SPENT_REPLY_URL, 'invalid response_code');
      if (url.used) return this.refuse('aibot/response', SPENT_REPLY_URL, 'response_code used');
      if (this.clock() - url.issuedAt > HOUR) return this.refuse('aibot/response', SPENT_REPLY_URL, 'response_code expired');
      // A template card only to a single chat.
      if (body?.msgtype === 'template_card' && url.chatType === 'group')
        return this.refuse('aibot/response', 40008, 'template_card not supported in group chat');
      if (body?.msgtype === 'markdown' && bytes(body.markdown?.content) > 20480)
        return this.refuse('aibot/response', 40058, 'markdown.content exceed max length 20480');
      const problem = body?.msgtype === 'template_card' ? templateCardProblem(body.template_card, WECOM_ROBOT_CARD) : undefined;
      if (problem) return this.refuse('aibot/response', 40058, problem);
      url.used = true;
      this.responses.push({ id: url.chatId, body, at: this.clock() });
      return { errcode: 0, errmsg: 'ok' };
    });
  }
}

/**
 * The smart robot's encrypted answer to a callback, opened as WeCom opens it: signed with the
 * callback's own nonce (a reply under another nonce is refused) and decrypted; a click is answered
 * only with `update_template_card`, a message with a stream or a template card within its limits.
 * An empty answer is `undefined`.
 */
export function passiveReply(
  crypto: WeComCrypto,
  callback: { nonce: string; kind: 'message' | 'click' },
  answer: { body: string },
): Record<string, any> | undefined {
  if (answer.body === '') return undefined;
  const envelope = JSON.parse(answer.body) as { encrypt: string; msgsignature: string; timestamp: number; nonce: string };
  if (envelope.nonce !== callback.nonce) throw new Error(`WeCom refuses the reply: its nonce ${envelope.nonce} is not the callback's ${callback.nonce}`);
  if (!crypto.verify(envelope.msgsignature, String(envelope.timestamp), envelope.nonce, envelope.encrypt))
    throw new Error('WeCom refuses the reply: bad msgsignature');
  const { message, receiveId } = crypto.decrypt(envelope.encrypt);
  if (receiveId !== '') throw new Error(`WeCom refuses the reply: receive id "${receiveId}"`);
  const reply = JSON.parse(message) as Record<string, any>;
  if (callback.kind === 'click' && reply.response_type !== 'update_template_card')
    throw new Error(`WeCom shows nothing: a click is answered only with update_template_card, not ${JSON.stringify(reply).slice(0, 80)}`);
  if (callback.kind === 'message' && !['stream', 'template_card', 'stream_with_template_card'].includes(reply.msgtype))
    throw new Error(`WeCom refuses the reply: a message is answered with a stream or a template card, not ${reply.msgtype}`);
  if (reply.stream && bytes(reply.stream.content) > 20480) throw new Error('WeCom refuses the reply: stream content over 20480 bytes');
  const problem = reply.template_card ? templateCardProblem(reply.template_card, WECOM_ROBOT_CARD) : undefined;
  if (problem) throw new Error(`WeCom refuses the reply (40058): ${problem}`);
  return reply;
}
