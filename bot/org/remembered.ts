import type { Person } from './directory.js';

/**
 * People the organisation file does not list, remembered from a platform's directory (kept in the
 * database, `source = 'directory'`): loaded at start, extended as people are learned, and read by
 * every Directory of the bot, so the file can be reloaded without forgetting them.
 */
export class RememberedPeople {
  private readonly byId = new Map<string, Person>();

  get(id: string): Person | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  set(person: Person): void {
    this.byId.set(person.id, person);
  }

  get size(): number {
    return this.byId.size;
  }
}
