import type { PlatformStatus } from '../../bot/chat/ports.js';

/** A failed call this old is checked again (one request to the API's address) when the status is asked. */
const RECHECK_AFTER_MS = 15_000;
const RECHECK_WITHIN_MS = 3_000;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/**
 * Whether a platform's HTTP API can be reached: the last call that got any answer says yes, one that
 * failed without an answer (refused, reset, timed out, no route) says no. A no is checked again when
 * the status is asked and no call has said otherwise for a while (any HTTP answer of the API's
 * address counts), so a platform with nothing to send is not held unreachable for good.
 */
export class Reachability {
  private failure: { since: number; last: number; error: string } | undefined;
  private rechecking: Promise<void> | undefined;

  constructor(
    private readonly base: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** A call got an answer (whatever the platform said in it). */
  reached(): void {
    this.failure = undefined;
  }

  /** A call got no answer at all. */
  unreachable(err: unknown): void {
    const now = this.now();
    this.failure = { since: this.failure?.since ?? now, last: now, error: messageOf(err) };
  }

  async status(): Promise<Pick<PlatformStatus, 'ready' | 'state' | 'reason' | 'since'>> {
    if (this.failure && this.now() - this.failure.last >= RECHECK_AFTER_MS) await (this.rechecking ??= this.recheck());
    const failure = this.failure;
    if (!failure) return { ready: true, state: 'reachable' };
    return { ready: false, state: 'unreachable', reason: failure.error, since: new Date(failure.since).toISOString() };
  }

  private async recheck(): Promise<void> {
    try {
      await fetch(this.base, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(RECHECK_WITHIN_MS) }).then((res) => res.body?.cancel());
      this.reached();
    } catch (err) {
      this.unreachable(err);
    } finally {
      this.rechecking = undefined;
    }
  }
}

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/** A long connection's state as its SDK's events tell it, and since when. */
export class LinkStatus {
  private current: { state: LinkState; since: number; reason?: string } = { state: 'connecting', since: Date.now() };

  set(state: LinkState, reason?: string): void {
    if (this.current.state === state && this.current.reason === reason) return;
    this.current = { state, since: Date.now(), ...(reason ? { reason } : {}) };
  }

  get state(): LinkState {
    return this.current.state;
  }

  status(): Pick<PlatformStatus, 'ready' | 'state' | 'reason' | 'since'> {
    const { state, since, reason } = this.current;
    return { ready: state === 'connected', state, ...(reason ? { reason } : {}), since: new Date(since).toISOString() };
  }
}
