import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../../bot/db/group-commit.js';
import { freshDatabase, type TestDatabase } from '../../../helpers/db.js';

describe('GroupCommit', () => {
  let database: TestDatabase;
  afterEach(async () => database?.drop());

  const store = (key: string) => async (tx: Parameters<Parameters<GroupCommit['run']>[0]>[0]) => {
    await tx.inboundEvent.create({ data: { key, platform: 'simulator' } });
    return key;
  };

  it('commits events that arrive together, and settles each only once it is stored', async () => {
    database = await freshDatabase();
    const writer = new GroupCommit(database.db);
    const settled: { key: string; stored: boolean }[] = [];
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    await Promise.all(
      keys.map((key) =>
        writer.run(store(key)).then(async (done) => {
          // Seen by another reader the moment it is settled: committed, not just written.
          settled.push({ key: done, stored: !!(await database.db.inboundEvent.findUnique({ where: { key: done } })) });
        }),
      ),
    );
    expect(settled.map((s) => s.key).sort()).toEqual([...keys].sort());
    expect(settled.every((s) => s.stored)).toBe(true);
  });

  it('rolls a failing event back alone and answers it with its error, while the others commit', async () => {
    database = await freshDatabase();
    const writer = new GroupCommit(database.db);
    const failing = async (tx: Parameters<Parameters<GroupCommit['run']>[0]>[0]) => {
      await tx.inboundEvent.create({ data: { key: 'bad', platform: 'simulator' } });
      throw new Error('refused');
    };
    const results = await Promise.allSettled([
      writer.run(store('a')),
      writer.run(store('b')),
      writer.run(failing),
      writer.run(store('c')),
      writer.run(store('a')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toEqual(new Error('refused'));
    const stored = await database.db.inboundEvent.findMany({ orderBy: { key: 'asc' } });
    expect(stored.map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });
});
