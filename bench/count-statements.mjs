/**
 * Loaded into the bot under test with `node --import ./bench/count-statements.mjs` (the bench
 * only): counts the SQL statements the bot sends to SQLite, at better-sqlite3 itself, below
 * Prisma's driver adapter. Every query the adapter runs is one `prepare`; transactions are
 * `exec('BEGIN IMMEDIATE')` / `exec('COMMIT')` scripts. The bench asks for the counts over the
 * IPC channel it opened (`{ countStatements: true }` → `{ statements: { data, control } }`).
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
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql, ...rest) {
  count(sql);
  return prepare.call(this, sql, ...rest);
};
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
