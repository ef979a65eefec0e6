import type { AssetLifecycle } from '../assets/lifecycle.js';
import type { Platform } from '../chat/model.js';
import { t } from '../i18n/zh.js';
import type { Directory } from '../org/directory.js';
import { registerAssetCompletions } from './asset-completions.js';
import type { FullApproval } from './cards.js';
import type { ChangeLifecycle } from './change.js';
import type { ApprovalMessages } from './messages.js';
import type { DutyService } from '../duty/service.js';
import type { ApprovalService } from './service.js';

const form = (a: FullApproval) => a.data as Record<string, string>;
const lastNote = (a: FullApproval) =>
  a.steps
    .flatMap((s) => s.decisions)
    .filter((d) => d.comment)
    .at(-1)?.comment;

/** What each kind of request sets in motion once it is approved. */
export function registerCompletions(
  service: ApprovalService,
  {
    directory,
    duty,
    changes,
    messages,
    lifecycle,
  }: { directory: Directory; duty: DutyService; changes: ChangeLifecycle; messages: ApprovalMessages; lifecycle: AssetLifecycle },
): void {
  const name = (id: string | undefined) => (id ? (directory.person(id)?.name ?? id) : '');

  service.onApproved('permission', async (a) => {
    const platform = a.sourcePlatform as Platform;
    const text = t('approval.completed.permission', { person: name(form(a).person), note: lastNote(a) ? `（${lastNote(a)}）` : '' });
    await messages.tellRequester(a, text);
    if (form(a).person !== a.requesterId) await messages.tellPerson(form(a).person, text, platform);
  });

  service.onApproved('revocation', async (a) => {
    await messages.tellRequester(a, t('approval.completed.revocation', { person: name(form(a).person) }));
  });

  service.onApproved('data_export', async (a) => {
    await messages.tellRequester(a, t('approval.completed.dataExport', { number: a.number, note: lastNote(a) ? `（${lastNote(a)}）` : '' }));
  });

  service.onApproved('change', async (a) => changes.schedule(a));

  service.onApproved('leave', async (a) => {
    const text = t('approval.completed.leave', { requester: name(a.requesterId), start: `${form(a).start}`, end: `${form(a).end}` });
    await messages.tellPerson(form(a).covered, text, a.sourcePlatform as Platform);
  });

  service.onApproved('duty_swap', async (a) => {
    const moved = await duty.swap(
      a.requesterId,
      form(a).mine!,
      form(a).colleague!,
      form(a).theirs!,
      a.steps.flatMap((s) => s.decisions).at(-1)?.actorId ?? null,
    );
    const updated = moved > 0 ? t('approval.completed.swapRoster') : '';
    const text = t('approval.completed.swap', {
      requester: name(a.requesterId),
      mine: `${form(a).mine}`,
      colleague: name(form(a).colleague),
      theirs: `${form(a).theirs}`,
      updated,
    });
    await messages.tellRequester(a, text);
    await messages.tellPerson(form(a).colleague, text, a.sourcePlatform as Platform);
  });

  registerAssetCompletions(service, { directory, lifecycle, messages });
}
