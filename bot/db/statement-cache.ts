import type { Database, Statement } from 'better-sqlite3';

/** How many distinct statements are kept prepared; past that the cache starts over. */
const MAX_STATEMENTS = 2_000;

/**
 * Makes a better-sqlite3 connection prepare each distinct SQL text once. Prisma's adapter prepares
 * every query it runs anew and binds it for that one run; here `prepare` hands back the statement
 * prepared the first time, wrapped so that each `bind(args)` applies to that run only (a statement
 * of better-sqlite3 can be bound for good only once). The SQL Prisma sends for a query of one
 * shape is always the same text, with its values as parameters, so the cache stays small.
 */
export function cachePreparedStatements(client: Database): void {
  const prepare = client.prepare.bind(client) as (sql: string) => Statement<unknown[]>;
  const cache = new Map<string, Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size >= MAX_STATEMENTS) cache.clear();
      stmt = prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  (client as { prepare: unknown }).prepare = (sql: string) => reusable(prepared(sql));
}

/** The parts of a statement Prisma's adapter uses, each run with its own arguments. */
function reusable(stmt: Statement<unknown[]>) {
  const run = (args?: unknown[]) => (args ? stmt.run(args) : stmt.run());
  return {
    reader: stmt.reader,
    run: () => run(),
    bind: (args: unknown[]) => ({
      reader: stmt.reader,
      run: () => run(args),
      columns: () => stmt.columns(),
      raw: () => ({ all: () => stmt.raw(true).all(args) }),
    }),
  };
}
