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

function approversOf(step: ChainStep, input: RoutingInput): { ids: string[]; rule: ResolvedStep['rule']; quorum?: number } {
  const { directory, requester, subjectId, form } = input;
  const a = step.approver;
  if (!a) return { ids: withRole(directory, 'it_engineer'), rule: 'any' };
  if (a === 'requester_head') return { ids: [headOf(directory, requester.id)].filter((x): x is string => !!x), rule: 'any' };
  if (a === 'subject_head') return { ids: [headOf(directory, subjectId ?? requester.id)].filter((x): x is string => !!x), rule: 'any' };
  if (a === 'colleague') return { ids: form.colleague ? [form.colleague] : [], rule: 'any' };
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

/**
 * The chain of a request with everyone resolved: stages in order (a step marked parallel shares the
 * stage before it). Nobody approves their own request (separation of duties); a step left without
 * an approver goes to `escalateTo` (the IT director by default), then to the vice president for IT.
 */
export function resolveChain(chain: ChainStep[], input: RoutingInput): ResolvedStep[] {
  const { directory, requester } = input;
  const fallback = [
    directory.org.approvals.escalateTo === 'it_director' ? withRole(directory, 'it_director')[0] : directory.org.approvals.escalateTo,
    ...withRole(directory, 'vp_it'),
  ];
  let stage = 0;
  return chain.map((step, i) => {
    if (i > 0 && !step.parallel) stage++;
    const { ids, rule, quorum } = approversOf(step, input);
    let approvers = [...new Set(ids)].filter((id) => directory.person(id));
    if (step.kind === 'approve') approvers = approvers.filter((id) => id !== requester.id);
    if (approvers.length === 0) approvers = [fallback.find((id) => id && id !== requester.id && directory.person(id))!].filter(Boolean);
    const needed = rule === 'all' ? approvers.length : rule === 'quorum' ? Math.min(quorum ?? 1, approvers.length) : 1;
    return { stage, name: step.name, kind: step.kind, rule, quorum: Math.max(1, needed), approvers };
  });
}
