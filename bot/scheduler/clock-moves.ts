import { AdjustableClock, type Clock } from '../clock.js';

/** How many due moments one move of the simulator's clock stops at, at most (a year of daily jobs is a few thousand). */
const MAX_CLOCK_STOPS = 20_000;

/**
 * The simulator's clock moves: time passes as it would, the clock stopping at each moment
 * something falls due on the way (and everything set in motion settled there); resolves with the
 * new now.
 */
export function clockMover(clock: Clock, nextDue: () => Promise<Date | undefined>, settle: () => Promise<void>) {
  return async (minutes: number): Promise<Date> => {
    if (!(clock instanceof AdjustableClock)) throw new Error('this clock cannot be moved');
    if (!(minutes > 0)) throw new RangeError('the clock only moves forward');
    const target = new Date(clock.now().getTime() + minutes * 60_000);
    for (let stops = 0; stops < MAX_CLOCK_STOPS; stops++) {
      const next = await nextDue();
      if (!next || next >= target) break;
      clock.advanceTo(next);
      await settle();
    }
    const now = clock.advanceTo(target);
    await settle();
    return now;
  };
}
