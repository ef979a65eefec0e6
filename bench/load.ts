import http from 'node:http';

export interface Reply {
  status: number;
  body: string;
}

/** A keep-alive HTTP client for one server: the same load generator for the baseline and the bot. */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(base: string, maxSockets = 256) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** `timeoutMs`: give up on the answer then (as a platform does at its deadline); the request rejects. */
  request(method: string, path: string, body?: string, headers: Record<string, string> = {}, timeoutMs?: number): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: body === undefined ? headers : { 'content-length': Buffer.byteLength(body), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      // From the moment the request is made, queueing for a socket included.
      const timer = timeoutMs ? setTimeout(() => req.destroy(new Error('timeout')), timeoutMs) : undefined;
      req.on('close', () => clearTimeout(timer));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface LoadResult {
  count: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

/** `concurrency` workers, each sending its next request when the last one is answered, for `durationMs`. */
export async function closedLoop(concurrency: number, durationMs: number, fire: (i: number) => Promise<boolean>, total = Infinity): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const until = started + durationMs;
  const worker = async () => {
    while (performance.now() < until && next < total) {
      const i = next++;
      const t0 = performance.now();
      const ok = await fire(i).catch(() => false);
      latenciesMs.push(performance.now() - t0);
      if (!ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count: latenciesMs.length, errors, seconds: (performance.now() - started) / 1000, latenciesMs };
}

/** `total` requests at `perSecond`, each sent on time whether or not earlier ones were answered. */
export async function openLoop(perSecond: number, total: number, fire: (i: number) => Promise<boolean>): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const pending: Promise<void>[] = [];
  let errors = 0;
  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perSecond) + 1);
    for (; sent < due; sent++) {
      const i = sent;
      const t0 = performance.now();
      pending.push(
        fire(i)
          .catch(() => false)
          .then((ok) => {
            latenciesMs.push(performance.now() - t0);
            if (!ok) errors++;
          }),
      );
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  return { count: latenciesMs.length, errors, seconds: (performance.now() - started) / 1000, latenciesMs };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
