import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** A person of the stand-in's address book (contact v3), as find_by_department and users/:id give them. */
export interface ContactUser {
  open_id: string;
  name: string;
  mobile?: string;
  email?: string;
  /** open_department_ids; none: directly under the root department "0". */
  department_ids: string[];
}

/** A department of the stand-in's address book; `parent_department_id` "0" is the root. */
export interface ContactDepartment {
  open_department_id: string;
  name: string;
  parent_department_id: string;
}

const ID_TYPES = { user: ['open_id', 'user_id', 'union_id'], department: ['department_id', 'open_department_id'] };

/** What the stand-in's address book holds, and how many items it gives a page at most. */
export interface ContactBook {
  /** Only the mobile and email of a sender (matching people by them), without a name. */
  contacts: Map<string, { mobile?: string; email?: string }>;
  users: Map<string, ContactUser>;
  departments: Map<string, ContactDepartment>;
  pageLimit: number;
}

/** The stand-in's check of each call (failures injected, the tenant token), around what the call answers. */
export type Guard = (req: FastifyRequest, reply: FastifyReply, handle: () => unknown) => unknown;

/**
 * contact v3 as the bot calls it, answered as Feishu answers: one user, one department, a
 * department's children (all descendants with fetch_child) and a department's direct members,
 * paged with page_size (at most 50), page_token and has_more; a bad id type, page size or page
 * token is refused with Feishu's code, someone outside the address book with 41050.
 */
export function serveContacts(app: FastifyInstance, book: ContactBook, guard: Guard): void {
  type Query = Record<string, string | undefined>;
  const badIdType = (q: Query) =>
    (q.user_id_type && !ID_TYPES.user.includes(q.user_id_type)) || (q.department_id_type && !ID_TYPES.department.includes(q.department_id_type));
  const invalid = (reply: FastifyReply, code: number, msg: string) => reply.code(400).send({ code, msg, error: { log_id: `log-${code}` } });
  /** One page of `items` after `page_token`, with has_more and the next token. */
  const page = <T>(items: T[], q: Query, reply: FastifyReply) => {
    const size = Number(q.page_size ?? 50);
    if (!Number.isInteger(size) || size < 1 || size > 50) return invalid(reply, 40011, 'page size is invalid');
    const start = q.page_token ? Number(/^pt-(\d+)$/.exec(q.page_token)?.[1] ?? NaN) : 0;
    if (!Number.isInteger(start) || start > items.length) return invalid(reply, 40012, 'page token is invalid error');
    const end = start + Math.min(size, book.pageLimit);
    const more = end < items.length;
    return { code: 0, msg: 'success', data: { items: items.slice(start, end), has_more: more, ...(more ? { page_token: `pt-${end}` } : {}) } };
  };
  app.get<{ Querystring: Query }>('/open-apis/contact/v3/users/find_by_department', async (req, reply) =>
    guard(req, reply, () => {
      const q = req.query;
      if (badIdType(q) || !q.department_id) return invalid(reply, 99992402, 'field validation failed');
      if (q.department_id !== '0' && !book.departments.has(q.department_id)) return reply.code(403).send({ code: 40004, msg: 'no dept authority error' });
      const members = [...book.users.values()].filter((u) =>
        q.department_id === '0' ? u.department_ids.length === 0 : u.department_ids.includes(q.department_id!),
      );
      return page(
        members.map((u) => ({ ...u, department_ids: u.department_ids.length ? u.department_ids : ['0'] })),
        q,
        reply,
      );
    }),
  );
  app.get<{ Params: { id: string }; Querystring: Query }>('/open-apis/contact/v3/users/:id', async (req, reply) =>
    guard(req, reply, () => {
      if (badIdType(req.query)) return invalid(reply, 99992402, 'field validation failed');
      const user = book.users.get(req.params.id);
      if (user) return { code: 0, msg: 'success', data: { user: { ...user, department_ids: user.department_ids.length ? user.department_ids : ['0'] } } };
      const contact = book.contacts.get(req.params.id);
      if (contact) return { code: 0, msg: 'success', data: { user: { open_id: req.params.id, ...contact } } };
      return invalid(reply, 41050, 'no user authority error');
    }),
  );
  app.get<{ Params: { id: string }; Querystring: Query }>('/open-apis/contact/v3/departments/:id/children', async (req, reply) =>
    guard(req, reply, () => {
      const q = req.query;
      if (badIdType(q)) return invalid(reply, 99992402, 'field validation failed');
      if (req.params.id !== '0' && !book.departments.has(req.params.id)) return reply.code(403).send({ code: 40004, msg: 'no dept authority error' });
      const under = (parent: string): ContactDepartment[] =>
        [...book.departments.values()]
          .filter((d) => d.parent_department_id === parent)
          .flatMap((d) => (q.fetch_child === 'true' ? [d, ...under(d.open_department_id)] : [d]));
      return page(under(req.params.id), q, reply);
    }),
  );
  app.get<{ Params: { id: string }; Querystring: Query }>('/open-apis/contact/v3/departments/:id', async (req, reply) =>
    guard(req, reply, () => {
      if (badIdType(req.query)) return invalid(reply, 99992402, 'field validation failed');
      const department = book.departments.get(req.params.id);
      if (!department) return reply.code(403).send({ code: 40004, msg: 'no dept authority error' });
      return { code: 0, msg: 'success', data: { department } };
    }),
  );
}
