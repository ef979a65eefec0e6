import type { FastifyBaseLogger } from 'fastify';
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

/**
 * The WeCom server API over HTTP: the self-built application (access token cached and refreshed
 * single-flight, message/send, update_template_card) and group webhooks (20 messages a minute each).
 */
export class WeComApi {
  private token: { value: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  private readonly webhooks: RateLimiter;
  private readonly now: () => number;

  constructor(private readonly opts: WeComApiOptions) {
    this.now = opts.now ?? Date.now;
    this.webhooks = new RateLimiter(20, 60_000, opts.now);
  }

  private async fetchJson(url: string, init?: RequestInit): Promise<Reply> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new RetryableSendError(`WeCom unreachable: ${(err as Error).message}`);
    }
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

  /** A message from the application to one person; template cards answer a response_code. */
  async send(userid: string, body: Record<string, unknown>): Promise<{ msgid?: string; responseCode?: string }> {
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

  /** A reply through a smart-robot message's response_url (valid for an hour). */
  async respond(url: string, body: Record<string, unknown>): Promise<void> {
    const reply = await this.fetchJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if ((reply.errcode ?? 0) !== 0) throw new PermanentSendError(`WeCom response_url failed: ${reply.errcode} ${reply.errmsg ?? ''}`);
  }
}
