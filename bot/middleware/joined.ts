import type { Middleware } from '../context.js';

/**
 * The bot's arrival in a chat (`joined`) is answered with a greeting, whoever added it: what the
 * group is bound as, or how an admin binds it. Everything else goes on to the sender and the command.
 */
export const greetOnArrival: Middleware = async (ctx, next) => {
  if (ctx.event.kind !== 'joined') return next();
  const { platform, chat } = ctx.event;
  ctx.handledBy = 'chat.joined';
  await ctx.services.bindings.greet({ platform, ...chat });
};
