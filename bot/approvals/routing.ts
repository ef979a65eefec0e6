import type { ChainStep } from '../org/approvals-schema.js';
import type { Directory, Person } from '../org/directory.js';
import type { Role } from '../org/schema.js';

export interface ResolvedStep {
  stage: number;
  name: string;
  kind: ChainStep['kind'];
  rule: 'any' | 'all' | 'quorum';
  quorum: number;
  approvers: string[];
}

interface RoutingInput {
  directory: Directory;
  requester: Person;
  subjectId?: string;
  form: Record<string, string>;
}

const headOf = (directory: Directory, personId: string | undefined) => {
  const person = personId ? directory.person(personId) : undefined;
  return person ? directory.department(person.department)?.head : undefined;
};

const withRole = (directory: Directory, role: string) =>
  directory
    .allPeople()
    .filter((p) => p.roles.includes(role as Role))
    .map((p) => p.id);

/** The engineers of the IT group looking after an asset's kind of device (its label's prefix → a system → its group), else every IT engineer. */
function assetEngineers(directory: Directory, asset: string | undefined): string[] {
  const system = asset ? directory.org.assets.kinds[asset.split('-')[0]!] : undefined;
  const group = directory.org.systems.find((s) => s.id === system)?.itGroup;
  const engineers = withRole(directory, 'it_engineer');
  const inGroup = engineers.filter((id) => directory.person(id)?.itGroup === group);
  return group && inGroup.length > 0 ? inGroup : engineers;
}

function approversOf(step: ChainStep, input: RoutingInput): { ids: string[]; rule: ResolvedStep['rule']; quorum?: number } {
  const { directory, requester, subjectId, form } = input;
  const a = step.approver;
  if (!a) return { ids: withRole(directory, 'it_engineer'), rule: 'any' };
  if (a === 'requester_head') return { ids: [headOf(directory, requester.id)].filter((x): x is string => !!x), rule: 'any' };
  if (a === 'subject_head') return { ids: [headOf(directory, subjectId ?? requester.id)].filter((x): x is string => !!x), rule: 'any' };
  if (a === 'colleague') return { ids: form.colleague ? [form.colleague] : [], rule: 'any' };
  if (a === 'asset_department_head') return { ids: [directory.department(form.department)?.head].filter((x): x is string => !!x), rule: 'any' };
  if (a === 'receiving_department_head') return { ids: [directory.department(form.toDepartment)?.head].filter((x): x is string => !!x), rule: 'any' };
  if (a === 'asset_engineers') return { ids: assetEngineers(directory, form.asset), rule: 'any' };
  if (a === 'system_owner') {
    const owner = directory.org.approvals.systems.find((s) => s.id === form.system)?.owner;
    if (!owner) return { ids: [], rule: 'any' };
    if ('head' in owner) return { ids: [directory.department(owner.head)?.head].filter((x): x is string => !!x), rule: 'any' };
    if ('role' in owner) return { ids: withRole(directory, owner.role), rule: 'any' };
    return { ids: [owner.person], rule: 'any' };
  }
  if ('person' in a) return { ids: [a.person], rule: 'any' };
  if ('role' in a) return { ids: withRole(directory, a.role), rule: a.rule, quorum: a.quorum };
  return { ids: a.people, rule: a.rule, quorum: a.quorum };
}

/** Who stands in for `id` when they may not act: their IT group's leader, else their department's head (never themselves). */
function superiorOf(directory: Directory, id: string): string | undefined {
  const person = directory.person(id);
  if (!person) return undefined;
  const leader = directory.org.itGroups.find((g) => g.id === person.itGroup)?.leader;
  if (leader && leader !== id) return leader;
  const head = headOf(directory, id);
  return head !== id ? head : undefined;
}

/**
 * The chain of a request with everyone resolved: stages in order (a step marked parallel shares the
 * stage before it).
 *
 * Separation of duties: the parties to a request — its requester and its subject (the account
 * holder, the leaver) — never decide, carry out or confirm any step of it. They are left out of
 * every step; the others the step names remain ("any" of a list goes to the rest of it). A step
 * left with nobody, or with fewer people than its quorum needs, is filled from stand-ins in this
 * order: the superior of each party left out (their IT group's leader, else their department's
 * head), `escalateTo` (the IT director by default), then the vice president for IT. An execution
 * step takes only IT staff, so it falls to the group leader, then the IT director.
 */
export function resolveChain(chain: ChainStep[], input: RoutingInput): ResolvedStep[] {
  const { directory, requester, subjectId } = input;
  const parties = new Set([requester.id, subjectId].filter((x): x is string => !!x));
  const escalateTo = directory.org.approvals.escalateTo === 'it_director' ? withRole(directory, 'it_director')[0] : directory.org.approvals.escalateTo;
  let stage = 0;
  return chain.map((step, i) => {
    if (i > 0 && !step.parallel) stage++;
    const { ids, rule, quorum } = approversOf(step, input);
    const may = (id: string | undefined): id is string => {
      const person = id ? directory.person(id) : undefined;
      return !!person && !parties.has(person.id) && (step.kind !== 'execute' || directory.isItStaff(person));
    };
    const named = [...new Set(ids)].filter((id) => directory.person(id));
    const approvers = named.filter(may);
    // What the step needs had nobody been left out: one, everyone, or the quorum (at most as many as it names).
    const needed = Math.max(1, rule === 'quorum' ? Math.min(quorum ?? 1, named.length) : 1);
    const standIns = [...named.filter((id) => parties.has(id)).map((id) => superiorOf(directory, id)), escalateTo, ...withRole(directory, 'vp_it')];
    for (const id of standIns) {
      if (approvers.length >= needed) break;
      if (may(id) && !approvers.includes(id)) approvers.push(id);
    }
    const required = rule === 'all' ? approvers.length : rule === 'quorum' ? Math.min(needed, approvers.length) : 1;
    return { stage, name: step.name, kind: step.kind, rule, quorum: Math.max(1, required), approvers };
  });
}
