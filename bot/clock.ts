/** The bot's notion of now. The simulator can move it forward; production uses the system clock. */
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** System time plus an offset that only moves forward (simulator mode only). */
export class AdjustableClock implements Clock {
  private offsetMs: number;

  /** Starts at `startAt` (tests, demos) or at the system time. */
  constructor(startAt?: Date) {
    this.offsetMs = startAt ? startAt.getTime() - Date.now() : 0;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock to `at` if that is ahead; a moment already passed leaves it as it is. */
  advanceTo(at: Date): Date {
    const ahead = at.getTime() - this.now().getTime();
    if (ahead > 0) this.offsetMs += ahead;
    return this.now();
  }

  advance(minutes: number): Date {
    if (!(minutes > 0)) throw new RangeError('the clock only moves forward');
    this.offsetMs += minutes * 60_000;
    return this.now();
  }
}
