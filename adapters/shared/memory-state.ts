import type { PlatformState } from '../../bot/chat/ports.js';

/** A PlatformState in memory, for an adapter used on its own (tests, scripts). */
export class MemoryPlatformState implements PlatformState {
  private readonly values = new Map<string, { value: string; until: number }>();
  async get(key: string) {
    const v = this.values.get(key);
    return v && v.until > Date.now() ? v.value : undefined;
  }
  async set(key: string, value: string, ttlMs: number) {
    this.values.set(key, { value, until: Date.now() + ttlMs });
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}
