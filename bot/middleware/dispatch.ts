import { longerThan, MAX_MESSAGE_CHARS } from '../chat/limits.js';
import type { Registry } from '../commands.js';
import type { Middleware } from '../context.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';

/** A message or form value past the limit is answered with a request to shorten it, never read. */
const tooLong = () => new BotError('message_too_long', { max: MAX_MESSAGE_CHARS });

/** Routes an event to its card action, its command (by first word), or the free-text fallback. */
export function dispatch(registry: Registry): Middleware {
  const byAlias = new Map<string, Registry['commands'][number]>();
  for (const command of registry.commands) {
    for (const alias of command.aliases) byAlias.set(alias.toLowerCase(), command);
  }
  const actions = new Map(registry.actions.map((a) => [a.name, a]));
  const longestFirst = [...byAlias.keys()].sort((a, b) => b.length - a.length);

  /**
   * The command a text starts with: its first word (when the words after it are the command's), or an
   * alias run into a number (认领IT-…) or into an argument its command takes so (绑定报修群).
   */
  const commandOf = (text: string) => {
    const word = text.split(/\s+/)[0] ?? '';
    const exact = byAlias.get(word.toLowerCase());
    if (exact) return exact.takes && !exact.takes(text.slice(word.length).trim()) ? { command: undefined, word } : { command: exact, word };
    const lower = text.toLowerCase();
    const alias = longestFirst.find((a) => {
      if (!lower.startsWith(a)) return false;
      const rest = text.slice(a.length);
      return /^(it|inc|sq)-/i.test(rest) || !!byAlias.get(a)?.glued?.(rest.trim());
    });
    return alias ? { command: byAlias.get(alias), word: text.slice(0, alias.length) } : { command: undefined, word };
  };

  return async (ctx) => {
    const { event } = ctx;
    if (event.kind === 'action') {
      const action = event.action && actions.get(event.action.name);
      const value = action?.value.safeParse(event.action?.value);
      if (!action || !value?.success) throw new BotError('unknown_action');
      if (Object.values(event.action?.form ?? {}).some((v) => typeof v === 'string' && longerThan(v, MAX_MESSAGE_CHARS))) throw tooLong();
      ctx.handledBy = action.name;
      return action.run(ctx, value.data, ctx.services);
    }

    // `@信息科助手 绑定 报修群` typed as text (the simulator): the bot's own name is no part of the command.
    const text = withoutOwnMention(event.text ?? '', ctx.directory.botName);
    if (longerThan(text, MAX_MESSAGE_CHARS)) {
      // Answered wherever the bot would have read it (a command anywhere, a report, a mention); otherwise let be.
      const addressed = !!commandOf(text.slice(0, 64)).command || ctx.chatPurpose === 'intake' || event.chat.type === 'direct' || event.mentionsBot;
      if (addressed) throw tooLong();
      return;
    }
    const { command, word } = commandOf(text);
    if (command) {
      const restText = text.slice(word.length).trim();
      const args = command.args.safeParse(command.parse ? command.parse(restText) : {});
      if (!args.success) throw new BotError('bad_arguments', { usage: command.usage });
      ctx.handledBy = command.name;
      return command.run(ctx, args.data, ctx.services);
    }

    // Free text: a report where reports belong (the intake group, a direct chat); elsewhere a hint.
    if (ctx.chatPurpose === 'intake' || event.chat.type === 'direct') {
      ctx.handledBy = registry.fallback.name;
      return registry.fallback.run(ctx, text, ctx.services);
    }
    if (event.mentionsBot) {
      const intakeChat = ctx.directory.chatByPurpose('intake')?.name ?? '';
      // A group bound to nothing is told how an admin sets it up; a direct chat needs no binding.
      const unbound = event.chat.type === 'group' && !ctx.chatPurpose;
      ctx.handledBy = unbound ? 'hint.unbound' : 'hint';
      await ctx.reply(t(unbound ? 'binding.hint.unbound' : 'chat.reportElsewhere', { intakeChat }));
    }
  };
}

/** The text without a leading @-mention of the bot by its name. */
function withoutOwnMention(text: string, botName: string): string {
  const trimmed = text.trim();
  for (const at of ['@', '＠']) {
    if (botName && trimmed.startsWith(`${at}${botName}`)) return trimmed.slice(at.length + botName.length).trim();
  }
  return trimmed;
}
