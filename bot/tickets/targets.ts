import type { IncomingEvent } from '../chat/model.js';
import type { Tx } from '../db/client.js';
import { BotError } from '../errors.js';
import type { Directory } from '../org/directory.js';
import type { TransferTarget } from './work.js';

/**
 * Whom `转派` (or `委托`, with `anyone`) names: an @-mention the platform resolved, or a name as people write it — 王伟, 王工,
 * wang-wei, 网络组, 网络管理组.
 */
export async function resolveTarget(
  tx: Tx,
  directory: Directory,
  event: IncomingEvent,
  written: string,
  opts: { anyone?: boolean } = {},
): Promise<TransferTarget> {
  const name = written.replace(/^@/, '').trim();
  const mention = event.mentions?.find((m) => m.name === name) ?? (name ? undefined : event.mentions?.[0]);
  if (mention) {
    const identity = await tx.platformIdentity.findUnique({
      where: { platform_platformUserId: { platform: event.platform, platformUserId: mention.platformId } },
    });
    const person = identity && directory.person(identity.personId);
    if (person) return { person };
  }
  const lower = name.toLowerCase();
  const person = directory
    .allPeople()
    .find((p) => (opts.anyone || directory.isItStaff(p)) && (p.name === name || p.id === lower || directory.callName(p) === name));
  if (person) return { person };
  const group = directory.org.itGroups.find((g) => g.name === name || g.id === lower || g.aliases.includes(name));
  if (group) return { group: { id: group.id, name: group.name } };
  throw new BotError('unknown_target', { target: name || '—' });
}
