import { z } from 'zod';
import { defineCommand } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';

/** `知识 新增 标题｜关键词1,关键词2｜步骤`: an admin adds an SOP article offered with matching reports. */
export const addKnowledge = defineCommand({
  name: 'knowledge.add',
  aliases: ['知识', '/kb'],
  usage: t('knowledge.usage'),
  parse: (rest) => {
    const body = rest.replace(/^新增\s*/, '');
    const [title = '', keywords = '', steps = ''] = body.split(/[|｜]/).map((s) => s.trim());
    return { title, keywords: keywords.split(/[,，、\s]+/).filter(Boolean), steps };
  },
  args: z.object({ title: z.string().min(1).max(60), keywords: z.array(z.string().min(1)).min(1), steps: z.string().min(1).max(2000) }),
  async run(ctx, article, { tickets }) {
    const added = await tickets.knowledge.add(ctx.user, article);
    await ctx.reply(t('knowledge.added', { title: added.title, keywords: added.keywords.join('、') }));
  },
});
