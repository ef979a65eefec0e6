import type { Platform } from '../chat/model.js';
import type { TxDeps } from '../deps.js';
import { t } from '../i18n/zh.js';
import type { TableLine } from '../imports/table-file.js';
import { departmentNamed } from './departments.js';
import { FROM_DIRECTORY, personOfRow, rememberedId } from './store.js';

/**
 * People imported from a file (`helpdesk import people`): those the organisation file does not list,
 * remembered as the platform's directory would remember them (reporters, source `directory`), with
 * their platform id, name, department and mobile, so they are known before their first message.
 * The file's people are never touched: a line naming one of their ids is refused.
 */

/** One line of a people file as written: platform, platform id, name, department, mobile. */
export interface PersonLine {
  line: number;
  platform: string;
  platformId: string;
  name: string;
  department: string;
  mobile: string;
}

/** A line that passed every check, its department one of the file's (by id). */
export interface ImportedPerson {
  line: number;
  platform: Platform;
  platformId: string;
  name: string;
  departmentId?: string;
  mobile?: string;
}

export interface PeopleProblem {
  line: number;
  reason: string;
}

export interface PeopleImportSummary {
  added: number;
  changed: number;
  unchanged: number;
}

/** A first line that names the columns (platform, id, name … / 平台, 账号, 姓名 …) is no person. */
const HEADER = /platform|平台|姓名|\bname\b/i;

const PLATFORM_WORDS: Record<string, Platform> = {
  feishu: 'feishu',
  lark: 'feishu',
  飞书: 'feishu',
  wecom: 'wecom',
  企业微信: 'wecom',
  企微: 'wecom',
  wechaty: 'wechaty',
  simulator: 'simulator',
  模拟器: 'simulator',
};

/** The lines of a people file: `platform, platform id, name, department, mobile` (department and mobile may be empty). */
export function peopleLines(lines: readonly TableLine[]): PersonLine[] {
  return lines
    .filter(({ line, cells }) => !(line === 1 && HEADER.test(cells.join(','))))
    .map(({ line, cells: [platform = '', platformId = '', name = '', department = '', mobile = ''] }) => ({
      line,
      platform,
      platformId,
      name,
      department,
      mobile,
    }));
}

export class PeopleImport {
  constructor(private readonly d: Pick<TxDeps, 'tx' | 'directory' | 'clock' | 'audit'>) {}

  /** Checks every line: a known platform, an id, a name, a department of the file, a mobile, no id twice, none of the file's people. */
  async check(lines: readonly PersonLine[]): Promise<{ people: ImportedPerson[]; problems: PeopleProblem[] }> {
    const { directory } = this.d;
    const people: ImportedPerson[] = [];
    const problems: PeopleProblem[] = [];
    const seen = new Map<string, number>();
    for (const l of lines) {
      const problem = (key: Parameters<typeof t>[0], params: Record<string, string | number> = {}) => problems.push({ line: l.line, reason: t(key, params) });
      const platform = PLATFORM_WORDS[l.platform.toLowerCase()];
      const department = l.department ? (directory.department(l.department) ?? departmentNamed(directory, l.department)) : undefined;
      const mobile = l.mobile.replace(/[\s-]/g, '');
      const key = `${platform}\u0000${l.platformId}`;
      const declared = platform ? directory.declaredPerson(platform, l.platformId) : undefined;
      if (!platform) problem('people.import.platform', { platform: l.platform });
      else if (!l.platformId) problem('people.import.noId');
      else if (/\s/.test(l.platformId) || l.platformId.length > 128) problem('people.import.badId', { id: l.platformId });
      else if (!l.name) problem('people.import.noName');
      else if ([...l.name].length > 64) problem('people.import.longName');
      else if (l.department && !department) problem('people.import.department', { department: l.department });
      else if (mobile && !/^\+?\d{5,20}$/.test(mobile)) problem('people.import.mobile', { mobile: l.mobile });
      else if (seen.has(key)) problem('people.import.twice', { first: seen.get(key)! });
      else if (declared) problem('people.import.inFile', { name: declared.name, id: declared.id });
      else {
        seen.set(key, l.line);
        people.push({ line: l.line, platform, platformId: l.platformId, name: l.name, departmentId: department?.id, mobile: mobile || undefined });
      }
    }
    // An id the database gives to one of the file's people (matched by mobile or email) is theirs too.
    for (const [platform, group] of groupBy(people, (p) => p.platform)) {
      const held = await this.d.tx.platformIdentity.findMany({
        where: { platform, platformUserId: { in: group.map((p) => p.platformId) }, person: { source: { not: FROM_DIRECTORY } } },
        include: { person: true },
      });
      for (const identity of held) {
        const person = group.find((p) => p.platformId === identity.platformUserId)!;
        problems.push({ line: person.line, reason: t('people.import.inFile', { name: identity.person.name, id: identity.person.id }) });
      }
    }
    problems.sort((a, b) => a.line - b.line);
    return { people: problems.length > 0 ? [] : people, problems };
  }

  /** Remembers each checked person: added, or brought up to date (active again if they had left). */
  async apply(people: readonly ImportedPerson[], actorId: string | null): Promise<PeopleImportSummary> {
    const { tx, audit, directory } = this.d;
    const summary: PeopleImportSummary = { added: 0, changed: 0, unchanged: 0 };
    for (const p of people) {
      const identity = await tx.platformIdentity.findUnique({ where: { platform_platformUserId: { platform: p.platform, platformUserId: p.platformId } } });
      const id = identity?.personId ?? rememberedId(p.platform, p.platformId);
      const existing = await tx.person.findUnique({ where: { id } });
      if (!existing) {
        const row = await tx.person.create({
          data: { id, name: p.name, callName: p.name, departmentId: p.departmentId ?? null, mobile: p.mobile ?? null, source: FROM_DIRECTORY, active: true },
        });
        await tx.personRole.upsert({ where: { personId_role: { personId: id, role: 'reporter' } }, create: { personId: id, role: 'reporter' }, update: {} });
        directory.rememberedPeople.set(personOfRow(row));
        await audit.record({
          actorId,
          action: 'person.imported',
          entityType: 'person',
          entityId: id,
          after: { name: p.name, department: p.departmentId ?? null, platform: p.platform },
        });
        summary.added++;
      } else {
        const data = { name: p.name, departmentId: p.departmentId ?? existing.departmentId, mobile: p.mobile ?? existing.mobile };
        if (existing.active && existing.name === data.name && existing.departmentId === data.departmentId && existing.mobile === data.mobile) {
          summary.unchanged++;
        } else {
          const row = await tx.person.update({ where: { id }, data: { ...data, callName: data.name, active: true, leftAt: null } });
          directory.rememberedPeople.set(personOfRow(row));
          await audit.record({
            actorId,
            action: 'person.changed',
            entityType: 'person',
            entityId: id,
            before: { name: existing.name, department: existing.departmentId, active: existing.active },
            after: { name: row.name, department: row.departmentId, active: true },
          });
          summary.changed++;
        }
      }
      if (!identity) await tx.platformIdentity.create({ data: { platform: p.platform, platformUserId: p.platformId, personId: id } });
    }
    return summary;
  }
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
