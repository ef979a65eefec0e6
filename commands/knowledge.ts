import { z } from 'zod';
import { defineCommand } from '../bot/commands.js';
import { BotError } from '../bot/errors.js';
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
  async run(ctx, { title, keywords, steps }, { audit }) {
    if (!ctx.directory.hasRole(ctx.user, 'admin')) throw new BotError('not_admin', { what: '添加知识条目' });
    const id = `kb-${Date.now().toString(36)}`;
    await ctx.tx.knowledgeArticle.create({ data: { id, title, keywords, steps, source: 'admin' } });
    await audit.record({ actorId: ctx.user.id, action: 'knowledge.add', entityType: 'knowledge', entityId: id, after: { title, keywords } });
    await ctx.reply(t('knowledge.added', { title, keywords: keywords.join('、') }));
  },
});
