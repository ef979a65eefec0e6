import type { AssetLifecycle, Decided } from '../assets/lifecycle.js';
import { t } from '../i18n/zh.js';
import type { Directory } from '../org/directory.js';
import type { FullApproval, StepWithDecisions } from './cards.js';
import type { ApprovalMessages } from './messages.js';
import type { ApprovalService } from './service.js';

/**
 * What an approved transfer or scrapping does to the asset register: the asset moved to its new
 * department, location and user, or marked scrapped, each with its history event naming the
 * request and who decided each step. A rejected request never gets here: it changes nothing.
 */
export function registerAssetCompletions(
  service: ApprovalService,
  { directory, lifecycle, messages }: { directory: Directory; lifecycle: AssetLifecycle; messages: ApprovalMessages },
): void {
  const decided = (steps: StepWithDecisions[]): Decided[] =>
    steps.flatMap((s) =>
      s.decisions.map((d) => ({
        step: s.name,
        by: d.actorId,
        name: directory.person(d.actorId)?.name ?? d.actorId,
        decision: d.decision,
        comment: d.comment,
        at: d.createdAt.toISOString(),
      })),
    );
  const lastActor = (a: FullApproval) => a.steps.flatMap((s) => s.decisions).at(-1)?.actorId ?? null;
  const notApplied = (a: FullApproval, number: string) =>
    messages.tellRequester(
      a,
      t('approval.completed.assetNotApplied', { number, kind: t(`approval.kind.${a.type as 'asset_transfer' | 'asset_scrap'}`), request: a.number }),
    );
  const byIt = (d: Decided) => {
    const person = directory.person(d.by);
    return !!person && directory.isItStaff(person);
  };

  service.onApproved('asset_transfer', async (a) => {
    const form = a.data as Record<string, string>;
    const moved = await lifecycle.transfer(
      form.asset!,
      { departmentId: form.toDepartment!, location: form.toLocation!, userName: form.toUser! },
      { request: a.number, reason: form.reason!, decisions: decided(a.steps), actorId: lastActor(a) },
    );
    if (!moved) return notApplied(a, form.asset!);
    await messages.tellRequester(
      a,
      t('approval.completed.transfer', {
        number: form.asset!,
        department: directory.departmentName(form.toDepartment) ?? form.toDepartment!,
        location: form.toLocation!,
        user: form.toUser!,
      }),
    );
  });

  service.onApproved('asset_scrap', async (a) => {
    const form = a.data as Record<string, string>;
    const storageMedia = form.media === 'yes';
    // The media steps are the ones the organisation file adds for storage media (the last step, should it have renamed them since).
    const mediaNames = new Set(directory.org.approvals.chains.asset_scrap_media.map((s) => s.name));
    const named = a.steps.filter((s) => mediaNames.has(s.name));
    const mediaSteps = storageMedia ? (named.length > 0 ? named : a.steps.slice(-1)) : [];
    const others = a.steps.filter((s) => !mediaSteps.includes(s));
    // The technical appraisal: the first decision by IT staff outside the media steps.
    const appraisal = decided(others).find(byIt);
    const scrapped = await lifecycle.scrap(form.asset!, {
      request: a.number,
      reason: form.reason!,
      appraisal: appraisal ?? null,
      storageMedia,
      mediaDestroyed: decided(mediaSteps).at(-1) ?? null,
      decisions: decided(a.steps),
      actorId: lastActor(a),
    });
    if (!scrapped) return notApplied(a, form.asset!);
    const destroyedBy = decided(mediaSteps).at(-1)?.name;
    await messages.tellRequester(
      a,
      t('approval.completed.scrap', { number: form.asset!, media: destroyedBy ? t('approval.completed.scrapMedia', { name: destroyedBy }) : '' }),
    );
  });
}
