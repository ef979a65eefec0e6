/**
 * Loaded into the bot under test with `node --import ./bench/count-statements.mjs` (the bench
 * only): counts the SQL statements the bot runs on SQLite, at better-sqlite3 itself, below
 * Prisma's driver adapter and below the statements the hot paths prepare once: every run of a
 * prepared statement (`run`, `all`, `get`, `iterate`) and every script (`exec`: transactions are
 * `BEGIN IMMEDIATE` / `COMMIT`) is one. The bench asks for the counts over the IPC channel it opened
 * (`{ countStatements: true }` → `{ statements: { data, control } }`).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const Database = require('better-sqlite3');
const counts = { data: 0, control: 0 };
const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

const count = (sql) => {
  if (CONTROL.test(sql)) counts.control++;
  else counts.data++;
};
// Statements are made by the native module; their class is reached through one of them.
const probe = new Database(':memory:');
const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
probe.close();
for (const method of ['run', 'all', 'get', 'iterate']) {
  const original = Statement[method];
  Statement[method] = function (...args) {
    count(this.source);
    return original.apply(this, args);
  };
}
const exec = Database.prototype.exec;
Database.prototype.exec = function (sql, ...rest) {
  count(sql);
  return exec.call(this, sql, ...rest);
};

if (process.send) {
  process.on('message', (m) => {
    if (m && m.countStatements) process.send({ statements: { ...counts } });
  });
  // The channel alone does not keep the bot running, nor stop it from exiting.
  process.channel?.unref();
}
