import type * as lark from '@larksuiteoapi/node-sdk';
import type { AxiosError, AxiosInstance, AxiosStatic } from 'axios';
import type { FastifyBaseLogger } from 'fastify';
import { Reachability } from '../shared/connection.js';
import { RateLimiter } from '../shared/rate-limit.js';
import { PermanentSendError, RetryableSendError } from '../../bot/chat/ports.js';
import { bodyBytes, bodyMaxBytes, type CreateRequest, type MessageBody, type MsgType, type PatchBody, type ReplyBody } from './requests.js';

/** Codes Feishu answers when the tenant access token is expired or invalid: refresh and retry once. */
const TOKEN_INVALID = new Set([99991663, 99991661, 99991668]);
/** Frequency limit (also sent as HTTP 429). */
const RATE_LIMITED = 99991400;

/** A failed Open API call, with what Feishu said about it; retrying the same request will not help. */
export class FeishuApiError extends PermanentSendError {
  constructor(
    readonly status: number | undefined,
    override readonly code: number | undefined,
    readonly msg: string,
    readonly logId: string | undefined,
  ) {
    super(`Feishu API error ${code ?? status}: ${msg}${logId ? ` (log_id ${logId})` : ''}`);
    this.name = 'FeishuApiError';
  }
}

/** The SDK's cache key type (it spells the symbol type as the `Symbol` wrapper). */
type CacheKey = Parameters<lark.Cache['get']>[0];

/** The SDK's token cache, owned here so an invalid token can be dropped. */
class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expire?: number }>();
  /** Bumped whenever a token is cached, so a late rejection of an older token drops nothing newer. */
  generation = 0;
  private keyOf(key: CacheKey, namespace?: string) {
    return `${namespace ?? ''}:${key.toString()}`;
  }
  async set(key: CacheKey, value: unknown, expire?: number, options?: { namespace?: string }) {
    this.values.set(this.keyOf(key, options?.namespace), { value, expire });
    this.generation++;
    return true;
  }
  async get(key: CacheKey, options?: { namespace?: string }) {
    const entry = this.values.get(this.keyOf(key, options?.namespace));
    if (!entry) return undefined;
    if (entry.expire !== undefined && entry.expire < Date.now()) return undefined;
    return entry.value;
  }
  /** Drops the cached tokens unless one was cached since `generation` (another call refreshed it). */
  invalidate(generation: number) {
    if (generation === this.generation) this.values.clear();
  }
}

/** An error of axios (what the SDK's HTTP calls throw), told without loading axios before it is used. */
const isAxiosError = (err: unknown): err is AxiosError => err instanceof Error && (err as { isAxiosError?: unknown }).isAxiosError === true;

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

let sdk: Promise<typeof lark> | undefined;
/**
 * `@larksuiteoapi/node-sdk`, loaded the first time it is needed: one 6 MB bundle (every API of
 * Feishu, the long connection, protobuf), tens of megabytes once loaded, so a bot without Feishu
 * never loads it and one with Feishu loads it after it started serving.
 */
export function larkSdk(): Promise<typeof lark> {
  return (sdk ??= import('@larksuiteoapi/node-sdk'));
}

/**
 * An axios instance like the SDK's default one (answers with the body), with a timeout. The SDK
 * asks for a tenant token whenever its cache has none; concurrent asks share one request.
 */
function httpInstance(axios: AxiosStatic, timeoutMs: number): AxiosInstance {
  const instance = axios.create({ timeout: timeoutMs });
  instance.interceptors.response.use((resp) =>
    (resp.config as { $return_headers?: boolean }).$return_headers ? { data: resp.data, headers: resp.headers } : resp.data,
  );
  const post = instance.post.bind(instance);
  let tokenRequest: Promise<unknown> | undefined;
  instance.post = ((url: string, ...rest: Parameters<typeof post> extends [string, ...infer R] ? R : never) => {
    if (!url.endsWith(TOKEN_PATH)) return post(url, ...rest);
    tokenRequest ??= post(url, ...rest).finally(() => (tokenRequest = undefined));
    return tokenRequest;
  }) as typeof instance.post;
  return instance;
}

export interface FeishuApiOptions {
  appId: string;
  appSecret: string;
  /** Open API base URL: Feishu, Lark, a private deployment or a test server. */
  domain: string;
  log: FastifyBaseLogger;
  timeoutMs?: number;
  /** Injectable for tests with fake time. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The fields of the Open API's answers this client reads. */
type Body = {
  code?: number;
  msg?: string;
  data?: { message_id?: unknown; thread_id?: unknown; user?: { mobile?: string; email?: string; enterprise_email?: string } };
  error?: { log_id?: string };
};

/**
 * The Feishu Open API through `@larksuiteoapi/node-sdk`, with Feishu's limits kept here:
 * 5 QPS per chat, 5 QPS per message for patches, 50/s per app; 429 / 99991400 become a
 * RetryableSendError carrying `x-ogw-ratelimit-reset`; an invalid token is refreshed once.
 */
export class FeishuApi {
  /** Whether the Open API answered the last call (any answer) or could not be reached. */
  readonly reach: Reachability;
  private client: Promise<lark.Client> | undefined;
  private readonly tokens = new TokenCache();
  private readonly perChat: RateLimiter;
  private readonly perMessage: RateLimiter;
  private readonly perApp: RateLimiter;

  constructor(private readonly opts: FeishuApiOptions) {
    const { now, sleep } = opts;
    this.perChat = new RateLimiter(5, 1000, now, sleep);
    this.perMessage = new RateLimiter(5, 1000, now, sleep);
    this.perApp = new RateLimiter(50, 1000, now, sleep);
    this.reach = new Reachability(opts.domain);
  }

  /** The SDK's client, made at the first call (the SDK is loaded then, see larkSdk). */
  sdk(): Promise<lark.Client> {
    return (this.client ??= Promise.all([larkSdk(), import('axios')]).then(([sdk, { default: axios }]) => {
      const { opts } = this;
      const sdkLog = opts.log.child({ component: 'lark-sdk' });
      return new sdk.Client({
        appId: opts.appId,
        appSecret: opts.appSecret,
        domain: opts.domain,
        cache: this.tokens,
        httpInstance: httpInstance(axios, opts.timeoutMs ?? 10_000) as unknown as lark.HttpInstance,
        loggerLevel: sdk.LoggerLevel.warn,
        logger: {
          error: (...msg: unknown[]) => sdkLog.debug({ sdk: msg }, 'lark sdk error'),
          warn: (...msg: unknown[]) => sdkLog.debug({ sdk: msg }, 'lark sdk warning'),
          info: () => {},
          debug: () => {},
          trace: () => {},
        },
      });
    }));
  }

  /**
   * Sends to a chat (`oc_…`) or a person (see createRequest). With `uuid`, Feishu drops a repeat of
   * the same request within an hour (at most 50 characters).
   */
  async sendToChat(chatId: string, request: CreateRequest): Promise<string> {
    await this.perChat.acquire(chatId);
    const body = await this.call('im.message.create', async (sdk) => {
      this.withinLimit(request.body);
      return sdk.im.message.create({ params: { receive_id_type: request.receiveIdType }, data: request.body });
    });
    return this.messageId(body);
  }

  /** A reply to a message, quoted under it, or in its thread (话题) with `reply_in_thread`. */
  async reply(chatId: string, messageId: string, request: ReplyBody): Promise<{ messageId: string; threadId?: string }> {
    await this.perChat.acquire(chatId);
    const body = await this.call('im.message.reply', async (sdk) => {
      this.withinLimit(request);
      return sdk.im.message.reply({ path: { message_id: messageId }, data: request });
    });
    const threadId = body.data?.thread_id;
    return { messageId: this.messageId(body), ...(typeof threadId === 'string' && threadId ? { threadId } : {}) };
  }

  async patchCard(chatId: string, messageId: string, request: PatchBody): Promise<void> {
    await this.perChat.acquire(chatId);
    await this.perMessage.acquire(messageId);
    await this.call('im.message.patch', async (sdk) => {
      this.withinLimit(request, 'interactive');
      return sdk.im.message.patch({ path: { message_id: messageId }, data: request });
    });
  }

  /** Never sends a body Feishu refuses for its size (230025): the message is refused here, for good. */
  private withinLimit(body: MessageBody, msgType: MsgType = (body as { msg_type: MsgType }).msg_type): void {
    const size = bodyBytes(body);
    if (size > bodyMaxBytes(msgType)) {
      throw new FeishuApiError(undefined, 230025, `request body of ${size} bytes is over the ${bodyMaxBytes(msgType)} bytes Feishu takes`, undefined);
    }
  }

  private messageId(body: Body): string {
    const id = body.data?.message_id;
    if (typeof id !== 'string') throw new FeishuApiError(undefined, body.code, 'no message_id in the answer', body.error?.log_id);
    return id;
  }

  /** The bot's own open_id, to tell mentions of the bot from mentions of people. */
  async botOpenId(): Promise<string | undefined> {
    const body = (await this.call('bot.info', (sdk) => sdk.request({ method: 'GET', url: '/open-apis/bot/v3/info' }))) as Body & {
      bot?: { open_id?: string };
    };
    return body.bot?.open_id;
  }

  /** A user's mobile and email (needs the contact permission), for matching people by them. */
  async contact(openId: string): Promise<{ mobile?: string; email?: string }> {
    const body = await this.call('contact.user.get', (sdk) => sdk.contact.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } }));
    const user = body.data?.user ?? {};
    return { mobile: user.mobile?.replace(/^\+86/, ''), email: user.email ?? user.enterprise_email };
  }

  async download(messageId: string, fileKey: string, type: 'image' | 'file', maxBytes: number): Promise<{ data: Buffer; mime?: string }> {
    const res = await this.call('im.messageResource.get', (sdk) =>
      sdk.im.messageResource.get({ path: { message_id: messageId, file_key: fileKey }, params: { type } }),
    );
    const resource = res as unknown as { getReadableStream(): NodeJS.ReadableStream; headers?: Record<string, string> };
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of resource.getReadableStream()) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw new FeishuApiError(undefined, undefined, `resource larger than ${maxBytes} bytes`, undefined);
      chunks.push(chunk as Buffer);
    }
    return { data: Buffer.concat(chunks), mime: resource.headers?.['content-type'] };
  }

  /** One Open API call: app-wide rate limit, token refresh once, errors translated. */
  async call(name: string, fn: (sdk: lark.Client) => Promise<unknown>): Promise<Body> {
    const sdk = await this.sdk();
    for (let attempt = 0; ; attempt++) {
      await this.perApp.acquire('app');
      const generation = this.tokens.generation;
      try {
        const body = (await fn(sdk)) as Body;
        this.reach.reached();
        if (body && typeof body.code === 'number' && body.code !== 0) {
          throw new FeishuApiError(200, body.code, body.msg ?? '', body.error?.log_id);
        }
        return body ?? {};
      } catch (err) {
        if (isAxiosError(err) && !err.response) this.reach.unreachable(err);
        else if (isAxiosError(err)) this.reach.reached();
        const failure = this.translate(err);
        if (failure instanceof FeishuApiError && TOKEN_INVALID.has(failure.code ?? -1) && attempt === 0) {
          this.opts.log.warn({ api: name, code: failure.code, logId: failure.logId }, 'feishu token rejected; refreshing');
          this.tokens.invalidate(generation);
          continue;
        }
        // A token refused again says nothing about the message: it is sent again later.
        if (failure instanceof FeishuApiError && TOKEN_INVALID.has(failure.code ?? -1)) {
          this.opts.log.warn({ api: name, code: failure.code, logId: failure.logId }, 'feishu token refused again');
          throw new RetryableSendError(failure.message, undefined, failure.code);
        }
        const detail = failure instanceof FeishuApiError ? { status: failure.status, code: failure.code, msg: failure.msg, logId: failure.logId } : {};
        this.opts.log.warn({ api: name, ...detail, err: failure.message }, 'feishu api call failed');
        throw failure;
      }
    }
  }

  private translate(err: unknown): Error {
    if (err instanceof FeishuApiError || err instanceof RetryableSendError) return this.retryable(err);
    if (isAxiosError(err)) {
      const status = err.response?.status;
      const body = (err.response?.data ?? {}) as Body;
      const logId = body.error?.log_id ?? (err.response?.headers?.['x-tt-logid'] as string | undefined);
      if (status === 429 || body.code === RATE_LIMITED) {
        const reset = Number(err.response?.headers?.['x-ogw-ratelimit-reset']);
        return new RetryableSendError(
          `Feishu rate limit (${body.code ?? status})`,
          Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined,
          body.code ?? status,
        );
      }
      if (!err.response) return new RetryableSendError(`Feishu unreachable: ${err.code ?? err.message}`, undefined, err.code);
      const failure = new FeishuApiError(status, body.code, body.msg ?? err.message, logId);
      return status !== undefined && status >= 500 ? new RetryableSendError(failure.message, undefined, body.code ?? status) : failure;
    }
    return err instanceof Error ? err : new Error(String(err));
  }

  private retryable(err: FeishuApiError | RetryableSendError): Error {
    if (err instanceof FeishuApiError && err.code === RATE_LIMITED) return new RetryableSendError(err.message, undefined, err.code);
    return err;
  }
}
