import type * as lark from '@larksuiteoapi/node-sdk';
import type { FastifyBaseLogger } from 'fastify';
import type { DirectoryDepartment, DirectoryListing, DirectoryUser } from '../../bot/chat/ports.js';
import { FeishuApiError, type FeishuApi } from './client.js';

/** The tenant's root department: it has no name of its own and holds everything. */
const ROOT = '0';
/** Feishu's largest page for these calls. */
const PAGE_SIZE = 50;
/** 41050 "no user authority": the person is outside the app's contact scope, or no such person. */
const NOT_VISIBLE = new Set([41050]);
/** How long a department's name is kept before it is read again. */
const NAME_TTL_MS = 60 * 60_000;

type FeishuUser = { open_id?: string; name?: string; mobile?: string; email?: string; enterprise_email?: string; department_ids?: string[] };
type FeishuDepartment = { name?: string; open_department_id?: string; parent_department_id?: string };
type Page<T> = { data?: { items?: T[]; has_more?: boolean; page_token?: string } };

/** A mobile as the hospital writes it: Feishu gives Chinese numbers with +86. */
const mobileOf = (mobile: string | undefined) => (mobile ? mobile.replace(/^\+86/, '') : undefined) || undefined;

/**
 * The tenant's address book through contact v3 (`@larksuiteoapi/node-sdk`'s client): one person
 * with their departments' names, or every department and person the app may see, page by page.
 * Needs contact:user.base:readonly, contact:user.department:readonly and
 * contact:department.base:readonly (contact:user.phone:readonly for mobiles).
 */
export class FeishuDirectory {
  private readonly names = new Map<string, { name: string | undefined; at: number }>();

  constructor(
    private readonly api: FeishuApi,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {}

  async lookupUser(openId: string): Promise<DirectoryUser | undefined> {
    let user: FeishuUser | undefined;
    try {
      const body = (await this.api.call('contact.user.get', (sdk) =>
        sdk.contact.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id', department_id_type: 'open_department_id' } }),
      )) as { data?: { user?: FeishuUser } };
      user = body.data?.user;
    } catch (err) {
      if (err instanceof FeishuApiError && NOT_VISIBLE.has(err.code ?? -1)) return undefined;
      throw err;
    }
    if (!user?.name) return undefined;
    const ids = (user.department_ids ?? []).filter((id) => id !== ROOT);
    const departments = await Promise.all(ids.map(async (id) => ({ id, name: await this.departmentName(id) })));
    return { ...userOf(user, openId), departments };
  }

  async readDirectory(): Promise<DirectoryListing> {
    const departments = (
      await this.pages<FeishuDepartment>('contact.department.children', (sdk, pageToken) =>
        sdk.contact.department.children({
          path: { department_id: ROOT },
          params: { department_id_type: 'open_department_id', user_id_type: 'open_id', fetch_child: true, page_size: PAGE_SIZE, page_token: pageToken },
        }),
      )
    )
      .filter((d): d is FeishuDepartment & { open_department_id: string } => !!d.open_department_id)
      .map((d): DirectoryDepartment => ({
        id: d.open_department_id,
        name: d.name ?? '',
        ...(d.parent_department_id && d.parent_department_id !== ROOT ? { parentId: d.parent_department_id } : {}),
      }));
    const named = new Map(departments.map((d) => [d.id, d.name]));
    for (const d of departments) this.names.set(d.id, { name: d.name, at: this.now() });
    const users = new Map<string, DirectoryUser>();
    for (const department of [ROOT, ...departments.map((d) => d.id)]) {
      const members = await this.pages<FeishuUser>('contact.user.find_by_department', (sdk, pageToken) =>
        sdk.contact.user.findByDepartment({
          params: { department_id: department, department_id_type: 'open_department_id', user_id_type: 'open_id', page_size: PAGE_SIZE, page_token: pageToken },
        }),
      );
      for (const member of members) {
        if (!member.open_id || !member.name || users.has(member.open_id)) continue;
        const ids = (member.department_ids ?? [department]).filter((id) => id !== ROOT);
        users.set(member.open_id, { ...userOf(member, member.open_id), departments: ids.map((id) => ({ id, name: named.get(id) })) });
      }
    }
    return { departments, users: [...users.values()] };
  }

  /** A department's name, kept for an hour; undefined when it cannot be read (the id still maps it). */
  private async departmentName(id: string): Promise<string | undefined> {
    const known = this.names.get(id);
    if (known && this.now() - known.at < NAME_TTL_MS) return known.name;
    try {
      const body = (await this.api.call('contact.department.get', (sdk) =>
        sdk.contact.department.get({ path: { department_id: id }, params: { department_id_type: 'open_department_id', user_id_type: 'open_id' } }),
      )) as { data?: { department?: FeishuDepartment } };
      const name = body.data?.department?.name;
      this.names.set(id, { name, at: this.now() });
      return name;
    } catch (err) {
      this.log.warn({ err: (err as Error).message, department: id }, 'could not read a department name');
      return undefined;
    }
  }

  /** Every item of a paged list, following page_token while has_more. */
  private async pages<T>(name: string, page: (sdk: lark.Client, pageToken: string | undefined) => Promise<unknown>): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    for (let n = 0; n < 10_000; n++) {
      const body = (await this.api.call(name, (sdk) => page(sdk, token))) as Page<T>;
      items.push(...(body.data?.items ?? []));
      if (!body.data?.has_more || !body.data.page_token) return items;
      token = body.data.page_token;
    }
    return items;
  }
}

function userOf(user: FeishuUser, openId: string): Omit<DirectoryUser, 'departments'> {
  const mobile = mobileOf(user.mobile);
  const email = user.email || user.enterprise_email || undefined;
  return { platformId: openId, name: user.name!, ...(mobile ? { mobile } : {}), ...(email ? { email } : {}) };
}
