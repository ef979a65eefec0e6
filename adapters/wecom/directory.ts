import type { FastifyBaseLogger } from 'fastify';
import { PermanentSendError, type DirectoryDepartment, type DirectoryListing, type DirectoryUser } from '../../bot/chat/ports.js';
import type { WeComApi } from './api.js';

/** 60111 "userid not found": no such member in the corporation (or outside the app's visible range). */
const NOT_FOUND = new Set([60111]);
/** Members who left (5) or were disabled (2) are no longer in the address book for the bot. */
const GONE = new Set([2, 5]);
/** How long the departments' names are kept before they are read again. */
const NAMES_TTL_MS = 60 * 60_000;

type WeComUser = { userid?: string; name?: string; mobile?: string; email?: string; biz_mail?: string; department?: unknown[]; status?: number };
type WeComDepartment = { id?: unknown; name?: string; parentid?: unknown };

/**
 * The corporation's address book through the self-built application's HTTP API: `user/get` for one
 * member, `department/list` for the departments (and their names), `user/list` for each
 * department's members. Needs the address-book read scope (通讯录读取) of the application, and its
 * visible range covering the hospital.
 */
export class WeComDirectory {
  private names: { at: number; byId: Map<string, string> } | undefined;

  constructor(
    private readonly api: WeComApi,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {}

  async lookupUser(userid: string): Promise<DirectoryUser | undefined> {
    let user: WeComUser;
    try {
      user = (await this.api.get('user/get', { userid })) as WeComUser;
    } catch (err) {
      if (err instanceof PermanentSendError && NOT_FOUND.has(Number(err.code))) return undefined;
      throw err;
    }
    if (!user.name || GONE.has(user.status ?? 1)) return undefined;
    const names = await this.departmentNames();
    return userOf(user, userid, names);
  }

  async readDirectory(): Promise<DirectoryListing> {
    const departments = await this.departments();
    this.names = { at: this.now(), byId: new Map(departments.map((d) => [d.id, d.name])) };
    const users = new Map<string, DirectoryUser>();
    for (const department of departments) {
      const reply = await this.api.get('user/list', { department_id: department.id });
      for (const member of (reply.userlist ?? []) as WeComUser[]) {
        if (!member.userid || !member.name || GONE.has(member.status ?? 1) || users.has(member.userid)) continue;
        users.set(member.userid, userOf(member, member.userid, this.names.byId));
      }
    }
    return { departments, users: [...users.values()] };
  }

  private async departments(): Promise<DirectoryDepartment[]> {
    const reply = await this.api.get('department/list');
    return ((reply.department ?? []) as WeComDepartment[])
      .filter((d) => d.id !== undefined && d.name)
      .map((d) => ({ id: String(d.id), name: d.name!, ...(d.parentid !== undefined && Number(d.parentid) !== 0 ? { parentId: String(d.parentid) } : {}) }));
  }

  /** The departments' names, kept for an hour; none when they cannot be read (the ids still map people). */
  private async departmentNames(): Promise<Map<string, string>> {
    if (this.names && this.now() - this.names.at < NAMES_TTL_MS) return this.names.byId;
    try {
      this.names = { at: this.now(), byId: new Map((await this.departments()).map((d) => [d.id, d.name])) };
      return this.names.byId;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not read the department names');
      return new Map();
    }
  }
}

function userOf(user: WeComUser, userid: string, names: Map<string, string>): DirectoryUser {
  const email = user.email || user.biz_mail || undefined;
  return {
    platformId: userid,
    name: user.name!,
    ...(user.mobile ? { mobile: user.mobile } : {}),
    ...(email ? { email } : {}),
    departments: (user.department ?? []).map(String).map((id) => ({ id, name: names.get(id) })),
  };
}
