import type { OutgoingMessage } from '../chat/model.js';
import type { ReminderFire } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Person } from '../org/directory.js';
import type { Org, Role } from '../org/schema.js';
import { Reach } from '../reach.js';
import { localDateTime } from '../time.js';

type Reminder = Org['reminders'][number];
export const REMINDER = 'reminder';
export const REMINDER_DONE = 'reminder.done';

export type ReminderDeps = TxDeps;

/** Recurring duties: each fire a card with 已完成; nobody completing it in time is reminded, then the leader told. */
export class ReminderService {
  private readonly reach: Reach;

  constructor(private readonly d: ReminderDeps) {
    this.reach = new Reach(d.tx, d.directory);
  }

  private reminder(id: string): Reminder {
    const r = this.d.directory.org.reminders.find((x) => x.id === id);
    if (!r) throw new BotError('unknown_action');
    return r;
  }

  private async target(r: Reminder) {
    return this.reach.home(r.chat ?? this.d.directory.chatByPurpose('engineers')!.id);
  }

  /** One fire: a card (one per department for a patrol), unless that fire was already sent. */
  async fire(r: Reminder, fireAt: Date): Promise<number> {
    const target = await this.target(r);
    if (!target) return 0;
    const dueAt = this.d.calendar.add(fireAt, r.within);
    const { directory } = this.d;
    const departments = r.perDepartment ? directory.org.departments.filter((d) => d.head && d.id !== 'it' && d.id !== 'administration') : [undefined];
    let sent = 0;
    for (const dept of departments) {
      const fire = await this.d.tx.reminderFire.create({
        data: { reminderId: r.id, departmentId: dept?.id ?? null, fireAt, dueAt, nextCheckAt: r.confirm ? dueAt : null },
      });
      await this.d.outbox.send(target, this.card(r, fire), { entityType: REMINDER, entityId: String(fire.id), kind: 'reminder' });
      // The department head signs the patrol: the card reaches them directly too, and updates in both places.
      const head = dept?.head ? directory.person(dept.head) : undefined;
      const direct = head && (await this.reach.direct(head, target.platform));
      if (direct) await this.d.outbox.send(direct, this.card(r, fire), { entityType: REMINDER, entityId: String(fire.id), kind: 'reminder' });
      sent++;
    }
    return sent;
  }

  card(r: Reminder, fire: ReminderFire): OutgoingMessage {
    const { directory, timeZone } = this.d;
    const dept = fire.departmentId ? directory.department(fire.departmentId) : undefined;
    const doneBy = fire.doneById ? directory.person(fire.doneById) : undefined;
    return {
      type: 'card',
      card: {
        title: `📋 ${r.name}${dept ? ` · ${dept.name}` : ''}`,
        color: doneBy ? 'green' : 'blue',
        fields: [{ label: t('reminder.field.due'), value: localDateTime(fire.dueAt, timeZone) }],
        text: r.text,
        note: doneBy
          ? t('reminder.note.done', { name: directory.callName(doneBy), at: localDateTime(fire.doneAt!, timeZone) })
          : dept
            ? t('reminder.note.sign', { department: dept.name })
            : undefined,
        buttons:
          r.confirm && !doneBy
            ? [
                {
                  label: t(dept ? 'reminder.button.sign' : 'reminder.button.done'),
                  action: REMINDER_DONE,
                  value: { fire: fire.id },
                  style: 'primary',
                  command: t('reminder.command.done', { id: fire.id }),
                },
              ]
            : [],
      },
    };
  }

  /** 已完成: who did it and when; a patrol is signed by that department's head. */
  async done(fireId: number, person: Person): Promise<ReminderFire> {
    const fire = await this.d.tx.reminderFire.findUnique({ where: { id: fireId } });
    if (!fire) throw new BotError('unknown_action');
    const r = this.reminder(fire.reminderId);
    const { directory } = this.d;
    if (fire.doneById) {
      const by = directory.person(fire.doneById);
      throw new BotError('step_not_pending', { step: r.name, result: t('reminder.result.done', { name: by ? directory.callName(by) : fire.doneById }) });
    }
    if (fire.departmentId) {
      const head = directory.department(fire.departmentId)?.head;
      if (head !== person.id) throw new BotError('not_approver', { step: r.name, approvers: directory.person(head ?? '')?.name ?? t('reminder.head') });
    } else if (!directory.isItStaff(person)) throw new BotError('not_it_staff', { what: t('reminder.what.register', { name: r.name }) });
    const updated = await this.d.tx.reminderFire.update({
      where: { id: fire.id },
      data: { doneById: person.id, doneAt: this.d.clock.now(), nextCheckAt: null },
    });
    await this.d.audit.record({
      actorId: person.id,
      action: 'reminder.done',
      entityType: REMINDER,
      entityId: `${r.id}#${fire.id}`,
      after: { fireAt: fire.fireAt.toISOString() },
    });
    await this.d.outbox.updateShown(REMINDER, String(fire.id), () => this.card(r, updated));
    return updated;
  }

  /**
   * A fire not completed by its deadline (`fire` as the caller read it): reminded once more, then its
   * leader is told. Claimed first, so with several instances it happens once.
   */
  async overdue(fire: ReminderFire): Promise<void> {
    const claimed = await this.d.tx.reminderFire.updateMany({ where: { id: fire.id, level: fire.level, doneAt: null }, data: { nextCheckAt: null } });
    if (claimed.count === 0) return;
    const r = this.reminder(fire.reminderId);
    const target = await this.target(r);
    const dept = fire.departmentId ? this.d.directory.department(fire.departmentId)?.name : undefined;
    const what = `${r.name}${dept ? `（${dept}）` : ''}`;
    if (fire.level === 0) {
      if (target) await this.d.outbox.send(target, { type: 'text', text: t('reminder.overdue.remind', { what }) });
      await this.d.tx.reminderFire.update({ where: { id: fire.id }, data: { level: 1, nextCheckAt: this.d.calendar.add(this.d.clock.now(), r.within) } });
      return;
    }
    const leaders = this.d.directory.person(r.leader)
      ? [this.d.directory.person(r.leader)!]
      : this.d.directory.allPeople().filter((p) => p.roles.includes(r.leader as Role));
    for (const leader of leaders) {
      const direct = await this.reach.direct(leader, target?.platform ?? 'simulator');
      if (direct)
        await this.d.outbox.send(direct, { type: 'text', text: t('reminder.overdue.escalate', { what, at: localDateTime(fire.fireAt, this.d.timeZone) }) });
    }
    await this.d.tx.reminderFire.update({ where: { id: fire.id }, data: { level: 2, nextCheckAt: null } });
    await this.d.audit.record({ actorId: null, action: 'reminder.missed', entityType: REMINDER, entityId: `${r.id}#${fire.id}` });
  }
}
