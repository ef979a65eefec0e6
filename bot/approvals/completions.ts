import type { Platform } from '../chat/model.js';
import type { Directory } from '../org/directory.js';
import type { FullApproval } from './cards.js';
import type { ChangeLifecycle } from './change.js';
import type { DutyService } from '../duty/service.js';
import type { ApprovalService } from './service.js';

const form = (a: FullApproval) => a.data as Record<string, string>;
const lastNote = (a: FullApproval) => a.steps.flatMap((s) => s.decisions).filter((d) => d.comment).at(-1)?.comment;

/** What each kind of request sets in motion once it is approved. */
export function registerCompletions(service: ApprovalService, { directory, duty, changes }: { directory: Directory; duty: DutyService; changes: ChangeLifecycle }): void {
  const name = (id: string | undefined) => (id ? (directory.person(id)?.name ?? id) : '');

  service.onApproved('permission', async (a) => {
    const platform = a.sourcePlatform as Platform;
    const text = `${name(form(a).person)} 的账号/权限已由信息科开通${lastNote(a) ? `（${lastNote(a)}）` : ''}。请使用人当天登录并修改初始密码，账号仅限本人使用，不得外借。`;
    await service.tellRequester(a, text);
    if (form(a).person !== a.requesterId) await service.tellPerson(form(a).person, text, platform);
  });

  service.onApproved('revocation', async (a) => {
    await service.tellRequester(a, `${name(form(a).person)} 的账号注销已办结：信息科已停用账号，人事科已确认，可继续办理离岗手续。`);
  });

  service.onApproved('change', async (a) => changes.schedule(a));

  service.onApproved('leave', async (a) => {
    await service.tellPerson(form(a).covered, `${name(a.requesterId)} 将于 ${form(a).start} 至 ${form(a).end} 离岗，期间工作由您代理。`, a.sourcePlatform as Platform);
  });

  service.onApproved('duty_swap', async (a) => {
    const moved = await duty.swap(a.requesterId, form(a).mine!, form(a).colleague!, form(a).theirs!, a.steps.flatMap((s) => s.decisions).at(-1)?.actorId ?? null);
    const text = `换班已批准：${name(a.requesterId)}（${form(a).mine}）与 ${name(form(a).colleague)}（${form(a).theirs}）互换班次${moved > 0 ? '，值班表已更新' : ''}。`;
    await service.tellRequester(a, text);
    await service.tellPerson(form(a).colleague, text, a.sourcePlatform as Platform);
  });
}
