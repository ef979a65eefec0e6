/** A wake the process expects: planned by node-schedule, the safety-net poll, or asked for after a commit. */
export type WakeKind = 'planned' | 'poll' | 'soon';

/** How late the wake-ups run against when they were due, in real time (a simulator's clock move is no lateness). */
export interface WakeLagFigures {
  /** How late the last run started against its due wake, or how long a due wake has been waiting now, whichever is more. */
  lagSeconds: number;
  /** The last run that served a due wake: when it was due and when it started. */
  lastRun: { wake: WakeKind; dueAt: string; startedAt: string; lagSeconds: number } | null;
  /** A wake due and not yet served by a run (the event loop blocked, or a run that does not end). */
  waiting: { wake: WakeKind; dueAt: string; seconds: number } | null;
}

/**
 * The wakes the process expects and when each was due, so the readiness check and /metrics can
 * say how late the scheduler runs. A run serves every wake due when it starts; one that never
 * starts (a run still going, a blocked event loop) shows as waiting, ever longer.
 */
export class WakeLag {
  private readonly due = new Map<WakeKind, number>();
  private last: { wake: WakeKind; dueAt: number; startedAt: number } | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** A wake of this kind is expected at `at` (ms, real time); it replaces the one expected before. */
  expect(wake: WakeKind, at: number): void {
    this.due.set(wake, at);
  }

  /**
   * The next wake of this kind at `at` (or none), unless one is due already and not served yet:
   * its lateness counts until a run starts.
   */
  expectNext(wake: WakeKind, at: number | undefined): void {
    const pending = this.due.get(wake);
    if (pending !== undefined && pending <= this.now()) return;
    if (at === undefined) this.due.delete(wake);
    else this.due.set(wake, at);
  }

  forget(wake?: WakeKind): void {
    if (wake) this.due.delete(wake);
    else this.due.clear();
  }

  /** A run starts: every wake due by now is served by it; the latest-served one is remembered. */
  started(): void {
    const now = this.now();
    let served: { wake: WakeKind; dueAt: number } | undefined;
    for (const [wake, at] of this.due) {
      if (at > now) continue;
      this.due.delete(wake);
      if (!served || at < served.dueAt) served = { wake, dueAt: at };
    }
    if (served) this.last = { ...served, startedAt: now };
  }

  figures(): WakeLagFigures {
    const now = this.now();
    let waiting: WakeLagFigures['waiting'] = null;
    for (const [wake, at] of this.due) {
      if (at <= now && (!waiting || now - at > waiting.seconds * 1000)) waiting = { wake, dueAt: new Date(at).toISOString(), seconds: (now - at) / 1000 };
    }
    const last = this.last;
    const lastRun = last
      ? {
          wake: last.wake,
          dueAt: new Date(last.dueAt).toISOString(),
          startedAt: new Date(last.startedAt).toISOString(),
          lagSeconds: (last.startedAt - last.dueAt) / 1000,
        }
      : null;
    return { lagSeconds: Math.max(waiting?.seconds ?? 0, lastRun?.lagSeconds ?? 0), lastRun, waiting };
  }
}
