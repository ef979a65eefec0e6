import { z } from 'zod';
import { APPROVAL_TYPES } from '../bot/org/approvals-schema.js';
import { defineAction, defineCommand } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import { DEPARTMENT_ACTION, REVOKE_ACTION } from '../bot/people/cards.js';
import { ensureKnown } from '../bot/people/store.js';

const Id = z.string().trim().min(1).max(200);

/** `同步通讯录`: the IT director (or an admin) imports the platform's directory; the summary follows when it is done. */
export const syncDirectoryCommand = defineCommand({
  name: 'directory.sync',
  aliases: ['同步通讯录', '/sync-directory'],
  usage: t('people.sync.usage'),
  args: z.object({}),
  async run(ctx, _args, { directorySync }) {
    const { platform, chat } = ctx.event;
    await directorySync.request(ctx.user, platform, { platform, chatId: chat.id }, !!ctx.directories?.has(platform));
  },
});

/** A department on the 请问您是哪个科室的？ card. */
export const departmentAction = defineAction({
  name: DEPARTMENT_ACTION,
  value: z.object({ person: Id, department: Id }),
  async run(ctx, { person, department }, { people }) {
    const answered = await people.answer(ctx.user, person, department);
    ctx.toast(t('people.department.saved', { department: answered.name }));
  },
});

/** 「注销 …」 on the notice of who left the directory: the request's form, the person offered first. */
export const openFormAction = defineAction({
  name: REVOKE_ACTION,
  value: z.object({ type: z.enum(APPROVAL_TYPES), person: Id.optional() }),
  async run(ctx, { type, person }, { approvals }) {
    await ensureKnown(ctx.tx, ctx.directory, [person]);
    const { platform, chat } = ctx.event;
    await approvals.openForm(type, ctx.user, { platform, chatId: chat.id }, person);
    ctx.toast(t('approval.formCard.opened'));
  },
});
