import { z } from 'zod';
import { defineCommand } from '../bot/commands.js';
import { t } from '../bot/i18n/zh.js';

export default defineCommand({
  name: 'help',
  aliases: ['帮助', '/help', 'help', '使用说明', '菜单'],
  usage: '帮助',
  args: z.object({}),
  async run(ctx) {
    const intake = ctx.directory.chatByPurpose('intake');
    await ctx.reply({
      type: 'card',
      card: {
        title: t('help.title', { botName: ctx.directory.botName }),
        color: 'blue',
        fields: [],
        markdown: t('help.body', { intakeChat: intake?.name ?? '' }),
        buttons: [],
      },
    });
  },
});
