import type { Person as PersonRow } from '../../generated/prisma/client.js';
import type { Platform } from '../chat/model.js';
import type { Db, Tx } from '../db/client.js';
import type { Directory, Person } from '../org/directory.js';

/** `Person.source` of people remembered from a platform's directory (the file's are `org`). */
export const FROM_DIRECTORY = 'directory';

/** A remembered person's id: the platform and their id there (never an id the file may use, which has no colon). */
export const rememberedId = (platform: Platform, platformUserId: string) => `${platform}:${platformUserId}`;

/** A remembered person as the bot works with them: a reporter, in the department they are known in. */
export function personOfRow(row: Pick<PersonRow, 'id' | 'name' | 'departmentId' | 'phone' | 'mobile'>): Person {
  return {
    id: row.id,
    name: row.name,
    department: row.departmentId ?? undefined,
    roles: ['reporter'],
    source: FROM_DIRECTORY,
    ...(row.phone ? { phone: row.phone } : {}),
    ...(row.mobile ? { mobile: row.mobile } : {}),
  };
}

/** Reads remembered people from the database into the directory (all of them, or those of `ids`); returns those found. */
export async function recall(db: Db | Tx, directory: Directory, ids?: readonly string[]): Promise<Person[]> {
  const rows = await db.person.findMany({ where: { source: FROM_DIRECTORY, ...(ids ? { id: { in: [...ids] } } : {}) } });
  const people = rows.map(personOfRow);
  for (const person of people) directory.rememberedPeople.set(person);
  return people;
}

/**
 * Makes the people of `ids` resolvable through `directory.person`: those another instance learned
 * (or learned before this one started) are read from the database. One query, and only when an id
 * is not known yet.
 */
export async function ensureKnown(tx: Db | Tx, directory: Directory, ids: readonly (string | null | undefined)[]): Promise<void> {
  const missing = [...new Set(ids.filter((id): id is string => !!id && !directory.person(id)))];
  if (missing.length > 0) await recall(tx, directory, missing);
}
