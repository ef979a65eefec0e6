/**
 * What a Prisma error says, by its code (https://www.prisma.io/docs/orm/reference/error-reference),
 * in one place: the rest of the bot asks these questions instead of reading codes.
 */

/** The code of a Prisma known request error (`P2002`, `P2025`, …), or undefined for any other error. */
export function prismaCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^P\d{4}$/.test(code) ? code : undefined;
}

/** What the driver said under a raw query's error (P2010): its kind (`UniqueConstraintViolation`, …) and code. */
function rawCause(err: unknown): { kind?: string; originalCode?: string } | undefined {
  if (prismaCode(err) !== 'P2010') return undefined;
  return (err as { meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } }).meta?.driverAdapterError?.cause;
}

/** SQLite's own error, from a statement run on the connection directly. */
function sqliteCode(err: unknown): string | undefined {
  const e = err as { name?: unknown; code?: unknown } | null;
  return e?.name === 'SqliteError' && typeof e.code === 'string' ? e.code : undefined;
}

/**
 * A unique key was already taken (P2002, or the same under a raw query or a prepared statement);
 * with `model`, only when it is that model's key.
 */
export function isUniqueViolation(err: unknown, model?: string): boolean {
  const sqlite = sqliteCode(err);
  const taken =
    prismaCode(err) === 'P2002' ||
    rawCause(err)?.kind === 'UniqueConstraintViolation' ||
    sqlite === 'SQLITE_CONSTRAINT_UNIQUE' ||
    sqlite === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (!taken) return false;
  const said = sqlite ? String((err as Error).message) : JSON.stringify((err as { meta?: unknown }).meta ?? '');
  return model === undefined || said.includes(model);
}

/** The transaction lost to a concurrent one: a serialization failure or a deadlock (P2034, or the same under a raw query). */
export function isWriteConflict(err: unknown): boolean {
  const raw = rawCause(err);
  return prismaCode(err) === 'P2034' || raw?.kind === 'TransactionWriteConflict' || raw?.originalCode === '40001' || raw?.originalCode === '40P01';
}

/** The row an update or delete expected is not there, or no longer matches its condition (P2025). */
export function isRecordGone(err: unknown): boolean {
  return prismaCode(err) === 'P2025';
}

/** Prisma codes of a database that cannot answer now: unreachable, timed out, a pool or transaction that could not start, a conflict that kept losing. */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);

/** What SQLite, PostgreSQL and the drivers say when storage is busy, full, read-only or gone. */
const UNAVAILABLE_TEXT =
  /SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|PROTOCOL)|database is locked|database or disk is full|disk I\/O error|readonly database|unable to open database|No space left on device|could not extend file|Connection terminated|ECONNREFUSED|ECONNRESET|the database system is (starting up|shutting down|in recovery mode)|too many clients|Can't reach database|Timed out fetching a new connection|Unable to start a transaction/i;

/**
 * Storage that could not store now but may soon: busy or locked by another process, a timeout, a
 * full disk, a read-only file, a server unreachable. The work is not done and is worth asking for
 * again (a platform's redelivery), unlike a refused input or a bug.
 */
export function isStorageUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = prismaCode(e);
    if ((code && UNAVAILABLE_CODES.has(code)) || isWriteConflict(e)) return true;
    const { message, code: raw, cause } = e as { message?: unknown; code?: unknown; cause?: unknown };
    if (typeof raw === 'string' && UNAVAILABLE_TEXT.test(raw)) return true;
    if (typeof message === 'string' && UNAVAILABLE_TEXT.test(message)) return true;
    const original = (cause as { originalCode?: unknown; originalMessage?: unknown } | undefined) ?? {};
    if (typeof original.originalCode === 'string' && UNAVAILABLE_TEXT.test(original.originalCode)) return true;
    if (typeof original.originalMessage === 'string' && UNAVAILABLE_TEXT.test(original.originalMessage)) return true;
    e = cause;
  }
  return false;
}
