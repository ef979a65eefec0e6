import { describe, expect, it } from 'vitest';
import { WakeLag } from '../../../../bot/scheduler/lag.js';

describe('the scheduler’s lag', () => {
  const T = Date.parse('2026-12-03T02:00:00Z');

  it('is how late the last run started against the wake it served', () => {
    let now = T;
    const lag = new WakeLag(() => now);
    expect(lag.figures()).toEqual({ lagSeconds: 0, lastRun: null, waiting: null });
    lag.expect('planned', T + 60_000);
    now = T + 60_250;
    lag.started();
    expect(lag.figures()).toEqual({
      lagSeconds: 0.25,
      lastRun: { wake: 'planned', dueAt: new Date(T + 60_000).toISOString(), startedAt: new Date(T + 60_250).toISOString(), lagSeconds: 0.25 },
      waiting: null,
    });
  });

  it('grows while a due wake waits for a run that does not start (a blocked loop, a run that hangs)', () => {
    let now = T;
    const lag = new WakeLag(() => now);
    lag.expect('poll', T + 60_000);
    now = T + 60_000 + 90_000;
    expect(lag.figures()).toMatchObject({ lagSeconds: 90, waiting: { wake: 'poll', seconds: 90 } });
    // The next poll does not hide the one still waiting.
    lag.expectNext('poll', now + 60_000);
    now += 30_000;
    expect(lag.figures().lagSeconds).toBe(120);
    lag.started();
    expect(lag.figures()).toMatchObject({ lagSeconds: 120, waiting: null, lastRun: { wake: 'poll', lagSeconds: 120 } });
  });

  it('leaves wakes not yet due to later runs, and a run that serves none keeps the last lag', () => {
    let now = T;
    const lag = new WakeLag(() => now);
    lag.expect('soon', T + 1_000);
    lag.expect('planned', T + 3_600_000);
    now = T + 1_010;
    lag.started();
    expect(lag.figures()).toMatchObject({ lagSeconds: 0.01, waiting: null, lastRun: { wake: 'soon' } });
    now = T + 2_000;
    lag.started(); // a manual tick (the simulator's settle): no wake was due
    expect(lag.figures().lastRun).toMatchObject({ wake: 'soon', lagSeconds: 0.01 });
    lag.expectNext('planned', T + 7_200_000); // re-planned before it was due: replaced
    now = T + 3_600_000 + 5_000;
    expect(lag.figures().waiting).toBeNull();
    lag.forget();
    now = T + 7_200_000 + 5_000;
    expect(lag.figures()).toMatchObject({ waiting: null, lagSeconds: 0.01 });
  });
});
