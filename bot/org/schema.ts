import { z } from 'zod';

export const ROLES = [
  'reporter',
  'info_officer',
  'dept_head',
  'it_engineer',
  'it_group_leader',
  'it_director',
  'vp_it',
  'leadership',
  'hr',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHAT_PURPOSES = ['intake', 'engineers', 'leadership', 'other'] as const;
export type ChatPurpose = (typeof CHAT_PURPOSES)[number];

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _');
const Name = z.string().trim().min(1);
const Keywords = z.array(Name).default([]);

const FeishuIds = z
  .object({
    open_id: z.string().optional(),
    user_id: z.string().optional(),
    union_id: z.string().optional(),
  })
  .strict();

const PersonIds = z
  .object({
    feishu: FeishuIds.optional(),
    wecom: z.object({ userid: z.string() }).strict().optional(),
    wechaty: z.object({ id: z.string() }).strict().optional(),
  })
  .strict();

const ChatIds = z
  .object({ feishu: z.string().optional(), wecom: z.string().optional(), wechaty: z.string().optional() })
  .strict();

const Department = z
  .object({ id: Id, name: Name, aliases: Keywords, head: Id.optional() })
  .strict();

const ItGroup = z.object({ id: Id, name: Name, leader: Id.optional() }).strict();

const Person = z
  .object({
    id: Id,
    name: Name,
    department: Id,
    title: z.string().optional(),
    /** Office phone or extension, shown on cards. */
    phone: z.union([z.string(), z.number()]).transform(String).optional(),
    /** Used to recognize the person on platforms configured to match people by mobile or email. */
    mobile: z.union([z.string(), z.number()]).transform(String).optional(),
    email: z.email().optional(),
    roles: z.array(z.enum(ROLES)).min(1),
    itGroup: Id.optional(),
    /** How colleagues address an engineer in chat, e.g. 王工. Defaults to surname + 工. */
    callName: Name.optional(),
    ids: PersonIds.optional(),
  })
  .strict();

const Chat = z
  .object({ id: Id, name: Name, purpose: z.enum(CHAT_PURPOSES), ids: ChatIds.optional() })
  .strict();

const System = z
  .object({
    id: Id,
    name: Name,
    category: z.enum(['hardware', 'software', 'network', 'service']),
    itGroup: Id,
    keywords: z.array(Name).min(1),
    /** Hardware faults need an asset number before an engineer can go on site. */
    needsAsset: z.boolean().default(false),
  })
  .strict();

const PriorityRule = z.object({ keywords: Keywords }).strict();

export const OrgSchema = z
  .object({
    hospital: z.object({ name: Name, botName: Name.default('信息科助手') }).strict(),
    departments: z.array(Department).min(1),
    itGroups: z.array(ItGroup).min(1),
    people: z.array(Person).min(1),
    chats: z.array(Chat).min(1),
    systems: z.array(System).default([]),
    priorities: z
      .object({ P1: PriorityRule.optional(), P2: PriorityRule.optional(), P4: PriorityRule.optional() })
      .strict()
      .default({}),
    locations: z.object({ buildings: Keywords }).strict().default({ buildings: [] }),
  })
  .strict()
  .superRefine((org, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const unique = <T extends { id: string }>(items: T[], key: string) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.id)) issue([key, i, 'id'], `duplicate id "${item.id}"`);
        seen.add(item.id);
      });
      return seen;
    };
    const departments = unique(org.departments, 'departments');
    const groups = unique(org.itGroups, 'itGroups');
    const people = unique(org.people, 'people');
    unique(org.chats, 'chats');
    unique(org.systems, 'systems');

    org.departments.forEach((d, i) => {
      if (d.head && !people.has(d.head)) issue(['departments', i, 'head'], `unknown person "${d.head}"`);
    });
    org.itGroups.forEach((g, i) => {
      if (g.leader && !people.has(g.leader)) issue(['itGroups', i, 'leader'], `unknown person "${g.leader}"`);
    });
    org.people.forEach((p, i) => {
      if (!departments.has(p.department)) issue(['people', i, 'department'], `unknown department "${p.department}"`);
      if (p.itGroup && !groups.has(p.itGroup)) issue(['people', i, 'itGroup'], `unknown IT group "${p.itGroup}"`);
      if (p.roles.includes('it_engineer') && !p.itGroup) {
        issue(['people', i, 'roles'], 'an it_engineer needs an itGroup');
      }
    });
    org.systems.forEach((s, i) => {
      if (!groups.has(s.itGroup)) issue(['systems', i, 'itGroup'], `unknown IT group "${s.itGroup}"`);
    });
    for (const purpose of ['intake', 'engineers'] as const) {
      if (!org.chats.some((c) => c.purpose === purpose)) {
        issue(['chats'], `needs a chat with purpose "${purpose}"`);
      }
    }
  });

export type Org = z.infer<typeof OrgSchema>;
export type OrgPerson = Org['people'][number];
export type OrgChat = Org['chats'][number];
export type OrgSystem = Org['systems'][number];
export type OrgDepartment = Org['departments'][number];
