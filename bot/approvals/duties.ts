import type { Approval } from '../../generated/prisma/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import type { Directory, Person } from '../org/directory.js';
import type { StepWithDecisions } from './cards.js';

/**
 * Separation of duties (职责分离): the parties to a request are its requester and, when it is about
 * someone else, its subject (the account holder, the leaver). Routing leaves them out of every step
 * (`resolveChain`); the checks here refuse them at the moment they act, whoever they act for, so a
 * delegation or a step resolved before a change of the rules cannot let them through.
 */
export function partiesOf(approval: Pick<Approval, 'requesterId' | 'subjectId'>): string[] {
  return [approval.requesterId, ...(approval.subjectId && approval.subjectId !== approval.requesterId ? [approval.subjectId] : [])];
}

export const isParty = (approval: Pick<Approval, 'requesterId' | 'subjectId'>, personId: string | null | undefined): boolean =>
  !!personId && partiesOf(approval).includes(personId);

/** The IT staff among a request's parties: the engineers' card tells the others to take its execution. */
export const itParties = (approval: Pick<Approval, 'requesterId' | 'subjectId'>, directory: Directory): Person[] =>
  partiesOf(approval)
    .map((id) => directory.person(id))
    .filter((p): p is Person => !!p && directory.isItStaff(p));

/**
 * Refuses `actor` on `step` when they are a party to the request, saying why and who acts instead:
 * the step's other people for a decision or confirmation, the other engineers for an execution.
 */
export function refuseParty(approval: Approval, step: StepWithDecisions, actor: Person, what: string, directory: Directory): void {
  if (!isParty(approval, actor.id)) return;
  const others = (Array.isArray(step.approvers) ? (step.approvers as string[]) : []).filter((id) => !isParty(approval, id));
  const instead =
    step.kind === 'execute'
      ? t('approval.duties.insteadEngineers')
      : others.length > 0
        ? t('approval.duties.insteadApprovers', { names: others.map((id) => directory.person(id)?.name ?? id).join('、') })
        : t('approval.duties.insteadOthers');
  const code = actor.id === approval.requesterId ? 'own_request' : 'own_subject';
  throw new BotError(code, { number: approval.number, what, instead });
}
