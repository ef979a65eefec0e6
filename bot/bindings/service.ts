import type { AuditLog } from '../audit.js';
import type { Platform } from '../chat/model.js';
import type { Clock } from '../clock.js';
import type { Tx } from '../db/client.js';
import { BotError } from '../errors.js';
import { t } from '../i18n/zh.js';
import { declaredBindings, type Directory, type Person } from '../org/directory.js';
import type { ChatPurpose, OrgChat } from '../org/schema.js';
import type { Outbox } from '../outbox/outbox.js';
import { localDate, localDateTime } from '../time.js';
import { BINDING_ENTITY, bindingEntityId, bindingOf, bindTarget, hasOneGroupPerPlatform, type GroupBinding, type PlatformGroup } from './lookup.js';

/**
 * Groups set up from chat: the greeting when the bot arrives, `绑定 报修群` / `解绑` by an admin or
 * the IT director, and `群设置`. Bindings made here are kept in the database (ChatBinding with
 * `source = 'chat'`, who and when, an audit row); the organisation file's bindings win over them.
 */
export class ChatBindingService {
  constructor(private readonly d: { tx: Tx; directory: Directory; clock: Clock; timeZone: string; outbox: Outbox; audit: AuditLog }) {}

  /** The greeting on arriving in a chat: what the group is bound as, or how an admin binds it. */
  async greet(group: PlatformGroup): Promise<void> {
    const botName = this.d.directory.botName;
    const binding = await bindingOf(this.d.tx, this.d.directory, group);
    const text =
      group.type === 'direct'
        ? t('binding.welcome.direct', { botName })
        : binding
          ? t('binding.welcome.bound', { botName, ...this.words(binding.chat), origin: this.origin(binding) })
          : t('binding.welcome.unbound', { botName });
    await this.d.outbox.send(this.target(group), { type: 'text', text });
  }

  /** `群设置`: what the group is bound as, by the file or from chat, and what that means. */
  async describe(group: PlatformGroup): Promise<string> {
    if (group.type === 'direct') return t('binding.show.direct');
    const binding = await bindingOf(this.d.tx, this.d.directory, group);
    if (!binding) return t('binding.show.none');
    if (binding.source === 'org') return t('binding.show.org', this.words(binding.chat));
    const at = binding.boundAt;
    const when = at ? `${localDate(at, this.d.timeZone)} ${localDateTime(at, this.d.timeZone).split(' ')[1]}` : '';
    return t('binding.show.chat', { ...this.words(binding.chat), who: this.nameOf(binding.boundById), when });
  }

  /**
   * `绑定 报修群`: binds the group to the organisation chat `wanted` names. Refused for anyone but an
   * admin or the IT director, in a direct chat, for a group the file binds, and for a chat of one
   * group per platform that the file already binds on this platform. Such a chat's previous group on
   * this platform, bound from chat, is unbound (and told). Returns the answer.
   */
  async bind(actor: Person, group: PlatformGroup, wanted: string): Promise<string> {
    const { tx, directory, clock, audit } = this.d;
    this.authorize(actor, t('binding.what.bind'));
    if (group.type === 'direct') throw new BotError('binding_direct');
    const target = bindTarget(directory, wanted);
    if (target.kind === 'unknown') throw new BotError('binding_unknown_chat', { wanted: wanted.trim(), choices: this.choices() });
    if (target.kind === 'missing') throw new BotError('binding_no_chat', { purpose: this.purposeName(target.purpose), purposeId: target.purpose });
    const chat = target.chat;
    this.refuseFileBound(group, t('binding.what.bind'));
    if (hasOneGroupPerPlatform(chat) && declaredBindings(chat).some((b) => b.platform === group.platform))
      throw new BotError('binding_taken_by_file', this.words(chat));

    const key = { platform: group.platform, platformChatId: group.id };
    const before = await tx.chatBinding.findUnique({ where: { platform_platformChatId: key } });
    const beforeChat = before?.source === 'chat' ? directory.chat(before.chatId) : undefined;
    if (beforeChat?.id === chat.id) return t('binding.already', this.words(chat));

    const replaced = hasOneGroupPerPlatform(chat) ? await this.unbindOthers(actor, chat, group) : 0;
    const row = { chatId: chat.id, source: 'chat', boundById: actor.id, boundAt: clock.now() };
    await tx.chatBinding.upsert({ where: { platform_platformChatId: key }, create: { ...key, ...row }, update: row });
    await audit.record({
      actorId: actor.id,
      action: beforeChat ? 'chat.rebind' : 'chat.bind',
      entityType: BINDING_ENTITY,
      entityId: bindingEntityId(group.platform, group.id),
      before: beforeChat ? { chatId: beforeChat.id, source: 'chat' } : undefined,
      after: { chatId: chat.id, source: 'chat' },
    });
    const answer = beforeChat ? t('binding.rebound', { ...this.words(chat), before: beforeChat.name }) : t('binding.bound', this.words(chat));
    return replaced > 0 ? `${answer}\n${t('binding.replaced', this.words(chat))}` : answer;
  }

  /** `解绑`: ends the group's binding made from chat; the file's bindings are changed only in the file. */
  async unbind(actor: Person, group: PlatformGroup): Promise<string> {
    const { tx, directory } = this.d;
    this.authorize(actor, t('binding.what.unbind'));
    if (group.type === 'direct') throw new BotError('binding_direct');
    this.refuseFileBound(group, t('binding.what.unbind'));
    const key = { platform: group.platform, platformChatId: group.id };
    const row = await tx.chatBinding.findUnique({ where: { platform_platformChatId: key } });
    const chat = row?.source === 'chat' ? directory.chat(row.chatId) : undefined;
    if (!row || !chat) return t('binding.unbind.none');
    await this.remove(actor, row);
    return t('binding.unbound', this.words(chat));
  }

  /** Deletes a binding made from chat, with its audit row. */
  private async remove(
    actor: Person,
    row: { platform: string; platformChatId: string; chatId: string; boundById: string | null },
    after?: object,
  ): Promise<void> {
    const { platform, platformChatId } = row;
    await this.d.tx.chatBinding.delete({ where: { platform_platformChatId: { platform, platformChatId } } });
    await this.d.audit.record({
      actorId: actor.id,
      action: 'chat.unbind',
      entityType: BINDING_ENTITY,
      entityId: bindingEntityId(platform, platformChatId),
      before: { chatId: row.chatId, source: 'chat', boundById: row.boundById },
      after,
    });
  }

  /** Unbinds the chat's other groups on this platform bound from chat, telling each; how many there were. */
  private async unbindOthers(actor: Person, chat: OrgChat, group: PlatformGroup): Promise<number> {
    const { tx, outbox } = this.d;
    const others = await tx.chatBinding.findMany({
      where: { chatId: chat.id, platform: group.platform, source: 'chat', platformChatId: { not: group.id } },
    });
    for (const other of others) {
      await this.remove(actor, other, { replacedBy: bindingEntityId(group.platform, group.id) });
      const text = t('binding.movedAway', { ...this.words(chat), who: this.d.directory.callName(actor) });
      await outbox.send({ platform: other.platform as Platform, chatId: other.platformChatId }, { type: 'text', text });
    }
    return others.length;
  }

  private authorize(actor: Person, what: string): void {
    if (!this.d.directory.hasRole(actor, 'admin', 'it_director')) throw new BotError('not_allowed', { who: t('binding.who'), what });
  }

  /** The organisation file's binding of this group wins: it is changed only in the file. */
  private refuseFileBound(group: PlatformGroup, what: string): void {
    const declared = this.d.directory.chatOn(group.platform, group.id);
    if (declared) throw new BotError('binding_by_file', { ...this.words(declared), what });
  }

  private target(group: PlatformGroup) {
    return { platform: group.platform as Platform, chatId: group.id };
  }

  private purposeName(purpose: ChatPurpose): string {
    return t(`binding.purpose.${purpose}`);
  }

  private words(chat: OrgChat) {
    return { chat: chat.name, purpose: this.purposeName(chat.purpose), meaning: t(`binding.meaning.${chat.purpose}`, { chat: chat.name }) };
  }

  private origin(binding: GroupBinding): string {
    return binding.source === 'org' ? t('binding.origin.org') : t('binding.origin.chat', { who: this.nameOf(binding.boundById) });
  }

  private nameOf(personId: string | null | undefined): string {
    const person = personId ? this.d.directory.person(personId) : undefined;
    return person ? this.d.directory.callName(person) : (personId ?? '');
  }

  /** What `绑定` takes: the purpose words, then the file's chat names. */
  private choices(): string {
    const words = [t('binding.purpose.intake'), t('binding.purpose.engineers'), t('binding.purpose.leadership')];
    return [...new Set([...words, ...this.d.directory.chats().map((c) => c.name)])].join('、');
  }
}
