import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { approvalsSchema } from './approvals-schema.js';
import { Assets, ASSETS_DEFAULTS } from './assets-schema.js';
import { Duration } from './duration.js';
import { EscalationPolicies } from './escalation-schema.js';
import { Id } from './ids.js';
import { Intake } from './intake-schema.js';
import { Monitoring, MONITORING_DEFAULTS } from './monitoring-schema.js';
import { checkReferences } from './references.js';
import { ROLES } from './roles.js';
import { isTimeZone, TIME_ZONE_HINT } from '../time.js';

export { ROLES, type Role } from './roles.js';
export { STORAGE_MEDIA_KINDS } from './assets-schema.js';

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CHAT_PURPOSES = ['intake', 'engineers', 'leadership', 'other'] as const;
export type ChatPurpose = (typeof CHAT_PURPOSES)[number];

const Name = z.string().trim().min(1);
const Keywords = z.array(Name).default([]);
/** Words of an asset's 类型 in the register that say it holds storage media, unless the file lists its own. */
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

const ChatIds = z.object({ feishu: z.string().optional(), wecom: z.string().optional(), wechaty: z.string().optional() }).strict();

/** A department's id in a platform's directory (Feishu open_department_id, WeCom department id): one, or a list. */
const PlatformDepartmentId = z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String);
const PlatformDepartmentIds = z.union([PlatformDepartmentId, z.array(PlatformDepartmentId).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

const Department = z
  .object({
    id: Id,
    name: Name,
    aliases: Keywords,
    head: Id.optional(),
    /** The department's own group chat (an id under chats), for notices such as planned changes. */
    chat: Id.optional(),
    /**
     * The department in each platform's directory: people the directory puts there belong to this
     * department (matched by name when no id is given).
     */
    ids: z.object({ feishu: PlatformDepartmentIds.optional(), wecom: PlatformDepartmentIds.optional() }).strict().optional(),
  })
  .strict();

const ItGroup = z.object({ id: Id, name: Name, aliases: Keywords, leader: Id.optional() }).strict();

export { Duration } from './duration.js';

const Day = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2027-10-01'));

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 08:00');

/** A key older organisation files had: refused with the key that replaced it, so the file says where to move it. */
const Replaced = (by: string) =>
  z
    .unknown()
    .optional()
    .refine((v) => v === undefined, `no longer used: write ${by}`);

const Sla = z.object({ respond: Duration, resolve: Duration }).strict();

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
        /** Older files: the one chain for every priority, replaced by `policy`; named with how to move it. */
        chain: Replaced('tickets.escalation.policy (who is asked, per priority: atOnce, steps, remindEvery, hours)'),
        repeatMinutes: Replaced('tickets.escalation.policy.<priority>.remindEvery'),
        /** How a ticket escalates, by priority (escalation-schema.ts); good defaults for each. */
        policy: EscalationPolicies,
      })
      .strict()
      .default(() => ({ policy: EscalationPolicies.parse(undefined) })),
    /** How often an engineer working a ticket is reminded to update the reporter. */
    updateEvery: z
      .object({ P1: Duration, P2: Duration, P3: Duration, P4: Duration })
      .strict()
      .default({
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

const Knowledge = z.object({ id: Id, title: Name, keywords: z.array(Name).min(1), steps: Name }).strict();

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

const Chat = z.object({ id: Id, name: Name, purpose: z.enum(CHAT_PURPOSES), ids: ChatIds.optional() }).strict();

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

/** The organisation file, field by field. */
export const OrgShape = z
  .object({
    hospital: z
      .object({
        name: Name,
        botName: Name.default('信息科助手'),
        /** The hospital's time zone: ticket numbers, deadlines, working hours, schedules (never the process's TZ). */
        timeZone: z
          .string()
          .default('Asia/Shanghai')
          .superRefine((zone, ctx) => {
            if (!isTimeZone(zone)) ctx.addIssue({ code: 'custom', message: `"${zone}" is not ${TIME_ZONE_HINT}` });
          }),
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
    priorities: z.object({ P1: PriorityRule.optional(), P2: PriorityRule.optional(), P4: PriorityRule.optional() }).strict().default({}),
    locations: z.object({ buildings: Keywords }).strict().default({ buildings: [] }),
    assets: Assets.default(ASSETS_DEFAULTS),
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
        shifts: z.array(z.object({ id: Id, name: Name, start: Clock, end: Clock }).strict()).default([
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
    /** Monitoring alerts (POST /api/alerts/:source): senders, system and severity mapping, flapping. */
    monitoring: Monitoring.default(() => structuredClone(MONITORING_DEFAULTS)),
    approvals: z
      .preprocess((v) => ({ remindAfter: '4h', escalateAfter: '8h', changeNoticeBefore: '2h', reviewWithin: '7d', ...(v ?? {}) }), Approvals)
      .default(() => Approvals.parse({ remindAfter: '4h', escalateAfter: '8h', changeNoticeBefore: '2h', reviewWithin: '7d' })),
  })
  .strict();

/** The organisation file; references between its parts are checked by checkReferences. */
export const OrgSchema = OrgShape.superRefine(checkReferences);

export type Org = z.infer<typeof OrgSchema>;
export type OrgPerson = Org['people'][number];
export type OrgChat = Org['chats'][number];
export type OrgSystem = Org['systems'][number];
export type OrgDepartment = Org['departments'][number];
