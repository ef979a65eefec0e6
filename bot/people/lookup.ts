import type { FastifyBaseLogger } from 'fastify';
import { bindingOf } from '../bindings/lookup.js';
import type { IncomingEvent, Platform } from '../chat/model.js';
import type { ChatSender, DirectoryListing, DirectoryUser } from '../chat/ports.js';
import type { Db } from '../db/client.js';
import type { Directory } from '../org/directory.js';
import { FROM_DIRECTORY } from './store.js';

/** What the platform's directory said about a sender the bot does not know yet. */
export type LookupOutcome =
  | { kind: 'found'; user: DirectoryUser }
  /** The directory answered and does not know them. */
  | { kind: 'missing' }
  /** The directory could not be asked (an error, no permission, too slow). */
  | { kind: 'failed' }
  /** The platform has no directory the bot can read (the simulator, Wechaty). */
  | { kind: 'none' };

/** The platforms' directories, as the configured adapters offer them. */
export interface PlatformDirectories {
  /** The platforms whose directory the bot can read. */
  platforms(): Platform[];
  has(platform: Platform): boolean;
  lookup(platform: Platform, platformId: string): Promise<DirectoryUser | undefined>;
  read(platform: Platform): Promise<DirectoryListing>;
}

/** The directories of the adapters in `adapters` (read at each call: the map is filled once the server is ready). */
export function directoriesOf(adapters: ReadonlyMap<Platform, ChatSender>): PlatformDirectories {
  const of = (platform: Platform) => {
    const adapter = adapters.get(platform);
    return adapter?.lookupUser && adapter.readDirectory ? adapter : undefined;
  };
  return {
    platforms: () => [...adapters.keys()].filter((p) => !!of(p)),
    has: (platform) => !!of(platform),
    lookup: (platform, id) => {
      const adapter = of(platform);
      if (!adapter) throw new Error(`${platform} has no directory`);
      return adapter.lookupUser!(id);
    },
    read: (platform) => {
      const adapter = of(platform);
      if (!adapter) throw new Error(`${platform} has no directory`);
      return adapter.readDirectory!();
    },
  };
}

/** A lookup must leave time to store the report within the platform's deadline (Feishu: 3 s). */
const LOOKUP_WITHIN_MS = 2_000;

export interface SenderLookupDeps {
  db: Db;
  directories?: PlatformDirectories;
  log: FastifyBaseLogger;
  timeoutMs?: number;
}

/**
 * Before an event's unit of work: a sender the bot does not know (not in the file, not remembered,
 * not matched by mobile or email), who addresses the bot, is looked up in the platform's directory,
 * outside the transaction (a network call must not hold the database). Someone remembered whose
 * lookup failed earlier is looked up again. Undefined when there is nothing to look up.
 */
export async function lookUpSender(deps: SenderLookupDeps, directory: Directory, event: IncomingEvent): Promise<LookupOutcome | undefined> {
  const { platform, user, chat } = event;
  // Only a message introduces someone (a click by a stranger is refused without asking anyone).
  if (event.kind !== 'message') return undefined;
  const addressed = chat.type === 'direct' || event.mentionsBot || (await bindingOf(deps.db, directory, { platform, ...chat }))?.chat.purpose === 'intake';
  if (!addressed) return undefined;
  const ids = [user.platformId, ...(user.altIds ?? [])];
  if (ids.some((id) => directory.declaredPerson(platform, id))) return undefined;
  const identity = await deps.db.platformIdentity.findFirst({
    where: { platform, platformUserId: { in: ids } },
    select: { person: { select: { source: true, lookedUpAt: true } } },
  });
  if (identity && (identity.person.source !== FROM_DIRECTORY || identity.person.lookedUpAt)) return undefined;
  const matches = (p: ReturnType<Directory['allPeople']>[number]) =>
    (user.mobile && p.mobile === user.mobile) || (user.email && p.email?.toLowerCase() === user.email.toLowerCase());
  if (!identity && (user.mobile || user.email) && directory.allPeople().some(matches)) return undefined;
  if (!deps.directories?.has(platform)) return { kind: 'none' };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deps.timeoutMs ?? LOOKUP_WITHIN_MS)));
  try {
    const found = await Promise.race([deps.directories.lookup(platform, user.platformId), late]);
    if (found === 'late') {
      deps.log.warn({ platform }, 'directory lookup too slow; the sender is asked for their department');
      return { kind: 'failed' };
    }
    return found ? { kind: 'found', user: found } : { kind: 'missing' };
  } catch (err) {
    deps.log.warn({ platform, err: (err as Error).message }, 'directory lookup failed; the sender is asked for their department');
    return { kind: 'failed' };
  } finally {
    clearTimeout(timer);
  }
}
