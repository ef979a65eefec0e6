import { WorkCalendar } from './calendar.js';
import type { Config } from './config.js';
import type { Directory } from './org/directory.js';

/**
 * The hospital's time zone: HOSPITAL_TZ when set, else the organisation file's `hospital.timeZone`
 * (Asia/Shanghai by default). The process's TZ plays no part: every local time is reckoned in this zone.
 */
export function hospitalTimeZone(config: Pick<Config, 'HOSPITAL_TZ'>, directory: Directory): string {
  return config.HOSPITAL_TZ ?? directory.org.hospital.timeZone;
}

/** What the organisation file decides for the running bot: who and what (the directory), its time zone and working calendar. */
export interface InForce {
  readonly directory: Directory;
  readonly timeZone: string;
  readonly calendar: WorkCalendar;
}

/**
 * The organisation file in force: the one place that holds it, swapped whole when the file is
 * reloaded. Whatever works per unit of work is given the parts through `live`, and so reads the
 * file in force when the unit starts; a unit already running keeps the one it started with.
 */
export class Organisation implements InForce {
  private current: InForce;

  constructor(
    private readonly config: Pick<Config, 'HOSPITAL_TZ'>,
    directory: Directory,
  ) {
    this.current = this.prepare(directory);
  }

  get directory(): Directory {
    return this.current.directory;
  }

  get timeZone(): string {
    return this.current.timeZone;
  }

  get calendar(): WorkCalendar {
    return this.current.calendar;
  }

  /** What a file would put in force, not yet in force (its calendar still to be given the stored days). */
  prepare(directory: Directory): InForce {
    const timeZone = hospitalTimeZone(this.config, directory);
    const { workingHours, calendar } = directory.org.hospital;
    return { directory, timeZone, calendar: new WorkCalendar(timeZone, workingHours, calendar) };
  }

  /** Puts a prepared file in force, for every unit of work that starts from now on. */
  swap(next: InForce): void {
    this.current = next;
  }

  /**
   * `target` with the directory, time zone and calendar in force as enumerable getters: a spread
   * of it (as each unit of work makes) copies the parts in force at that moment.
   */
  live<T extends object>(target: T): T & InForce {
    return Object.defineProperties(target, {
      directory: { enumerable: true, get: () => this.current.directory },
      timeZone: { enumerable: true, get: () => this.current.timeZone },
      calendar: { enumerable: true, get: () => this.current.calendar },
    }) as T & InForce;
  }
}
