import { z } from 'zod';
import { defineCommand, nothingSaid } from '../bot/commands.js';
import { mdJoin, type Markdown } from '../bot/chat/markdown.js';
import { t, tmd, type TextKey } from '../bot/i18n/zh.js';
import { mayReadDashboard } from '../bot/dashboard/access.js';
import type { Directory, Person } from '../bot/org/directory.js';

type Fill<T> = (key: TextKey, params?: Record<string, string>) => T;

/**
 * What the help card shows a person: only what their roles let them use. Everyone may apply for
 * something; people outside IT report faults; engineers work tickets and duty; the roster, the
 * knowledge base, setting up groups, approvals and reports go to those who may use them (as their commands check).
 */
function sections<T>(directory: Directory, person: Person, fill: Fill<T>): T[] {
  const intakeChat = directory.chatByPurpose('intake')?.name ?? '';
  const engineersChat = directory.chatByPurpose('engineers')?.name ?? '';
  const staff = directory.isItStaff(person);
  const shown: (T | false)[] = [
    !staff && fill('help.reporter', { intakeChat }),
    staff && fill('help.engineer', { intakeChat, engineersChat }),
    directory.hasRole(person, 'it_director', 'it_group_leader', 'admin') && fill('help.roster'),
    directory.hasRole(person, 'admin') && fill('help.knowledge'),
    directory.hasRole(person, 'it_director', 'admin') && fill('help.directory'),
    directory.hasRole(person, 'admin', 'it_director') && fill('help.bindings'),
    fill(staff ? 'help.requestsStaff' : 'help.requests'),
    directory.hasRole(person, 'dept_head', 'hr', 'asset_office', 'vp_it', 'leadership', 'it_director') && fill('help.approver'),
    (staff || directory.hasRole(person, 'leadership', 'admin', 'vp_it')) && fill('help.reports'),
    mayReadDashboard(directory, person) && fill('help.dashboard'),
    (staff || directory.hasRole(person, 'leadership', 'admin')) && fill('help.exports'),
    fill('help.footer'),
  ];
  return shown.filter((section): section is T => section !== false);
}

/** The help sections as people read them. */
export function helpSections(directory: Directory, person: Person): string[] {
  return sections(directory, person, t);
}

/** The help card's markdown: the catalogue's markup, with the chats' names as text. */
export function helpMarkdown(directory: Directory, person: Person): Markdown {
  return mdJoin(sections(directory, person, tmd), '\n\n');
}

export default defineCommand({
  name: 'help',
  aliases: ['帮助', '/help', 'help', '使用说明', '菜单'],
  usage: t('help.usage'),
  // `菜单 打不开了` is a report of a menu that does not open, not a request for help.
  takes: nothingSaid,
  glued: nothingSaid,
  args: z.object({}),
  async run(ctx) {
    await ctx.reply({
      type: 'card',
      card: {
        title: t('help.title', { botName: ctx.directory.botName }),
        color: 'blue',
        fields: [],
        markdown: helpMarkdown(ctx.directory, ctx.user),
        buttons: [],
      },
    });
  },
});
