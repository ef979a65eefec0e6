import type { Clock } from '../clock.js';
import type { Tx } from '../db/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Directory, Person } from '../org/directory.js';
import { localDateTime } from '../time.js';
import { checkLink, generations, LINK_HOURS, linkSecret, signLink } from './link.js';

/** Who reads the dashboard: the hospital's leaders (the vice president for IT among them) and the IT director. */
export function mayReadDashboard(directory: Directory, person: Person | undefined): person is Person {
  return !!person && directory.hasRole(person, 'leadership', 'vp_it', 'it_director');
}

/** Who reads the audit trail on the dashboard: the IT director only (leaders see the figures, not everyone's actions). */
export function mayReadAudit(directory: Directory, person: Person): boolean {
  return directory.hasRole(person, 'it_director');
}

/** Who is signed in to the dashboard, or why nobody is. */
export type DashboardReader =
  | { ok: true; person: Person; expiresAt: Date }
  /** No link, or one that is forged, expired or revoked: 401, send 看板 again. */
  | { ok: false; status: 401; reason: 'none' | 'malformed' | 'forged' | 'expired' | 'revoked' }
  /** A good link of someone who no longer reads the dashboard: 403. */
  | { ok: false; status: 403; reason: 'not_reader'; personId: string };

/** The personal links `看板` sends, and who a link signs in. */
export class DashboardLinks {
  constructor(private readonly d: { tx: Tx; directory: Directory; clock: Clock; timeZone: string; publicUrl?: string }) {}

  /** A link that signs `reader` in for LINK_HOURS hours; only for those who read the dashboard. */
  async linkFor(reader: Person): Promise<{ url: string; token: string; expiresAt: Date; until: string }> {
    if (!mayReadDashboard(this.d.directory, reader)) {
      throw new BotError('not_allowed', { who: t('dashboard.readers'), what: t('dashboard.what') });
    }
    const { tx, clock } = this.d;
    const expiresAt = new Date(clock.now().getTime() + LINK_HOURS * 60 * 60 * 1000);
    const token = signLink(await linkSecret(tx), reader.id, expiresAt, await generations(tx, reader.id));
    const base = (this.d.publicUrl ?? '').replace(/\/+$/, '');
    return { url: `${base}/dashboard?t=${token}`, token, expiresAt, until: localDateTime(expiresAt, this.d.timeZone) };
  }

  /** Who a link (from the URL or the cookie) signs in, read against the organisation file in force. */
  async reader(token: string | undefined): Promise<DashboardReader> {
    if (!token) return { ok: false, status: 401, reason: 'none' };
    const checked = await checkLink(this.d.tx, token, this.d.clock.now());
    if (!checked.ok) return { ok: false, status: 401, reason: checked.reason };
    const person = this.d.directory.person(checked.personId);
    if (!mayReadDashboard(this.d.directory, person)) return { ok: false, status: 403, reason: 'not_reader', personId: checked.personId };
    return { ok: true, person, expiresAt: checked.expiresAt };
  }
}
