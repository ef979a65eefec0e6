import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const migrations = path.resolve(import.meta.dirname, '../../../../prisma/migrations');
const MIGRATION = '20261125000000_message_ref_escalation';

describe(`the ${MIGRATION} migration`, () => {
  it('moves the escalation step packed into MessageRef.kind into its columns', () => {
    const db = new Database(':memory:');
    const names = readdirSync(migrations, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const sql = (name: string) => readFileSync(path.join(migrations, name, 'migration.sql'), 'utf8');
    for (const name of names.slice(0, names.indexOf(MIGRATION))) db.exec(sql(name));
    const insert = db.prepare(
      `INSERT INTO "MessageRef" ("entityType", "entityId", "kind", "platform", "chatId") VALUES ('ticket', 'IT-1', ?, 'feishu', 'oc_1')`,
    );
    for (const kind of ['escalation|response|1|17|wang-wei|王工', 'escalation|resolution|2|3||', 'escalation|response|3|45|li|李"主任\\', 'dispatch'])
      insert.run(kind);
    db.exec(sql(MIGRATION));
    const rows = db
      .prepare(
        `SELECT "kind", "escalationWhat", "escalationLevel", "escalationMinutes", "escalationTargetId", "escalationTargetName" FROM "MessageRef" ORDER BY "id"`,
      )
      .raw()
      .all();
    expect(rows).toEqual([
      ['escalation', 'response', 1, 17, 'wang-wei', '王工'],
      ['escalation', 'resolution', 2, 3, null, ''],
      ['escalation', 'response', 3, 45, 'li', '李"主任\\'],
      ['dispatch', null, null, null, null, null],
    ]);
    db.close();
  });
});
