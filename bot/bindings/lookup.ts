import type { Tx } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import type { ChatPurpose, OrgChat } from '../org/schema.js';

/** The audit trail's name for a platform group's binding: `chat-binding`, `<platform>:<chat id>`. */
export const BINDING_ENTITY = 'chat-binding';
export const bindingEntityId = (platform: string, platformChatId: string) => `${platform}:${platformChatId}`;

/** Where a binding comes from: the organisation file (it wins) or an admin in chat. */
export type BindingSource = 'org' | 'chat';

/** What a platform group is bound as. */
export interface GroupBinding {
  chat: OrgChat;
  source: BindingSource;
  /** Who bound it from chat, and when (the file's bindings have neither). */
  boundById?: string | null;
  boundAt?: Date | null;
}

/** A platform chat as an event names it. */
export interface PlatformGroup {
  platform: string;
  id: string;
  type: 'group' | 'direct';
}

/**
 * What a platform group is bound as: the organisation file's binding first (it wins, known without
 * asking the database), else one an admin made from chat, read from the database at each event so
 * every instance sees a binding the moment it commits. A direct chat is bound to nothing.
 */
export async function bindingOf(tx: Tx, directory: Directory, group: PlatformGroup): Promise<GroupBinding | undefined> {
  const declared = directory.chatOn(group.platform, group.id);
  if (declared) return { chat: declared, source: 'org' };
  if (group.type === 'direct') return undefined;
  const row = await tx.chatBinding.findUnique({ where: { platform_platformChatId: { platform: group.platform, platformChatId: group.id } } });
  // A file's row the file in force no longer has is a stale copy (a reload is rewriting it).
  const chat = row?.source === 'chat' ? directory.chat(row.chatId) : undefined;
  return chat && row ? { chat, source: 'chat', boundById: row.boundById, boundAt: row.boundAt } : undefined;
}

/**
 * Purposes whose messages go to one group per platform (dispatch cards, digests, notices): a chat
 * binding of such a chat stands in for the file's group only on a platform the file binds it on
 * nowhere. Intake is the other kind: every group bound to it is a place reports are read.
 */
export function hasOneGroupPerPlatform(chat: OrgChat): boolean {
  return chat.purpose !== 'intake';
}

/** The words that name a purpose in `绑定 报修群` (besides the file's names of its chats). */
const PURPOSE_WORDS: Record<Exclude<ChatPurpose, 'other'>, string[]> = {
  intake: ['报修群', '报修', '报修入口', 'intake'],
  engineers: ['工程师群', '工程师', '派单群', 'engineers'],
  leadership: ['领导群', '领导', '院领导群', 'leadership'],
};

const folded = (text: string) =>
  text
    .replace(/[\s「」『』“”"'《》【】]/g, '')
    .replace(/[。.!！]+$/, '')
    .toLowerCase();

export type BindTarget = { kind: 'chat'; chat: OrgChat } | { kind: 'missing'; purpose: ChatPurpose } | { kind: 'unknown' };

/** The organisation chat `绑定 …` names: a purpose word (报修群 / 工程师群 / 领导群), or a chat's name or id in the file. */
export function bindTarget(directory: Directory, wanted: string): BindTarget {
  // `绑定本群为报修群`, `绑定为工程师群`: the words around the name are no part of it.
  const word = folded(wanted).replace(/^(本群)?(为|作为)(?=.)/, '');
  for (const [purpose, words] of Object.entries(PURPOSE_WORDS) as [ChatPurpose, string[]][]) {
    if (!words.includes(word)) continue;
    const chat = directory.chatByPurpose(purpose);
    return chat ? { kind: 'chat', chat } : { kind: 'missing', purpose };
  }
  const chat = directory.chats().find((c) => folded(c.name) === word || c.id.toLowerCase() === word);
  return chat ? { kind: 'chat', chat } : { kind: 'unknown' };
}

/** Whether text run straight into `绑定` (no space) is its argument: `绑定报修群`, `绑定信息科工程师群`. */
export function looksLikeBindTarget(rest: string): boolean {
  const word = folded(rest);
  return word.length > 0 && word.length <= 16 && (word.endsWith('群') || Object.values(PURPOSE_WORDS).some((words) => words.includes(word)));
}
