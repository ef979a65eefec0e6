import type { Middleware } from '../context.js';
import { BotError } from '../errors.js';
import type { ChatPurpose } from '../org/schema.js';

/** Finds who sent the event and which of the organisation's chats it came from. */
export const loadUser: Middleware = async (ctx, next) => {
  const { platform, user, chat } = ctx.event;
  const identity = await ctx.tx.platformIdentity.findUnique({
    where: { platform_platformUserId: { platform, platformUserId: user.platformId } },
  });
  const person = identity ? ctx.directory.person(identity.personId) : undefined;
  if (!person) throw new BotError('unknown_person');
  ctx.user = person;
  const binding = await ctx.tx.chatBinding.findUnique({
    where: { platform_platformChatId: { platform, platformChatId: chat.id } },
    include: { chat: true },
  });
  ctx.chatPurpose = binding?.chat.purpose as ChatPurpose | undefined;
  await next();
};
