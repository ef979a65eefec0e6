import type { PlatformState } from './chat/ports.js';
import type { Clock } from './clock.js';
import type { Db } from './db/client.js';

/** Platform facts in the database, so every instance and every restart sees them. */
export class DbPlatformState implements PlatformState {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.platformState.findUnique({ where: { key } });
    return row && row.expiresAt > this.clock.now() ? row.value : undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const expiresAt = new Date(this.clock.now().getTime() + ttlMs);
    await this.db.platformState.upsert({ where: { key }, create: { key, value, expiresAt }, update: { value, expiresAt } });
    await this.db.platformState.deleteMany({ where: { expiresAt: { lt: this.clock.now() } } });
  }

  async delete(key: string): Promise<void> {
    await this.db.platformState.deleteMany({ where: { key } });
  }
}
