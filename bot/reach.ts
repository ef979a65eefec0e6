import type { Mention, Platform } from './chat/model.js';
import type { Tx } from './db/client.js';
import { declaredBindings, declaredIdentities, type Directory, type Person } from './org/directory.js';
import type { ChatPurpose } from './org/schema.js';
import type { ChatTarget } from './outbox/outbox.js';

/** How the bot reaches people and chats on a platform: group chats by purpose, mentions, direct chats. */
export class Reach {
  constructor(
    private readonly tx: Tx,
    private readonly directory: Directory,
  ) {}

  /**
   * The platform chat of an organisation chat, on the same platform if bound there: the file's
   * binding first, then the group an admin bound from chat (of several intake groups, the first
   * bound); failing both, its group on another platform, the file's first.
   */
  async chat(chatId: string, platform: Platform): Promise<ChatTarget | undefined> {
    const chat = this.directory.chat(chatId);
    const declared = chat ? declaredBindings(chat) : [];
    const own = declared.find((b) => b.platform === platform);
    if (own) return { platform: own.platform as Platform, chatId: own.platformChatId };
    const fromChat = chat
      ? await this.tx.chatBinding.findMany({ where: { chatId, source: 'chat' }, orderBy: [{ boundAt: 'asc' }, { platformChatId: 'asc' }] })
      : [];
    const binding =
      fromChat.find((b) => b.platform === platform) ??
      declared.find((b) => b.platform !== 'simulator') ??
      fromChat.find((b) => b.platform !== 'simulator') ??
      declared[0] ??
      fromChat[0];
    return binding ? { platform: binding.platform as Platform, chatId: binding.platformChatId } : undefined;
  }

  /**
   * Where a chat's scheduled posts go (the roster, reminders, digests): its group on the platform
   * the file binds it on (the first besides the simulator), else on the platform an admin bound it
   * on from chat, else the simulator.
   */
  async home(chatId: string): Promise<ChatTarget | undefined> {
    const chat = this.directory.chat(chatId);
    const declared = chat ? declaredBindings(chat) : [];
    const bound =
      chat && !declared.some((b) => b.platform !== 'simulator')
        ? await this.tx.chatBinding.findFirst({
            where: { chatId, source: 'chat', platform: { not: 'simulator' } },
            orderBy: [{ boundAt: 'asc' }, { platformChatId: 'asc' }],
          })
        : null;
    const platform = declared.find((b) => b.platform !== 'simulator')?.platform ?? bound?.platform ?? 'simulator';
    return this.chat(chatId, platform as Platform);
  }

  async chatFor(purpose: ChatPurpose, platform: Platform): Promise<ChatTarget | undefined> {
    const chat = this.directory.chatByPurpose(purpose);
    return chat ? this.chat(chat.id, platform) : undefined;
  }

  async mention(person: Person | undefined, platform: Platform): Promise<Mention[]> {
    if (!person) return [];
    // The file's ids first (they are the first rows stored for a person); then ids learned at runtime.
    const declared = declaredIdentities(person).find((i) => i.platform === platform && this.directory.declaredPerson(i.platform, i.platformUserId) === person);
    if (declared) return [{ platformUserId: declared.platformUserId, name: person.name }];
    const identity = await this.tx.platformIdentity.findFirst({ where: { personId: person.id, platform } });
    return identity ? [{ platformUserId: identity.platformUserId, name: person.name }] : [];
  }

  /**
   * A person's direct chat (`user:<platform id>`), on `platform` when they are known there, else on
   * a platform they are known on.
   */
  async direct(person: Person, platform: Platform): Promise<ChatTarget | undefined> {
    const identities = await this.tx.platformIdentity.findMany({ where: { personId: person.id } });
    const identity = identities.find((i) => i.platform === platform) ?? identities.find((i) => i.platform !== 'simulator') ?? identities[0];
    return identity ? { platform: identity.platform as Platform, chatId: `user:${identity.platformUserId}` } : undefined;
  }
}
