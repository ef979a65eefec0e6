import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { approvalsSchema } from './approvals-schema.js';
import { INTAKE_DEFAULTS } from './intake-defaults.js';

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
  .object({
    id: Id,
    name: Name,
    aliases: Keywords,
    head: Id.optional(),
    /** The department's own group chat (an id under chats), for notices such as planned changes. */
    chat: Id.optional(),
  })
  .strict();

const ItGroup = z.object({ id: Id, name: Name, aliases: Keywords, leader: Id.optional() }).strict();

export type Duration = { minutes: number } | { workdays: number };

/** `15m`, `2h`, `1d` (clock time) or `1wd` (working days, counted in working hours). */
export const Duration = z
  .string()
  .regex(/^\d+(\.\d+)?(m|h|d|wd)$/, 'a duration like 15m, 2h, 1d or 1wd (working days)')
  .transform((v) => {
    const [, n, unit] = /^(\d+(?:\.\d+)?)(m|h|d|wd)$/.exec(v)!;
    const amount = Number(n);
    if (unit === 'wd') return { workdays: amount } as Duration;
    return { minutes: amount * (unit === 'm' ? 1 : unit === 'h' ? 60 : 24 * 60) } as Duration;
  });

const Day = z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2027-10-01'));

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 08:00');

const Sla = z.object({ respond: Duration, resolve: Duration }).strict();

const ESCALATION_STEPS = ['duty', 'group_leader', 'it_director'] as const;

const Tickets = z
  .object({
    sla: z
      .object({ P1: Sla, P2: Sla, P3: Sla, P4: Sla })
      .strict()
      .default({
        P1: { respond: { minutes: 15 }, resolve: { minutes: 240 } },
        P2: { respond: { minutes: 30 }, resolve: { minutes: 480 } },
        P3: { respond: { minutes: 120 }, resolve: { workdays: 1 } },
        P4: { respond: { workdays: 1 }, resolve: { workdays: 3 } },
      }),
    escalation: z
      .object({
        /** Who is told, in order, when a deadline passes: a step kind or a person id. */
        chain: z.array(z.union([z.enum(ESCALATION_STEPS), Id])).min(1).default(['duty', 'group_leader', 'it_director']),
        repeatMinutes: z.number().int().min(1).default(15),
      })
      .strict()
      .default({ chain: ['duty', 'group_leader', 'it_director'], repeatMinutes: 15 }),
    /** How often an engineer working a ticket is reminded to update the reporter. */
    updateEvery: z.object({ P1: Duration, P2: Duration, P3: Duration, P4: Duration }).strict().default({
      P1: { minutes: 30 },
      P2: { minutes: 60 },
      P3: { minutes: 240 },
      P4: { workdays: 1 },
    }),
    /** A resolved ticket the reporter does not confirm closes by itself after this long. */
    autoCloseAfter: Duration.default({ minutes: 48 * 60 }),
    /** How long the bot waits for the reporter to add what a report lacks. */
    followUpWindow: Duration.default({ minutes: 30 }),
  })
  .strict();

const Incidents = z
  .object({
    windowMinutes: z.number().int().min(1).default(30),
    /** Similar reports (same system) needed to open an incident ... */
    minReports: z.number().int().min(2).default(3),
    /** ... from at least this many different reporters ... */
    minReporters: z.number().int().min(1).default(3),
    /** ... in at least this many departments. */
    minDepartments: z.number().int().min(1).default(2),
    /** An incident spanning this many departments is P1. */
    p1Departments: z.number().int().min(1).default(3),
  })
  .strict();

const Approvals = approvalsSchema(Duration);

/** minute hour day-of-month month day-of-week, in the hospital's time zone. */
const CronRule = z
  .string()
  .regex(/^(\S+\s+){4}\S+$/, 'a cron rule like "47 8 * * *" (minute hour day month weekday)')
  .superRefine((rule, ctx) => {
    try {
      CronExpressionParser.parse(rule);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not a valid cron rule: ${(err as Error).message}` });
    }
  });

const Reminder = z
  .object({
    id: Id,
    name: Name,
    schedule: CronRule,
    /** A chat id of the organisation file (default: the engineers' group). */
    chat: Id.optional(),
    text: Name,
    /** Offer 已完成, and remind again / tell the leader when nobody completes it in time. */
    confirm: z.boolean().default(true),
    within: Duration.default({ minutes: 120 }),
    /** Who hears of a reminder nobody completed: a person id or a role. */
    leader: z.string().default('it_director'),
    /** One card per department, signed off by that department's head (weekly patrol). */
    perDepartment: z.boolean().default(false),
  })
  .strict();

const Knowledge = z
  .object({ id: Id, title: Name, keywords: z.array(Name).min(1), steps: Name })
  .strict();

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
    /** Words that name the system or device (HIS, 医生站, 打印机): whole names weigh most. */
    keywords: z.array(Name).min(1),
    /** Fault words typical of it (卡纸, 蓝屏): they count for it, less than its names. */
    symptoms: Keywords,
    /** Hardware faults need an asset number before an engineer can go on site. */
    needsAsset: z.boolean().default(false),
  })
  .strict();

const PriorityRule = z.object({ keywords: Keywords }).strict();

/** Impact words the help desk reads a report's priority from (DOMAIN: how the help desk reads impact). */
const Intake = z
  .object({
    /** Variant spellings and homophone typos, read as the word they stand for (帐号 → 账号). */
    spellings: z.record(z.string().min(1), z.string()).default(INTAKE_DEFAULTS.spellings),
    /** Patient-safety areas: a fault that stops one is P1 whatever its size. */
    safetyAreas: z.array(Name).default(INTAKE_DEFAULTS.safetyAreas),
    /** Security incidents (ransomware, data leak, intrusion): P1. */
    securityIncidents: z.array(Name).default(INTAKE_DEFAULTS.securityIncidents),
    /** The whole hospital or several departments stopped: P1. */
    hospitalWide: z.array(Name).default(INTAKE_DEFAULTS.hospitalWide),
    /** One department's business stopped, or several users: P2. */
    departmentWide: z.array(Name).default(INTAKE_DEFAULTS.departmentWide),
    /** Patients queuing because of it: P2. */
    queueing: z.array(Name).default(INTAKE_DEFAULTS.queueing),
    /** Scope denied ("only mine", "everything else works"): never above P3 unless patient safety or security. */
    onlyMe: z.array(Name).default(INTAKE_DEFAULTS.onlyMe),
    /** Questions and how-to: P4 when nothing is broken. */
    questions: z.array(Name).default(INTAKE_DEFAULTS.questions),
    /** Routine service requests (install, open an account, move a PC): P4 when nothing is broken. */
    routine: z.array(Name).default(INTAKE_DEFAULTS.routine),
    /** "No hurry": P4 unless patient safety or security. */
    noHurry: z.array(Name).default(INTAKE_DEFAULTS.noHurry),
    /** Words of a collective subject (我们这边): with them and no stated scope, the bot asks how far the fault reaches. */
    collective: z.array(Name).default(INTAKE_DEFAULTS.collective),
    /** How long after the sender's last ticket a message without a new fault continues it. */
    continueWindow: Duration.default({ minutes: 240 }),
  })
  .strict();

export const OrgSchema = z
  .object({
    hospital: z
      .object({
        name: Name,
        botName: Name.default('信息科助手'),
        /** Working hours on working days (the Chinese calendar, 调休 included). */
        workingHours: z.object({ start: Clock, end: Clock }).strict().default({ start: '08:00', end: '17:30' }),
        /** Days off and make-up working days beyond what the national calendar data knows. */
        calendar: z
          .object({ holidays: z.array(Day).default([]), workdays: z.array(Day).default([]) })
          .strict()
          .default({ holidays: [], workdays: [] }),
      })
      .strict(),
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
    /** Asset-number prefixes of the hospital's labels (PC-0231): recognized even without 资产号 before them. */
    assets: z
      .object({
        prefixes: z.array(z.string().regex(/^[A-Za-z]{2,5}$/, 'letters only, like PC')).default([]),
        /** What kind of device a prefix labels (PR: printer), a system id: the label then points to that system. */
        kinds: z.record(z.string(), Id).default({}),
      })
      .strict()
      .default({ prefixes: [], kinds: {} }),
    intake: Intake.default(() => Intake.parse({})),
    tickets: Tickets.default(Tickets.parse({})),
    incidents: Incidents.default(Incidents.parse({})),
    /** SOP articles offered with matching reports (先试试：…). */
    knowledge: z.array(Knowledge).default([]),
    /** The engineer on duty when no roster says otherwise. */
    duty: z
      .object({
        /** The engineer on duty when no roster says otherwise. */
        fallback: Id.optional(),
        /** When the day's roster is posted (avoid :00 and :30). */
        postAt: Clock.default('07:47'),
        weeksAhead: z.number().int().min(1).max(26).default(4),
        shifts: z
          .array(z.object({ id: Id, name: Name, start: Clock, end: Clock }).strict())
          .default([
            { id: 'main', name: '主班', start: '08:00', end: '08:00' },
            { id: 'day', name: '白班', start: '08:00', end: '17:30' },
            { id: 'night', name: '夜班', start: '17:30', end: '08:00' },
          ]),
        /** Each shift's engineers in turn, one a day, counted from `start`. */
        rotations: z.array(z.object({ shift: Id, start: Day, people: z.array(Id).min(1) }).strict()).default([]),
        /** The incoming engineer must accept a handover within this long, or the IT director is told. */
        handoverAcceptWithin: Duration.default({ minutes: 30 }),
      })
      .strict()
      .default(() => ({
        postAt: '07:47',
        weeksAhead: 4,
        shifts: [
          { id: 'main', name: '主班', start: '08:00', end: '08:00' },
          { id: 'day', name: '白班', start: '08:00', end: '17:30' },
          { id: 'night', name: '夜班', start: '17:30', end: '08:00' },
        ],
        rotations: [],
        handoverAcceptWithin: { minutes: 30 },
      })),
    /** Recurring duties (备份登记, 机房巡检, 下科室巡查 …): a cron rule, where, what, and who signs off. */
    reminders: z.array(Reminder).default([]),
    /** When the leadership digest goes out (cron rules; avoid :00 and :30). */
    digest: z
      .object({ daily: CronRule.default('17 8 * * *'), weekly: CronRule.default('23 8 * * 1'), monthly: CronRule.default('37 8 1 * *') })
      .strict()
      .default({ daily: '17 8 * * *', weekly: '23 8 * * 1', monthly: '37 8 1 * *' }),
    approvals: z
      .preprocess((v) => ({ remindAfter: '4h', escalateAfter: '8h', changeNoticeBefore: '2h', reviewWithin: '7d', ...(v ?? {}) }), Approvals)
      .default(() => Approvals.parse({ remindAfter: '4h', escalateAfter: '8h', changeNoticeBefore: '2h', reviewWithin: '7d' })),
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
    org.tickets.escalation.chain.forEach((step, i) => {
      if (!(ESCALATION_STEPS as readonly string[]).includes(step) && !people.has(step)) {
        issue(['tickets', 'escalation', 'chain', i], `"${step}" is neither ${ESCALATION_STEPS.join(', ')} nor a person id`);
      }
    });
    if (org.duty.fallback && !people.has(org.duty.fallback)) issue(['duty', 'fallback'], `unknown person "${org.duty.fallback}"`);
    const shiftIds = new Set(org.duty.shifts.map((x) => x.id));
    org.duty.rotations.forEach((r, i) => {
      if (!shiftIds.has(r.shift)) issue(['duty', 'rotations', i, 'shift'], `unknown shift "${r.shift}"`);
      r.people.forEach((p, j) => {
        if (!people.has(p)) issue(['duty', 'rotations', i, 'people', j], `unknown person "${p}"`);
      });
    });
    org.reminders.forEach((r, i) => {
      if (r.chat && !org.chats.some((c) => c.id === r.chat)) issue(['reminders', i, 'chat'], `unknown chat "${r.chat}"`);
    });
    const chatIds = new Set(org.chats.map((c) => c.id));
    org.departments.forEach((d, i) => {
      if (d.chat && !chatIds.has(d.chat)) issue(['departments', i, 'chat'], `unknown chat "${d.chat}"`);
    });
    org.approvals.systems.forEach((s, i) => {
      if ('head' in s.owner && !departments.has(s.owner.head)) issue(['approvals', 'systems', i, 'owner', 'head'], `unknown department "${s.owner.head}"`);
      if ('person' in s.owner && !people.has(s.owner.person)) issue(['approvals', 'systems', i, 'owner', 'person'], `unknown person "${s.owner.person}"`);
    });
    for (const [chain, steps] of Object.entries(org.approvals.chains)) {
      steps.forEach((st, i) => {
        const a = st.approver;
        const bad = (who: string) => issue(['approvals', 'chains', chain, i, 'approver'], `unknown person "${who}"`);
        if (a && typeof a === 'object' && 'person' in a && !people.has(a.person)) bad(a.person);
        if (a && typeof a === 'object' && 'people' in a) a.people.filter((p) => !people.has(p)).forEach(bad);
        if (a && typeof a === 'object' && 'role' in a && !(ROLES as readonly string[]).includes(a.role)) {
          issue(['approvals', 'chains', chain, i, 'approver', 'role'], `unknown role "${a.role}"`);
        }
      });
    }
    const [sh = 0, sm = 0] = org.hospital.workingHours.start.split(':').map(Number);
    const [eh = 0, em = 0] = org.hospital.workingHours.end.split(':').map(Number);
    if (eh * 60 + em <= sh * 60 + sm) issue(['hospital', 'workingHours', 'end'], 'working hours must end after they start');
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
