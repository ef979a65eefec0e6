import type { Mention, OutgoingMessage } from '../chat/model.js';
import { mdJoin } from '../chat/markdown.js';
import { t, tmd } from '../i18n/zh.js';
import type { Directory, Person } from '../org/directory.js';

/** The department question's buttons: `person.department` with the person asked and the department. */
export const DEPARTMENT_ACTION = 'person.department';
/** The director's offer to start a revocation for someone who left the directory. */
export const REVOKE_ACTION = 'approval.form';

/** 请问您是哪个科室的？ with a button per department of the file (typed names work too). */
export function departmentQuestion(person: Person, directory: Directory, mentions: Mention[]): OutgoingMessage {
  const departments = directory.org.departments;
  return {
    type: 'card',
    card: {
      title: t('people.department.ask'),
      color: 'blue',
      fields: [],
      note: t('people.department.askNote', { example: departments[0]?.name ?? '' }),
      buttons: departments.map((d) => ({ label: d.name, action: DEPARTMENT_ACTION, value: { person: person.id, department: d.id } })),
      mentions,
    },
  };
}

/** The question once answered: who is in which department, no buttons. */
export function departmentAnswered(person: Person, department: string): OutgoingMessage {
  return {
    type: 'card',
    card: {
      title: t('people.department.ask'),
      color: 'green',
      fields: [],
      note: t('people.department.answered', { name: person.name, department }),
      buttons: [],
    },
  };
}

/** How many buttons the offer carries at most (WeCom cards show six). */
const MAX_OFFERS = 5;

/** To the IT director: who left the platform's directory, with an offer to start each one's revocation. */
export function leftCard(left: readonly Person[], directory: Directory): OutgoingMessage {
  const line = (p: Person) => t('people.left.line', { name: p.name, department: directory.departmentName(p.department) ?? t('people.noDepartment') });
  const shown = left.slice(0, 20).map(line);
  if (left.length > shown.length) shown.push(t('people.left.more', { n: left.length }));
  return {
    type: 'card',
    card: {
      title: t('people.left.title', { n: left.length }),
      color: 'orange',
      fields: [],
      markdown: mdJoin([tmd('people.left.intro'), ...shown]),
      note: t('people.left.note'),
      buttons: left.slice(0, MAX_OFFERS).map((p) => ({
        label: t('people.left.revoke', { name: p.name }),
        action: REVOKE_ACTION,
        value: { type: 'revocation', person: p.id },
        command: '申请 销户',
      })),
    },
  };
}
