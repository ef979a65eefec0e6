import type { z } from 'zod';
import type { OrgShape } from './schema.js';
import { checkMonitoring } from './monitoring-schema.js';
import { ESCALATION_STEPS, ROLES } from './roles.js';

/**
 * What zod cannot see field by field: every id the organisation file refers to (a department's head,
 * a person's department, a rotation's people, an approver …) exists, and the file has the chats and
 * working hours the bot needs. Each problem is reported at its path, for a line-precise message.
 */
export function checkReferences(org: z.output<typeof OrgShape>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const unique = <T extends { id: string }>(items: T[], key: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) issue([key, i, 'id'], `duplicate id "${item.id}"`);
      seen.add(item.id);
    });
    return seen;
  };
  const departments = unique(org.departments, 'departments');
  const groups = unique(org.itGroups, 'itGroups');
  const people = unique(org.people, 'people');
  unique(org.chats, 'chats');
  const systems = unique(org.systems, 'systems');

  org.departments.forEach((d, i) => {
    if (d.head && !people.has(d.head)) issue(['departments', i, 'head'], `unknown person "${d.head}"`);
  });
  org.itGroups.forEach((g, i) => {
    if (g.leader && !people.has(g.leader)) issue(['itGroups', i, 'leader'], `unknown person "${g.leader}"`);
  });
  org.people.forEach((p, i) => {
    if (!departments.has(p.department)) issue(['people', i, 'department'], `unknown department "${p.department}"`);
    if (p.itGroup && !groups.has(p.itGroup)) issue(['people', i, 'itGroup'], `unknown IT group "${p.itGroup}"`);
    if (p.roles.includes('it_engineer') && !p.itGroup) {
      issue(['people', i, 'roles'], 'an it_engineer needs an itGroup');
    }
  });
  checkPlatformIds(org, issue);
  org.systems.forEach((s, i) => {
    if (!groups.has(s.itGroup)) issue(['systems', i, 'itGroup'], `unknown IT group "${s.itGroup}"`);
  });
  for (const [priority, policy] of Object.entries(org.tickets.escalation.policy)) {
    const known = (step: string) => (ESCALATION_STEPS as readonly string[]).includes(step) || step === 'leadership' || people.has(step);
    policy.atOnce.forEach((step, i) => {
      if (!known(step)) issue(['tickets', 'escalation', 'policy', priority, 'atOnce', i], `"${step}" is neither a step kind nor a person id`);
    });
    policy.steps.forEach(({ to }, i) => {
      if (!known(to)) issue(['tickets', 'escalation', 'policy', priority, 'steps', i, 'to'], `"${to}" is neither a step kind nor a person id`);
    });
  }
  checkMonitoring(org.monitoring, systems, issue);
  if (org.duty.fallback && !people.has(org.duty.fallback)) issue(['duty', 'fallback'], `unknown person "${org.duty.fallback}"`);
  const shiftIds = new Set(org.duty.shifts.map((x) => x.id));
  org.duty.rotations.forEach((r, i) => {
    if (!shiftIds.has(r.shift)) issue(['duty', 'rotations', i, 'shift'], `unknown shift "${r.shift}"`);
    r.people.forEach((p, j) => {
      if (!people.has(p)) issue(['duty', 'rotations', i, 'people', j], `unknown person "${p}"`);
    });
  });
  org.reminders.forEach((r, i) => {
    if (r.chat && !org.chats.some((c) => c.id === r.chat)) issue(['reminders', i, 'chat'], `unknown chat "${r.chat}"`);
  });
  const chatIds = new Set(org.chats.map((c) => c.id));
  org.departments.forEach((d, i) => {
    if (d.chat && !chatIds.has(d.chat)) issue(['departments', i, 'chat'], `unknown chat "${d.chat}"`);
  });
  org.approvals.systems.forEach((s, i) => {
    if ('head' in s.owner && !departments.has(s.owner.head)) issue(['approvals', 'systems', i, 'owner', 'head'], `unknown department "${s.owner.head}"`);
    if ('person' in s.owner && !people.has(s.owner.person)) issue(['approvals', 'systems', i, 'owner', 'person'], `unknown person "${s.owner.person}"`);
  });
  for (const [chain, steps] of Object.entries(org.approvals.chains)) {
    steps.forEach((st, i) => {
      const a = st.approver;
      const bad = (who: string) => issue(['approvals', 'chains', chain, i, 'approver'], `unknown person "${who}"`);
      if (a && typeof a === 'object' && 'person' in a && !people.has(a.person)) bad(a.person);
      if (a && typeof a === 'object' && 'people' in a) a.people.filter((p) => !people.has(p)).forEach(bad);
      if (a && typeof a === 'object' && 'role' in a && !(ROLES as readonly string[]).includes(a.role)) {
        issue(['approvals', 'chains', chain, i, 'approver', 'role'], `unknown role "${a.role}"`);
      }
    });
  }
  const [sh = 0, sm = 0] = org.hospital.workingHours.start.split(':').map(Number);
  const [eh = 0, em = 0] = org.hospital.workingHours.end.split(':').map(Number);
  if (eh * 60 + em <= sh * 60 + sm) issue(['hospital', 'workingHours', 'end'], 'working hours must end after they start');
  for (const purpose of ['intake', 'engineers'] as const) {
    if (!org.chats.some((c) => c.purpose === purpose)) {
      issue(['chats'], `needs a chat with purpose "${purpose}"`);
    }
  }
}

const PLATFORM_NAMES: Record<string, string> = { feishu: 'Feishu', wecom: 'WeCom', wechaty: 'Wechaty' };

/**
 * Each platform id names one person, each platform chat one chat, and each directory department one
 * department: the bot would otherwise take a message from one for the other (and the database,
 * which keys them, refuses the copy).
 * Feishu's open_id, user_id and union_id are one space; WeCom's userids ignore case.
 */
function checkPlatformIds(org: z.output<typeof OrgShape>, issue: (path: (string | number)[], message: string) => void): void {
  const people = new Map<string, number>();
  org.people.forEach((p, i) => {
    const ids: [platform: string, field: (string | number)[], value: string | undefined][] = [
      ['feishu', ['feishu', 'open_id'], p.ids?.feishu?.open_id],
      ['feishu', ['feishu', 'user_id'], p.ids?.feishu?.user_id],
      ['feishu', ['feishu', 'union_id'], p.ids?.feishu?.union_id],
      ['wecom', ['wecom', 'userid'], p.ids?.wecom?.userid.toLowerCase()],
      ['wechaty', ['wechaty', 'id'], p.ids?.wechaty?.id],
    ];
    for (const [platform, field, value] of ids) {
      if (!value) continue;
      const key = `${platform}\u0000${value}`;
      const first = people.get(key);
      if (first === undefined) people.set(key, i);
      else if (first !== i) {
        const what = platform === 'wecom' ? `WeCom userid "${value}" (WeCom ignores case)` : `${PLATFORM_NAMES[platform]} id "${value}"`;
        issue(['people', i, 'ids', ...field], `duplicate ${what}: people[${first}] (${org.people[first]!.id}) has it too`);
      }
    }
  });
  const departments = new Map<string, number>();
  org.departments.forEach((d, i) => {
    for (const platform of ['feishu', 'wecom'] as const) {
      (d.ids?.[platform] ?? []).forEach((value, j) => {
        const key = `${platform}\u0000${value}`;
        const first = departments.get(key);
        if (first === undefined) departments.set(key, i);
        else {
          const path = (d.ids?.[platform]?.length ?? 0) > 1 ? ['departments', i, 'ids', platform, j] : ['departments', i, 'ids', platform];
          issue(path, `duplicate ${PLATFORM_NAMES[platform]} department id "${value}": departments[${first}] (${org.departments[first]!.id}) has it too`);
        }
      });
    }
  });
  const chats = new Map<string, number>();
  org.chats.forEach((c, i) => {
    for (const [platform, value] of Object.entries(c.ids ?? {})) {
      if (!value) continue;
      const key = `${platform}\u0000${value}`;
      const first = chats.get(key);
      if (first === undefined) chats.set(key, i);
      else
        issue(
          ['chats', i, 'ids', platform],
          `duplicate ${PLATFORM_NAMES[platform]} chat id "${value}": chats[${first}] (${org.chats[first]!.id}) is bound to it too`,
        );
    }
  });
}
