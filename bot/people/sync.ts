import type { Platform } from '../chat/model.js';
import type { DirectoryListing } from '../chat/ports.js';
import type { DirectorySync } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { ChatTarget } from '../outbox/outbox.js';
import type { Reach } from '../reach.js';
import { leftCard } from './cards.js';
import { departmentFor } from './departments.js';
import { FROM_DIRECTORY, personOfRow, rememberedId } from './store.js';

/** Every platform with a directory (the daily job's request, made into one per platform when it runs). */
export const EVERY_PLATFORM = '*';
const PENDING = ['requested', 'running'];

/** What one import found. */
export interface SyncSummary {
  added: number;
  changed: number;
  left: Person[];
  total: number;
}

/**
 * 同步通讯录 and its daily run: a request is recorded here (the IT director or an admin), the
 * directory is read outside any transaction by the wake-ups, and what it holds is applied here in
 * one unit of work: people added, changed and left, the summary told, the IT director told who left.
 */
export class DirectorySyncService {
  constructor(
    private readonly d: TxDeps,
    private readonly reach: Reach,
  ) {}

  /** Asks for an import of `platform`'s directory, answered in `source` when it is done. */
  async request(actor: Person, platform: Platform, source: ChatTarget, available: boolean): Promise<void> {
    const { directory, tx, clock } = this.d;
    if (!directory.hasRole(actor, 'it_director', 'admin')) throw new BotError('not_allowed', { who: t('people.sync.who'), what: t('people.sync.what') });
    if (!available) return this.d.outbox.send(source, { type: 'text', text: t('people.sync.none') });
    const pending = await tx.directorySync.findFirst({ where: { platform: { in: [platform, EVERY_PLATFORM] }, status: { in: PENDING } } });
    if (pending) return this.d.outbox.send(source, { type: 'text', text: t('people.sync.running') });
    await tx.directorySync.create({
      data: { platform, status: 'requested', requestedById: actor.id, replyPlatform: source.platform, replyChatId: source.chatId, requestedAt: clock.now() },
    });
    await this.d.audit.record({ actorId: actor.id, action: 'directory.sync_requested', entityType: 'directory', entityId: platform, after: { platform } });
    await this.d.outbox.send(source, { type: 'text', text: t('people.sync.started') });
  }

  /** The daily job: an import of every platform's directory, unless one is already waiting. */
  async requestDaily(): Promise<void> {
    const { tx, clock } = this.d;
    if (await tx.directorySync.findFirst({ where: { platform: EVERY_PLATFORM, status: { in: PENDING } } })) return;
    await tx.directorySync.create({ data: { platform: EVERY_PLATFORM, status: 'requested', requestedAt: clock.now() } });
  }

  /** The daily request made into one per platform with a directory. */
  async expand(sync: DirectorySync, platforms: Platform[]): Promise<void> {
    const { tx, clock } = this.d;
    for (const platform of platforms) {
      if (await tx.directorySync.findFirst({ where: { platform, status: { in: PENDING } } })) continue;
      await tx.directorySync.create({ data: { platform, status: 'requested', requestedAt: clock.now() } });
    }
    await tx.directorySync.update({ where: { id: sync.id }, data: { status: 'done', finishedAt: clock.now() } });
  }

  /** The directory could not be read (or held nobody): nothing changes, and whoever asked is told why. */
  async failed(sync: DirectorySync, reason: string): Promise<void> {
    await this.d.tx.directorySync.update({ where: { id: sync.id }, data: { status: 'failed', error: reason.slice(0, 500), finishedAt: this.d.clock.now() } });
    await this.answer(sync, t('people.sync.failed', { reason }));
  }

  /** Applies what the directory holds: departments, then people added, changed and left. */
  async apply(sync: DirectorySync, listing: DirectoryListing): Promise<SyncSummary> {
    const platform = sync.platform as Platform;
    if (listing.users.length === 0) {
      await this.failed(sync, t('people.sync.empty'));
      return { added: 0, changed: 0, left: [], total: 0 };
    }
    const names = await this.departments(platform, listing);
    const summary = await this.people(platform, listing, names);
    await this.d.tx.directorySync.update({
      where: { id: sync.id },
      data: { status: 'done', added: summary.added, changed: summary.changed, left: summary.left.length, finishedAt: this.d.clock.now() },
    });
    await this.d.audit.record({
      actorId: sync.requestedById,
      action: 'directory.synced',
      entityType: 'directory',
      entityId: platform,
      after: { added: summary.added, changed: summary.changed, left: summary.left.map((p) => p.id), total: summary.total },
    });
    const changes = summary.added + summary.changed + summary.left.length;
    await this.answer(
      sync,
      changes === 0
        ? t('people.sync.unchanged', { total: summary.total })
        : t('people.sync.done', { added: summary.added, changed: summary.changed, left: summary.left.length }),
    );
    if (summary.left.length > 0) await this.tellDirector(summary.left, platform);
    return summary;
  }

  /** The directory's departments, kept with the file's department each stands for; their names by id. */
  private async departments(platform: Platform, listing: DirectoryListing): Promise<Map<string, string>> {
    const { tx, directory } = this.d;
    const stored = new Map((await tx.directoryDepartment.findMany({ where: { platform } })).map((d) => [d.platformDepartmentId, d]));
    for (const d of listing.departments) {
      const data = { name: d.name, parentId: d.parentId ?? null, departmentId: departmentFor(directory.org, platform, [d]) ?? null, active: true };
      const before = stored.get(d.id);
      if (before && before.name === data.name && before.parentId === data.parentId && before.departmentId === data.departmentId && before.active) continue;
      await tx.directoryDepartment.upsert({
        where: { platform_platformDepartmentId: { platform, platformDepartmentId: d.id } },
        create: { platform, platformDepartmentId: d.id, ...data },
        update: data,
      });
    }
    const seen = new Set(listing.departments.map((d) => d.id));
    const gone = [...stored.values()].filter((d) => d.active && !seen.has(d.platformDepartmentId)).map((d) => d.platformDepartmentId);
    if (gone.length > 0) await tx.directoryDepartment.updateMany({ where: { platform, platformDepartmentId: { in: gone } }, data: { active: false } });
    return new Map(listing.departments.map((d) => [d.id, d.name]));
  }

  private async people(platform: Platform, listing: DirectoryListing, names: Map<string, string>): Promise<SyncSummary> {
    const { tx, directory, clock, audit } = this.d;
    const now = clock.now();
    const identities = await tx.platformIdentity.findMany({ where: { platform }, include: { person: true } });
    const held = new Map(identities.map((i) => [i.platformUserId, i.person]));
    const fileMobiles = new Set(directory.allPeople().flatMap((p) => (p.mobile ? [p.mobile] : [])));
    const summary: SyncSummary = { added: 0, changed: 0, left: [], total: 0 };
    const seen = new Set<string>();
    for (const user of listing.users) {
      seen.add(user.platformId);
      // The organisation file wins: its people (by id, or by the mobile it gives) keep their roles and are never changed here.
      if (directory.declaredPerson(platform, user.platformId) || (user.mobile && fileMobiles.has(user.mobile))) continue;
      const existing = held.get(user.platformId);
      if (existing && existing.source !== FROM_DIRECTORY) continue;
      summary.total++;
      const departments = user.departments.map((x) => ({ id: x.id, name: x.name ?? names.get(x.id) }));
      const departmentIds = departments.map((x) => x.id);
      const mapped = departmentFor(directory.org, platform, departments);
      if (!existing) {
        const id = rememberedId(platform, user.platformId);
        const data = {
          name: user.name,
          callName: user.name,
          departmentId: mapped ?? null,
          mobile: user.mobile ?? null,
          source: FROM_DIRECTORY,
          active: true,
          leftAt: null,
          directoryDepartments: departmentIds,
          lookedUpAt: now,
        };
        const row = await tx.person.upsert({ where: { id }, create: { id, ...data }, update: data });
        await tx.personRole.upsert({ where: { personId_role: { personId: id, role: 'reporter' } }, create: { personId: id, role: 'reporter' }, update: {} });
        await tx.platformIdentity.create({ data: { platform, platformUserId: user.platformId, personId: id } });
        directory.rememberedPeople.set(personOfRow(row));
        await audit.record({
          actorId: null,
          action: 'person.imported',
          entityType: 'person',
          entityId: id,
          after: { name: user.name, department: mapped ?? null },
        });
        summary.added++;
        continue;
      }
      // A department the person answered themselves stays when the directory's maps to none of the file's.
      const data = {
        name: user.name,
        departmentId: mapped ?? existing.departmentId,
        mobile: user.mobile ?? existing.mobile,
        directoryDepartments: departmentIds,
      };
      const same =
        existing.active &&
        existing.name === data.name &&
        existing.departmentId === data.departmentId &&
        existing.mobile === data.mobile &&
        JSON.stringify(existing.directoryDepartments ?? []) === JSON.stringify(departmentIds);
      if (same) {
        if (!existing.lookedUpAt) await tx.person.update({ where: { id: existing.id }, data: { lookedUpAt: now } });
        continue;
      }
      const row = await tx.person.update({ where: { id: existing.id }, data: { ...data, callName: data.name, active: true, leftAt: null, lookedUpAt: now } });
      directory.rememberedPeople.set(personOfRow(row));
      await audit.record({
        actorId: null,
        action: 'person.changed',
        entityType: 'person',
        entityId: existing.id,
        before: { name: existing.name, department: existing.departmentId, active: existing.active },
        after: { name: row.name, department: row.departmentId, active: true },
      });
      summary.changed++;
    }
    // Only someone the directory once had can leave it (not a sender it never knew).
    for (const [platformUserId, person] of held) {
      if (person.source !== FROM_DIRECTORY || !person.active || seen.has(platformUserId) || person.directoryDepartments === null) continue;
      await tx.person.update({ where: { id: person.id }, data: { active: false, leftAt: now } });
      await audit.record({
        actorId: null,
        action: 'person.left',
        entityType: 'person',
        entityId: person.id,
        before: { active: true },
        after: { active: false },
      });
      summary.left.push(personOfRow(person));
    }
    return summary;
  }

  /** The IT director hears who left, directly: their accounts may need revoking. */
  private async tellDirector(left: Person[], platform: Platform): Promise<void> {
    const director = this.d.directory.director();
    const target = director ? await this.reach.direct(director, platform) : undefined;
    if (target) await this.d.outbox.send(target, leftCard(left, this.d.directory));
  }

  private async answer(sync: DirectorySync, text: string): Promise<void> {
    if (sync.replyPlatform && sync.replyChatId)
      await this.d.outbox.send({ platform: sync.replyPlatform as Platform, chatId: sync.replyChatId }, { type: 'text', text });
  }
}
