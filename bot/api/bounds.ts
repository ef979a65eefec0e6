import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import type { Server } from 'node:http';

/**
 * The largest body each platform callback may have. Feishu sends a text or post of up to 150 KB
 * of content, inside the event JSON, AES-encrypted and base64-encoded (4/3 of it again); WeCom's
 * callbacks carry one message (its texts are a few KB), encrypted the same way. Anything larger is
 * no delivery of theirs and is answered 413 as soon as its Content-Length says so.
 */
export const CALLBACK_BODY_LIMITS: Readonly<Record<string, number>> = {
  '/feishu/events': 512 * 1024,
  '/wecom/callback': 256 * 1024,
  '/wecom/robot': 256 * 1024,
};

/** Every other route: the API's JSON, the simulator's messages with their screenshots, a CSV roster. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** How long a complete set of headers may take to arrive, at most. */
const MAX_HEADERS_TIMEOUT_MS = 10_000;

/** A connection with no bytes either way this long is closed (longer than Fastify's 72 s keep-alive). */
const IDLE_CONNECTION_MS = 120_000;

/**
 * The HTTP server's bounds, so a client cannot hold a connection (and what waits on it) by sending
 * slowly: the headers within 10 s, the whole request within `requestTimeoutMs` (answered 408 and
 * closed otherwise), checked every second at most; the body within its route's limit.
 */
export function httpBounds(requestTimeoutMs: number): Pick<FastifyHttpOptions<Server>, 'requestTimeout' | 'connectionTimeout' | 'bodyLimit' | 'http'> {
  return {
    requestTimeout: requestTimeoutMs,
    connectionTimeout: Math.max(IDLE_CONNECTION_MS, 2 * requestTimeoutMs),
    bodyLimit: DEFAULT_BODY_LIMIT,
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: Math.min(MAX_HEADERS_TIMEOUT_MS, requestTimeoutMs),
      // Node looks for expired requests on this interval (30 s by default, which would stretch the timeouts).
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(requestTimeoutMs / 4))),
    },
  };
}

/** Gives each platform callback route its body limit (routes registered after this call). */
export function limitCallbackBodies(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const limit = CALLBACK_BODY_LIMITS[route.url];
    if (limit !== undefined && route.bodyLimit === undefined) route.bodyLimit = limit;
  });
}
