import type { Tx } from '../db/client.js';
import { declaredBindings, type Directory } from '../org/directory.js';
import { BINDING_ENTITY, bindingEntityId, hasOneGroupPerPlatform } from './lookup.js';

const key = (a: string, b: string) => `${a}\u0000${b}`;

/**
 * Rewrites the database's copy of the organisation file's chat bindings (at every start and
 * reload) and keeps those made from chat, except where the file now overrides one: the file binds
 * that very group, or binds that chat of one group per platform on the same platform, or the chat
 * has left the file. Each binding dropped so writes an audit row saying why.
 */
export async function rewriteFileBindings(tx: Tx, directory: Directory, now = new Date()): Promise<void> {
  const declared = directory.chats().flatMap((c) => declaredBindings(c).map((b) => ({ ...b, chatId: c.id })));
  const groups = new Set(declared.map((b) => key(b.platform, b.platformChatId)));
  const chatsOnPlatform = new Set(declared.map((b) => key(b.chatId, b.platform)));
  await tx.chatBinding.deleteMany({ where: { source: { not: 'chat' } } });
  for (const row of await tx.chatBinding.findMany({ where: { source: 'chat' } })) {
    const chat = directory.chat(row.chatId);
    const reason = !chat
      ? 'chat left the organisation file'
      : groups.has(key(row.platform, row.platformChatId))
        ? 'group bound by the organisation file'
        : hasOneGroupPerPlatform(chat) && chatsOnPlatform.has(key(chat.id, row.platform))
          ? 'chat bound on this platform by the organisation file'
          : undefined;
    if (!reason) continue;
    await tx.chatBinding.delete({ where: { platform_platformChatId: { platform: row.platform, platformChatId: row.platformChatId } } });
    await tx.auditLog.create({
      data: {
        actorId: null,
        action: 'chat.unbind',
        entityType: BINDING_ENTITY,
        entityId: bindingEntityId(row.platform, row.platformChatId),
        before: { chatId: row.chatId, source: 'chat', boundById: row.boundById },
        after: { reason },
        createdAt: now,
      },
    });
  }
  await tx.chatBinding.createMany({ data: declared.map((b) => ({ ...b, source: 'org' })) });
}
