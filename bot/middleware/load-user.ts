import { bindingOf } from '../bindings/lookup.js';
import type { PlatformUser } from '../chat/model.js';
import type { Context, Middleware } from '../context.js';
import type { Tx } from '../db/client.js';
import { BotError } from '../errors.js';
import type { Directory, Person } from '../org/directory.js';
import { recall } from '../people/store.js';

/**
 * Finds who sent the event: by the platform id or another id of the same person, else by the
 * mobile or email the adapter looked up (then remembered as an identity for next time).
 */
async function findPerson(tx: Tx, directory: Directory, platform: string, user: PlatformUser): Promise<Person | undefined> {
  const ids = [user.platformId, ...(user.altIds ?? [])];
  // The ids the organisation file declares are known without asking the database (they are
  // copied there at every start); ids learned from a mobile or email match are looked up.
  for (const id of ids) {
    const declared = directory.declaredPerson(platform, id);
    if (declared) return declared;
  }
  const identity = await tx.platformIdentity.findFirst({ where: { platform, platformUserId: { in: ids } } });
  // Someone remembered from the platform's directory (by another instance too: read from the database).
  if (identity) return directory.person(identity.personId) ?? (await recall(tx, directory, [identity.personId]))[0];
  const person = directory
    .allPeople()
    .find((p) => (user.mobile && p.mobile === user.mobile) || (user.email && p.email?.toLowerCase() === user.email.toLowerCase()));
  if (person) await tx.platformIdentity.create({ data: { platform, platformUserId: user.platformId, personId: person.id } });
  return person;
}

/**
 * Someone the bot did not know, writing in an intake chat or directly to the bot (a message: a
 * click on a card is no introduction), is remembered
 * (with what the platform's directory said of them, looked up before the unit of work) and may
 * report; a remembered person whose lookup failed before is brought up to date once it succeeds.
 */
async function welcome(ctx: Context, person: Person | undefined): Promise<Person | undefined> {
  const { platform, user, chat } = ctx.event;
  if (person) return person.source === 'directory' && ctx.lookup?.kind === 'found' ? ctx.services.people.refresh(person, ctx.lookup.user, platform) : person;
  if (ctx.event.kind !== 'message' || (chat.type !== 'direct' && ctx.chatPurpose !== 'intake')) return undefined;
  return ctx.services.people.learn(platform, user, ctx.lookup);
}

/**
 * Finds who sent the event and which of the organisation's chats it came from. Someone not in the
 * organisation file is remembered in an intake chat or a direct chat (`welcome`); elsewhere they
 * are answered politely when they address the bot, and ignored otherwise.
 */
export const loadUser: Middleware = async (ctx, next) => {
  const { platform, user, chat } = ctx.event;
  // The organisation file's binding of the group, else one an admin made from chat (read from the database).
  ctx.chatPurpose = (await bindingOf(ctx.tx, ctx.directory, { platform, ...chat }))?.chat.purpose;
  const person = await welcome(ctx, await findPerson(ctx.tx, ctx.directory, platform, user));
  if (!person) {
    const addressed = ctx.event.kind === 'action' || chat.type === 'direct' || ctx.chatPurpose === 'intake' || ctx.event.mentionsBot;
    if (!addressed) return;
    throw new BotError('unknown_person');
  }
  ctx.user = person;
  await next();
};
