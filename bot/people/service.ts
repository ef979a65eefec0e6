import type { Platform, PlatformUser } from '../chat/model.js';
import type { DirectoryUser } from '../chat/ports.js';
import type { Ticket } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { OrgDepartment } from '../org/schema.js';
import type { TicketDeps, TicketLedger } from '../tickets/ledger.js';
import { departmentAnswered, departmentQuestion } from './cards.js';
import { departmentFor, departmentNamed } from './departments.js';
import type { LookupOutcome } from './lookup.js';
import { FROM_DIRECTORY, personOfRow, rememberedId } from './store.js';

/** The department question, remembered so answering it updates it in place. */
const QUESTION = 'person';
const ACTIVE = ['open', 'claimed', 'resolved'];

/**
 * People the organisation file does not list: remembered (name, department, platform id, mobile)
 * the first time they write, from what the platform's directory says, as reporters; asked once for
 * their department when it is not known, the answer kept on them and their open tickets.
 */
export class PeopleService {
  constructor(
    private readonly d: TicketDeps,
    private readonly ledger: TicketLedger,
  ) {}

  /** Remembers a sender the bot did not know, with what the directory said (or the name the platform showed). */
  async learn(platform: Platform, user: PlatformUser, lookup: LookupOutcome | undefined): Promise<Person> {
    const { tx, clock, directory } = this.d;
    const found = lookup?.kind === 'found' ? lookup.user : undefined;
    const id = rememberedId(platform, user.platformId);
    const name = found?.name ?? (user.name?.trim() || t('people.unnamed', { tail: user.platformId.slice(-4) }));
    const department = found ? departmentFor(directory.org, platform, found.departments) : undefined;
    // Asked and answered (found or not), or no directory to ask: not asked again. A failed lookup is tried again.
    const answered = lookup !== undefined && lookup.kind !== 'failed';
    const data = {
      name,
      callName: name,
      departmentId: department ?? null,
      mobile: found?.mobile ?? null,
      source: FROM_DIRECTORY,
      active: true,
      lookedUpAt: answered ? clock.now() : null,
      ...(found ? { directoryDepartments: found.departments.map((x) => x.id) } : {}),
    };
    const row = await tx.person.upsert({ where: { id }, create: { id, ...data }, update: data });
    await tx.personRole.upsert({ where: { personId_role: { personId: id, role: 'reporter' } }, create: { personId: id, role: 'reporter' }, update: {} });
    await tx.platformIdentity.upsert({
      where: { platform_platformUserId: { platform, platformUserId: user.platformId } },
      create: { platform, platformUserId: user.platformId, personId: id },
      update: { personId: id },
    });
    await this.d.audit.record({
      actorId: null,
      action: 'person.learned',
      entityType: 'person',
      entityId: id,
      after: { name, department: department ?? null, platform, lookup: lookup?.kind ?? 'none' },
    });
    return this.remember(personOfRow(row));
  }

  /** A remembered person whose earlier lookup failed, now found: their name, department and mobile from the directory. */
  async refresh(person: Person, found: DirectoryUser, platform: Platform): Promise<Person> {
    const department = departmentFor(this.d.directory.org, platform, found.departments) ?? person.department;
    const row = await this.d.tx.person.update({
      where: { id: person.id },
      data: {
        name: found.name,
        callName: found.name,
        departmentId: department ?? null,
        mobile: found.mobile ?? null,
        directoryDepartments: found.departments.map((x) => x.id),
        lookedUpAt: this.d.clock.now(),
      },
    });
    await this.d.audit.record({
      actorId: null,
      action: 'person.looked_up',
      entityType: 'person',
      entityId: person.id,
      before: { name: person.name, department: person.department ?? null },
      after: { name: row.name, department: row.departmentId },
    });
    return this.remember(personOfRow(row));
  }

  /** Asks a remembered reporter whose department is not known which it is: once, under their report. */
  async askDepartment(reporter: Person, ticket: Ticket): Promise<void> {
    if (reporter.source !== FROM_DIRECTORY || reporter.department) return;
    const asked = await this.d.tx.person.updateMany({
      where: { id: reporter.id, departmentAskedAt: null, departmentId: null },
      data: { departmentAskedAt: this.d.clock.now() },
    });
    if (asked.count === 0) return;
    const target = this.ledger.source(ticket);
    const mentions = await this.ledger.mention(reporter, target.platform);
    const question = departmentQuestion(reporter, this.d.directory, mentions);
    await this.d.outbox.send(
      target,
      { ...question, replyTo: ticket.sourceMessageId ?? undefined },
      { entityType: QUESTION, entityId: reporter.id, kind: 'department' },
    );
  }

  /** A typed answer to the question (心内科, 我是检验科的): the department, or undefined when the text is not one. */
  async answerTyped(person: Person, text: string): Promise<OrgDepartment | undefined> {
    if (person.source !== FROM_DIRECTORY || person.department || !text) return undefined;
    const department = departmentNamed(this.d.directory, text);
    if (!department) return undefined;
    const row = await this.d.tx.person.findUnique({ where: { id: person.id }, select: { departmentAskedAt: true } });
    if (!row?.departmentAskedAt) return undefined;
    return this.answer(person, person.id, department.id);
  }

  /** The answer to the question (its button, or typed): kept on the person and their tickets that have no department. */
  async answer(actor: Person, personId: string, departmentId: string): Promise<OrgDepartment> {
    const { tx, directory } = this.d;
    const asked = directory.person(personId);
    if (actor.id !== personId) throw new BotError('not_possible', { reason: t('people.department.notYours', { name: asked?.name ?? personId }) });
    const department = directory.department(departmentId);
    if (!department) throw new BotError('not_possible', { reason: t('people.department.unknown', { department: departmentId }) });
    const row = await tx.person.findUnique({ where: { id: personId } });
    if (!row || row.source !== FROM_DIRECTORY) throw new BotError('not_possible', { reason: t('people.department.notAsked') });
    if (row.departmentId) {
      throw new BotError('not_possible', {
        reason: t('people.department.already', { department: directory.departmentName(row.departmentId) ?? row.departmentId }),
      });
    }
    const updated = await tx.person.update({ where: { id: personId }, data: { departmentId: department.id } });
    const person = this.remember(personOfRow(updated));
    await this.d.audit.record({
      actorId: actor.id,
      action: 'person.department',
      entityType: 'person',
      entityId: personId,
      before: { department: null },
      after: { department: department.id },
    });
    const tickets = await tx.ticket.findMany({ where: { reporterId: personId, departmentId: null, status: { in: ACTIVE } } });
    for (const ticket of tickets) {
      await this.ledger.change(ticket, { departmentId: department.id }, { actor: person, type: 'department_set', data: { department: department.id } });
    }
    await this.d.outbox.updateShown(QUESTION, personId, () => departmentAnswered(person, department.name));
    return department;
  }

  private remember(person: Person): Person {
    this.d.directory.rememberedPeople.set(person);
    return person;
  }
}
