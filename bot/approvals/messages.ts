import type { OutgoingMessage, Platform } from '../chat/model.js';
import type { Approval } from '../../generated/prisma/client.js';
import type { TxDeps } from '../deps.js';
import type { ChatTarget } from '../outbox/outbox.js';
import { Reach } from '../reach.js';
import { APPROVAL, approverCard, approvers, changeCard, executeCard, requestCard, type FullApproval } from './cards.js';
import type { Delegations } from './delegation.js';
import { isParty } from './duties.js';

/**
 * What a request says in chat: its cards, sent to whoever acts on it (approvers and their
 * delegates directly, the engineers for execution) and re-rendered for everyone who has one on each
 * change, and the texts to its requester and to people.
 */
export class ApprovalMessages {
  readonly reach: Reach;

  constructor(
    private readonly d: TxDeps,
    private readonly delegations: Delegations,
  ) {
    this.reach = new Reach(d.tx, d.directory);
  }

  /** The request's own card, in the chat it was asked from. */
  async sendRequest(approval: FullApproval, source: ChatTarget): Promise<void> {
    await this.d.outbox.send(source, requestCard(approval, this.d.directory, this.d.timeZone), {
      entityType: APPROVAL,
      entityId: approval.number,
      kind: 'request',
    });
  }

  /** The cards of a stage just opened: to its approvers (and their delegates) directly, to the engineers for execution. */
  async sendStage(approval: FullApproval, stage: number): Promise<void> {
    const platform = approval.sourcePlatform as Platform;
    for (const step of approval.steps.filter((s) => s.stage === stage)) {
      if (step.kind === 'execute') {
        const engineers = await this.reach.chatFor('engineers', platform);
        if (engineers)
          await this.d.outbox.send(engineers, executeCard(approval, this.d.directory, this.d.timeZone), {
            entityType: APPROVAL,
            entityId: approval.number,
            kind: 'execute',
          });
        continue;
      }
      for (const id of approvers(step)) {
        await this.sendApproverCard(approval, id, platform);
        for (const delegate of await this.delegations.delegatesOf(id)) await this.sendApproverCard(approval, delegate, platform);
      }
    }
  }

  /** A person's own approver card, sent directly; one who has it already sees every card re-rendered instead. */
  async sendApproverCard(approval: FullApproval, personId: string, platform: Platform): Promise<void> {
    const person = this.d.directory.person(personId);
    // A party to the request decides nothing of it, not even as a delegate: no card to decide on.
    if (!person || isParty(approval, personId)) return;
    const kind = `approver:${personId}`;
    const already = await this.d.tx.messageRef.findFirst({ where: { entityType: APPROVAL, entityId: approval.number, kind } });
    if (already) return this.refresh(approval);
    const target = await this.reach.direct(person, platform);
    if (!target) return;
    const message = approverCard(approval, person, await this.delegations.actsFor(personId), this.d.directory, this.d.timeZone);
    await this.d.outbox.send(target, message, { entityType: APPROVAL, entityId: approval.number, kind });
  }

  /** Re-renders every card of the request as it stands, for everyone who has one. */
  async refresh(approval: FullApproval): Promise<void> {
    const { directory, timeZone } = this.d;
    const refs = await this.d.outbox.shown(APPROVAL, approval.number);
    const rendered = new Map<string, OutgoingMessage>();
    for (const { kind } of refs) {
      if (rendered.has(kind)) continue;
      if (kind.startsWith('approver:')) {
        const person = directory.person(kind.slice('approver:'.length));
        if (person) rendered.set(kind, approverCard(approval, person, await this.delegations.actsFor(person.id), directory, timeZone));
      } else if (kind === 'execute') rendered.set(kind, executeCard(approval, directory, timeZone));
      else if (kind === 'change') rendered.set(kind, changeCard(approval, directory, timeZone));
      else rendered.set(kind, requestCard(approval, directory, timeZone));
    }
    await this.d.outbox.updateShown(APPROVAL, approval.number, ({ kind }) => rendered.get(kind)!, refs);
  }

  /** A text to the requester, in the chat they asked from, with an @-mention. */
  async tellRequester(approval: Approval, text: string): Promise<void> {
    const target = { platform: approval.sourcePlatform as Platform, chatId: approval.sourceChatId };
    const mentions = await this.reach.mention(this.d.directory.person(approval.requesterId), target.platform);
    await this.d.outbox.send(target, { type: 'text', text, mentions });
  }

  /** A direct text to a person. */
  async tellPerson(personId: string | null | undefined, text: string, platform: Platform): Promise<void> {
    const person = personId ? this.d.directory.person(personId) : undefined;
    const target = person && (await this.reach.direct(person, platform));
    if (target) await this.d.outbox.send(target, { type: 'text', text });
  }
}
