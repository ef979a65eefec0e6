import { z } from 'zod';
import { defineCommand } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';
import type { Directory, Person } from '../bot/org/directory.js';

/**
 * What the help card shows a person: only what their roles let them use. Everyone may apply for
 * something; people outside IT report faults; engineers work tickets and duty; the roster, the
 * knowledge base, approvals and reports go to those who may use them (as their commands check).
 */
export function helpSections(directory: Directory, person: Person): string[] {
  const intakeChat = directory.chatByPurpose('intake')?.name ?? '';
  const engineersChat = directory.chatByPurpose('engineers')?.name ?? '';
  const staff = directory.isItStaff(person);
  return [
    !staff && t('help.reporter', { intakeChat }),
    staff && t('help.engineer', { intakeChat, engineersChat }),
    directory.hasRole(person, 'it_director', 'it_group_leader', 'admin') && t('help.roster'),
    directory.hasRole(person, 'admin') && t('help.knowledge'),
    t(staff ? 'help.requestsStaff' : 'help.requests'),
    directory.hasRole(person, 'dept_head', 'hr', 'vp_it', 'leadership', 'it_director') && t('help.approver'),
    (staff || directory.hasRole(person, 'leadership', 'admin', 'vp_it')) && t('help.reports'),
    (staff || directory.hasRole(person, 'leadership', 'admin')) && t('help.exports'),
    t('help.footer'),
  ].filter((section): section is string => !!section);
}

export default defineCommand({
  name: 'help',
  aliases: ['帮助', '/help', 'help', '使用说明', '菜单'],
  usage: t('help.usage'),
  args: z.object({}),
  async run(ctx) {
    await ctx.reply({
      type: 'card',
      card: {
        title: t('help.title', { botName: ctx.directory.botName }),
        color: 'blue',
        fields: [],
        markdown: helpSections(ctx.directory, ctx.user).join('\n\n'),
        buttons: [],
      },
    });
  },
});
