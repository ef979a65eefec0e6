import type { FastifyBaseLogger } from 'fastify';
import { Reachability } from '../shared/connection.js';
import { RateLimiter } from '../shared/rate-limit.js';
import { PermanentSendError, RetryableSendError } from '../../bot/chat/ports.js';

/** Token expired or invalid: fetch a new one and retry once. */
const TOKEN_INVALID = new Set([40014, 42001, 40001]);

export type Reply = { errcode?: number; errmsg?: string; [key: string]: unknown };

export interface WeComApiOptions {
  /** The API base URL: https://qyapi.weixin.qq.com or a test server. */
  base: string;
  corpId?: string;
  secret?: string;
  agentId?: string;
  log: FastifyBaseLogger;
  timeoutMs?: number;
  now?: () => number;
}

/** A WeCom error code as a send failure: limits and busy are retried later, the rest is final. */
export function failureOf(code: number, what: string, errmsg?: string): Error {
  if (code === 45009) return new RetryableSendError(`WeCom frequency limit (45009)`, 60_000, code);
  if (code === -1) return new RetryableSendError('WeCom system busy (-1)', 5_000, code);
  return new PermanentSendError(`WeCom ${what} failed: ${code} ${errmsg ?? ''}`, code);
}

/** Over a limit WeCom drops silently (a member's messages, an app chat's): handed back to be tried when a slot frees. */
function paced(limiters: RateLimiter[], key: string, count: number, what: string): void {
  const wait = Math.max(...limiters.map((l) => l.untilFree(key, count)));
  if (wait > 0) throw new RetryableSendError(`WeCom ${what}`, wait);
}

/**
 * The WeCom server API over HTTP: the self-built application (access token cached and refreshed
 * single-flight, message/send paced per member, update_template_card, appchat/send), group
 * webhooks (20 messages a minute each) and the smart robot's response_url.
 */
export class WeComApi {
  /** Whether the API answered the last call (any answer) or could not be reached. */
  readonly reach: Reachability;
  private token: { value: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  private readonly webhooks: RateLimiter;
  /** An application may send a member 30 messages a minute and 1000 an hour; WeCom discards the rest unsaid. */
  private readonly members: RateLimiter[];
  /** A member gets at most 200 messages a minute from the app's chats (counted per chat: their members are not known). */
  private readonly appChats: RateLimiter;
  private readonly now: () => number;

  constructor(private readonly opts: WeComApiOptions) {
    this.now = opts.now ?? Date.now;
    this.webhooks = new RateLimiter(20, 60_000, opts.now);
    this.members = [new RateLimiter(30, 60_000, opts.now), new RateLimiter(1000, 60 * 60_000, opts.now)];
    this.appChats = new RateLimiter(200, 60_000, opts.now);
    this.reach = new Reachability(opts.base);
  }

  /** Milliseconds until `count` more messages to this member fit WeCom's limits (0: now). */
  memberWait(userid: string, count = 1): number {
    return Math.max(...this.members.map((l) => l.untilFree(userid.toLowerCase(), count)));
  }

  /** Milliseconds until `count` more pushes through this webhook fit its 20 a minute (0: now). */
  webhookWait(key: string, count = 1): number {
    return this.webhooks.untilFree(key, count);
  }

  private async fetchJson(url: string, init?: RequestInit): Promise<Reply> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    } catch (err) {
      this.reach.unreachable(err);
      throw new RetryableSendError(`WeCom unreachable: ${(err as Error).message}`);
    }
    this.reach.reached();
    if (res.status === 429 || res.status >= 500) throw new RetryableSendError(`WeCom HTTP ${res.status}`, undefined, res.status);
    try {
      return (await res.json()) as Reply;
    } catch {
      throw new RetryableSendError(`WeCom answered HTTP ${res.status} without JSON`);
    }
  }

  /** The access token, fetched once for everyone waiting (7200 s, renewed 5 min early). */
  private accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return Promise.resolve(this.token.value);
    this.refreshing ??= (async () => {
      try {
        const { corpId, secret, base } = this.opts;
        if (!corpId || !secret) throw new PermanentSendError('WECOM_CORP_ID and WECOM_SECRET are needed to send as the application');
        const reply = await this.fetchJson(`${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`);
        // -1 (system busy) and the frequency limit pass; a wrong corpid or secret does not.
        if (reply.errcode) throw failureOf(reply.errcode, 'gettoken', reply.errmsg);
        if (typeof reply.access_token !== 'string') throw new RetryableSendError('gettoken answered without an access_token');
        const ttl = typeof reply.expires_in === 'number' ? reply.expires_in : 7200;
        this.token = { value: reply.access_token, expiresAt: this.now() + (ttl - 300) * 1000 };
        return this.token.value;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** A read of the application API (GET with `query`), refreshing the token once; a WeCom error code throws. */
  get(path: string, query: Record<string, string> = {}): Promise<Reply> {
    return this.call(path, undefined, query);
  }

  /** POST (or GET, without a body) to the application API, refreshing the token once; 45009 and -1 are retried later. */
  private async call(path: string, body: object | undefined, query: Record<string, string> = {}): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const params = new URLSearchParams({ access_token: token, ...query });
      const init = body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : undefined;
      const reply = await this.fetchJson(`${this.opts.base}/cgi-bin/${path}?${params.toString()}`, init);
      const code = reply.errcode ?? 0;
      if (code === 0) return reply;
      if (TOKEN_INVALID.has(code) && attempt === 0) {
        this.opts.log.warn({ api: path, errcode: code }, 'wecom token rejected; refreshing');
        // Only the token this call used: another call may have fetched a new one meanwhile.
        if (this.token?.value === token) this.token = undefined;
        continue;
      }
      this.opts.log.warn({ api: path, errcode: code, errmsg: reply.errmsg }, 'wecom api call failed');
      // A token refused again says nothing about the message: it is sent again later.
      if (TOKEN_INVALID.has(code)) throw new RetryableSendError(`WeCom access token refused (${code})`, undefined, code);
      throw failureOf(code, path, reply.errmsg);
    }
  }

  /**
   * A message from the application to one person; template cards answer a response_code. Paced to
   * the member's 30 a minute and 1000 an hour: past them it is handed back with when to try again.
   */
  async send(userid: string, body: Record<string, unknown>): Promise<{ msgid?: string; responseCode?: string }> {
    const member = userid.toLowerCase();
    paced(this.members, member, 1, 'limit per member: 30 messages a minute, 1000 an hour');
    for (const limiter of this.members) limiter.tryTake(member);
    const reply = await this.call('message/send', { touser: userid, agentid: Number(this.opts.agentId), ...body });
    return { msgid: reply.msgid as string | undefined, responseCode: reply.response_code as string | undefined };
  }

  /** Updates a template card for everyone who received it, with a response_code (single use). */
  async updateTemplateCard(responseCode: string, card: Record<string, unknown>): Promise<void> {
    await this.call('message/update_template_card', { atall: 1, agentid: Number(this.opts.agentId), response_code: responseCode, template_card: card });
  }

  /**
   * A group push through a webhook (消息推送): at most 20 a minute per webhook. Over the limit the
   * push is handed back to be retried when a slot frees (the outbox keeps it and the chat's order),
   * rather than holding the sender for up to a minute while other chats wait.
   */
  async webhook(key: string, body: Record<string, unknown>): Promise<void> {
    const wait = this.webhooks.tryTake(key);
    if (wait > 0) throw new RetryableSendError('WeCom webhook limit: 20 messages a minute', wait);
    const reply = await this.fetchJson(`${this.opts.base}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const code = reply.errcode ?? 0;
    if (code !== 0) throw failureOf(code, 'webhook', reply.errmsg);
  }

  /** A message from the application to a group chat it created (appchat/send): markdown, not template cards. */
  async appChat(chatid: string, body: Record<string, unknown>): Promise<void> {
    paced([this.appChats], chatid, 1, 'app chat limit: 200 messages a minute');
    this.appChats.tryTake(chatid);
    await this.call('appchat/send', { chatid, ...body });
  }

  /**
   * A reply through a smart-robot message's response_url (usable once, within the hour): WeCom's
   * answer code (0 sent); no answer, or a 5xx, is a RetryableSendError.
   */
  async respond(url: string, body: Record<string, unknown>): Promise<{ errcode: number; errmsg?: string }> {
    const reply = await this.fetchJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { errcode: reply.errcode ?? 0, errmsg: reply.errmsg };
  }
}
