/**
 * What a Prisma error says, by its code (https://www.prisma.io/docs/orm/reference/error-reference),
 * in one place: the rest of the bot asks these questions instead of reading codes.
 */

/** The code of a Prisma known request error (`P2002`, `P2025`, …), or undefined for any other error. */
export function prismaCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^P\d{4}$/.test(code) ? code : undefined;
}

/** A unique key was already taken (P2002); with `model`, only when it is that model's key. */
export function isUniqueViolation(err: unknown, model?: string): boolean {
  if (prismaCode(err) !== 'P2002') return false;
  return model === undefined || JSON.stringify((err as { meta?: unknown }).meta ?? '').includes(model);
}

/** The transaction lost to a concurrent one: a serialization failure or a deadlock (P2034). */
export function isWriteConflict(err: unknown): boolean {
  return prismaCode(err) === 'P2034';
}

/** The row an update or delete expected is not there, or no longer matches its condition (P2025). */
export function isRecordGone(err: unknown): boolean {
  return prismaCode(err) === 'P2025';
}
