import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../bot/chat/model.js';
import { WorkCalendar } from '../../bot/calendar.js';
import { AdjustableClock } from '../../bot/clock.js';
import type { Registry } from '../../bot/commands.js';
import type { Context } from '../../bot/context.js';
import type { Db } from '../../bot/db/client.js';
import { BotError } from '../../bot/errors.js';
import { dispatch } from '../../bot/middleware/dispatch.js';
import type { Directory } from '../../bot/org/directory.js';
import { APPROVAL_TYPES } from '../../bot/org/approvals-schema.js';
import { Router } from '../../bot/router.js';
import { servicesFor } from '../../bot/services.js';
import { registry } from '../../commands/index.js';
import { freshDatabase, sampleDirectory } from '../helpers/db.js';
import { silentLog } from '../helpers/log.js';
import { anyText, graphemes, reportLike } from './arbitraries.js';

const directory = sampleDirectory();
const aliases = registry.commands.flatMap((c) => c.aliases);
const lowerAliases = new Set(aliases.map((a) => a.toLowerCase()));

/** Words that may follow a command: numbers (well and badly formed), names, dates, shifts, kinds, answers. */
const argWord = fc.oneof(
  fc.constantFrom(
    'IT-20261123-0001',
    'it-20261123-0001',
    'IT-2026112-0001',
    'IT-20261123-',
    'INC-20261123-01',
    'SQ-20261123-001',
    'sq-20261123-001',
    '2026-12-05',
    '2026-13-45',
    '2026-02-30',
    '0000-00-00',
    '9999-99-99',
    '2026-11',
    '2026-99',
    '主班',
    '白班',
    '夜班',
    '早班',
    '王伟',
    '王工',
    '@王伟',
    'wang-wei',
    '网络组',
    '网络管理组',
    '张丽',
    '某人',
    '权限',
    '销户',
    '变更',
    '数据导出',
    '领用',
    '离岗',
    '换班',
    '同意',
    '驳回',
    '已解决',
    '未解决',
    '5',
    '0',
    '6',
    '-1',
    '1e9',
    '99999999999999999999',
    'R12',
    'r0',
    'H5',
    'H-1',
    'NaN',
    'Infinity',
    '故障台账',
    '审批登记',
    '值班记录',
    '交接记录',
    '月度汇总',
    '维修申请单',
    '资产季报',
    '2026-Q4',
    '2026年第五季度',
    '费用',
    '120元',
    '¥85.5',
    '-50',
    '12.345',
    '新增',
    '标题｜关键词｜步骤',
    '｜｜',
    '|',
    'P1',
    'p2',
    'P9',
    '18:00',
    '25:61',
    '__proto__',
    'constructor',
    'toString',
    '${x}',
    '{number}',
    '<script>',
    "'; DROP TABLE Ticket; --",
  ),
  graphemes(12),
  anyText(12),
);
const rest = fc.array(argWord, { maxLength: 6 }).chain((words) => fc.constantFrom(' ', '　', '\t', '').map((sep) => words.join(sep)));
/** A chat text that starts with a command word (any case), or a number run into it, then anything. */
const commandText = fc
  .tuple(fc.constantFrom(...aliases), fc.constantFrom(' ', '  ', '', '\n'), rest)
  .chain(([alias, sep, more]) => fc.mixedCase(fc.constant(alias)).map((word) => `${word}${sep}${more}`));

interface Routed {
  command?: string;
  args?: unknown;
  fallback?: string;
  hint?: boolean;
}

/** The real dispatch over the real commands' aliases, parsers and schemas; their runs only record. */
function routeOf(text: string, opts: { chatPurpose?: 'intake' | 'engineers'; direct?: boolean; mentionsBot?: boolean } = {}) {
  const routed: Routed = {};
  const stub: Registry = {
    commands: registry.commands.map((c) => ({ ...c, run: async (_ctx: Context, args: unknown) => void Object.assign(routed, { command: c.name, args }) })),
    actions: registry.actions,
    fallback: { name: registry.fallback.name, run: async (_ctx, t) => void (routed.fallback = t) },
  };
  const event: IncomingEvent = {
    platform: 'simulator',
    eventId: 'e',
    kind: 'message',
    chat: { id: opts.direct ? 'user:zhang-li' : 'c', type: opts.direct ? 'direct' : 'group' },
    user: { platformId: 'zhang-li' },
    text,
    mentionsBot: opts.mentionsBot ?? true,
    attachments: [],
  };
  const ctx = {
    event,
    chatPurpose: opts.chatPurpose,
    directory,
    handledBy: undefined as string | undefined,
    reply: async () => void (routed.hint = true),
  } as unknown as Context;
  return dispatch(stub)(ctx, async () => {}).then(
    () => ({ routed, handledBy: ctx.handledBy, error: undefined as unknown }),
    (error: unknown) => ({ routed, handledBy: ctx.handledBy, error }),
  );
}

/** What the bot reads of a text: without a leading @-mention of itself (`@信息科助手 认领 …`). */
function spoken(text: string): string {
  const trimmed = text.trim();
  const at = ['@', '＠'].find((a) => trimmed.startsWith(`${a}${directory.botName}`));
  return at ? trimmed.slice(at.length + directory.botName.length).trim() : trimmed;
}

/**
 * Whether the text starts with a command word: the first word (when its command takes the words after
 * it: 看板 takes none), or an alias run into a number or into an argument its command takes so (绑定报修群).
 */
function startsWithCommand(text: string): boolean {
  const trimmed = spoken(text);
  const first = trimmed.split(/\s+/)[0] ?? '';
  const exact = registry.commands.find((c) => c.aliases.some((a) => a.toLowerCase() === first.toLowerCase()));
  if (exact) return exact.takes?.(trimmed.slice(first.length).trim()) ?? true;
  const glued = (alias: string, rest: string) => !!registry.commands.find((c) => c.aliases.some((a) => a.toLowerCase() === alias))?.glued?.(rest.trim());
  return [...lowerAliases].some(
    (a) => trimmed.toLowerCase().startsWith(a) && (/^(it|inc|sq)-/i.test(trimmed.slice(a.length)) || glued(a, trimmed.slice(a.length))),
  );
}

describe('command parsing (property-based)', () => {
  it('parses the text after every command word without throwing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...registry.commands), fc.oneof(rest, anyText(80)), (command, text) => {
        const parsed = command.parse ? command.parse(text) : {};
        const args = command.args.safeParse(parsed);
        expect(typeof args.success).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('routes a command word followed by anything to that command, or refuses it with its usage', async () => {
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const { routed, error, handledBy } = await routeOf(text, { chatPurpose: 'intake' });
        // A command word run into other text (帮助王工) is no command, unless a number follows it.
        if (!startsWithCommand(text)) return void expect(routed).toEqual({ fallback: spoken(text) });
        const word = spoken(text).split(/\s+/)[0]!.toLowerCase();
        const expected = registry.commands.find((c) => c.aliases.some((a) => a.toLowerCase() === word));
        if (error) {
          expect(error).toBeInstanceOf(BotError);
          expect((error as BotError).code).toBe('bad_arguments');
          expect(String((error as BotError).params.usage)).toMatch(/[\u4e00-\u9fa5]/);
          expect(routed).toEqual({});
          return;
        }
        expect(routed.fallback).toBeUndefined();
        if (expected) expect(routed.command).toBe(expected.name);
        expect(handledBy).toBe(routed.command);
      }),
      { numRuns: 300 },
    );
  });

  it('lets text that starts with no command word fall through: a report in the intake group and direct chats, a hint or nothing elsewhere', async () => {
    const free = fc.oneof(anyText(120), graphemes(120), reportLike(directory)).filter((t) => !startsWithCommand(t));
    await fc.assert(
      fc.asyncProperty(free, fc.boolean(), async (text, mentionsBot) => {
        const intake = await routeOf(text, { chatPurpose: 'intake', mentionsBot });
        expect(intake.error).toBeUndefined();
        expect(intake.routed).toEqual({ fallback: spoken(text) });
        const direct = await routeOf(text, { direct: true, mentionsBot });
        expect(direct.routed).toEqual({ fallback: spoken(text) });
        const engineers = await routeOf(text, { chatPurpose: 'engineers', mentionsBot });
        expect(engineers.error).toBeUndefined();
        expect(engineers.routed).toEqual(mentionsBot ? { hint: true } : {});
        expect(engineers.handledBy).toBe(mentionsBot ? 'hint' : undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('lets a command word followed by words its command does not take fall through as free text (看板 黑屏了)', async () => {
    expect((await routeOf('看板 黑屏了，心内科护士站', { chatPurpose: 'intake' })).routed).toEqual({ fallback: '看板 黑屏了，心内科护士站' });
    expect((await routeOf('管理看板 不亮了', { direct: true })).routed).toEqual({ fallback: '管理看板 不亮了' });
    expect((await routeOf('看板 黑屏了', { chatPurpose: 'engineers', mentionsBot: true })).routed).toEqual({ hint: true });
    expect((await routeOf('看板 黑屏了', { chatPurpose: 'engineers', mentionsBot: false })).routed).toEqual({});
    for (const said of ['看板', '看板？', '看板 。', '/dashboard']) {
      expect((await routeOf(said, { chatPurpose: 'intake' })).routed.command, said).toBe('dashboard.link');
    }
  });

  it('lets the commands without arguments fall through too: 菜单 打不开了 is a report of a menu, not a request for help', async () => {
    for (const said of ['菜单 打不开了', '帮助 一下，打印机卡纸', '值班 电脑黑屏了', '我的工单 打不开']) {
      expect((await routeOf(said, { chatPurpose: 'intake' })).routed, said).toEqual({ fallback: said });
    }
    for (const [said, command] of [
      ['菜单', 'help'],
      ['帮助？', 'help'],
      ['值班', 'duty.show'],
      ['我的工单', 'ticket.mine'],
    ]) {
      expect((await routeOf(said!, { chatPurpose: 'intake' })).routed.command, said).toBe(command);
    }
  });

  it('ignores the case of a command word', async () => {
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const [a, b] = await Promise.all([routeOf(text.toLowerCase()), routeOf(text.toUpperCase())]);
        expect(a.routed.command).toBe(b.routed.command);
      }),
      { numRuns: 100 },
    );
  });
});

describe('commands through the real router (property-based)', () => {
  let db: Db;
  let drop: () => Promise<void>;
  let router: Router;
  const clock = new AdjustableClock(new Date('2026-11-24T10:00:00+08:00'));
  let seq = 0;
  const people = directory.allPeople().map((p) => p.id);

  beforeAll(async () => {
    let dir: Directory;
    ({ db, drop, directory: dir } = await freshDatabase());
    router = new Router({
      db,
      directory: dir,
      clock,
      timeZone: 'Asia/Shanghai',
      calendar: new WorkCalendar('Asia/Shanghai', dir.org.hospital.workingHours, dir.org.hospital.calendar),
      registry,
      log: silentLog,
    });
    // Something for the commands to find: the first ticket of the day, IT-20261124-0001.
    const event = message('zhang-li', 'intake', '门诊3楼212诊室打印机卡纸，资产号PC-0231，电话8123');
    expect(await router.handle(event)).toEqual({ outcome: 'handled' });
    // And a permission request waiting for its first step, SQ-20261124-001.
    await db.$transaction(async (tx) => {
      const s = servicesFor(tx, {
        directory: dir,
        clock,
        timeZone: 'Asia/Shanghai',
        calendar: new WorkCalendar('Asia/Shanghai', dir.org.hospital.workingHours, dir.org.hospital.calendar),
      });
      await s.approvals.submit(
        'permission',
        dir.person('zhang-li')!,
        { person: 'zhang-li', system: 'nurse-ws', action: 'create', permissions: '医嘱执行', reason: '新入职' },
        { platform: 'simulator', chatId: 'intake' },
      );
    });
  });
  afterAll(async () => drop());

  function message(userId: string, chatId: string, text: string): IncomingEvent {
    return {
      platform: 'simulator',
      eventId: `fuzz-${++seq}`,
      kind: 'message',
      chat: { id: chatId, type: chatId.startsWith('user:') ? 'direct' : 'group' },
      user: { platformId: userId },
      text,
      mentionsBot: true,
      attachments: [],
    };
  }

  it('never fails on a command with any arguments, from anyone in any chat, and answers in Chinese', async () => {
    const sender = fc.constantFrom(...people, 'stranger');
    const chat = fc.constantFrom('intake', 'engineers', 'leadership', 'user:zhang-li', 'user:wang-wei', 'unbound-chat');
    const text = fc.oneof(
      { weight: 4, arbitrary: commandText.map((t) => t.replace(/20261123/g, '20261124')) },
      { weight: 1, arbitrary: reportLike(directory, 10) },
    );
    await fc.assert(
      fc.asyncProperty(sender, chat, text, async (userId, chatId, body) => {
        const before = await db.outbox.aggregate({ _max: { id: true } });
        const result = await router.handle(message(userId, chatId, body));
        expect(result.outcome, `${userId} in ${chatId}: ${JSON.stringify(body)}`).not.toBe('failed');
        const replies = await db.outbox.findMany({ where: { id: { gt: before._max.id ?? 0 } } });
        // Someone who addressed the bot always hears back: a refusal is one reply, a command at least one.
        if (result.outcome === 'refused') expect(replies, JSON.stringify(body)).toHaveLength(1);
        if (result.outcome === 'handled' && startsWithCommand(body)) expect(replies.length, JSON.stringify(body)).toBeGreaterThan(0);
        for (const row of replies) {
          const sent = (row.payload as { message: { type: string; text?: string; card?: { title: string } } }).message;
          const shown = sent.type === 'text' ? sent.text! : sent.card!.title;
          expect(shown, JSON.stringify(body)).toMatch(/[\u4e00-\u9fa5]/);
          expect(shown).not.toMatch(/\bundefined\b|\bNaN\b|\{\w+\}|Invalid Date/);
        }
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('never fails on a card click with any value and any form, and refuses in Chinese', async () => {
    const form = fc.dictionary(
      fc.constantFrom(
        'person',
        'system',
        'action',
        'permissions',
        'reason',
        'kind',
        'date',
        'systems',
        'title',
        'level',
        'emergency',
        'start',
        'end',
        'implementer',
        'departments',
        'plan',
        'rollback',
        'risk',
        'test',
        'scope',
        'purpose',
        'masking',
        'recipient',
        'item',
        'quantity',
        'covered',
        'colleague',
        'mine',
        'theirs',
        'rating',
        'comment',
        'text',
        'target',
        'priority',
        'parts',
        'cost',
        'spares',
        'notes',
      ),
      fc.oneof(
        fc.constantFrom(
          'zhang-li',
          'wang-wei',
          'nurse-ws',
          'create',
          'change',
          'normal',
          'major',
          'yes',
          'no',
          '离职',
          '2026-11-30',
          '2026-02-30',
          '2026-11-30 22:00',
          '2026-11-30 25:61',
          '2027-01-01 23:00',
          'person:wang-wei',
          'group:network',
          'P1',
          '5',
          '0',
          '9999',
          '¥85.5',
          '-20 元',
          '',
          ' ',
        ),
        fc.string({ maxLength: 30 }),
        fc.constantFrom<unknown>(1, -1, 1.5, true, null, [], ['zhang-li'], [1], { x: 1 }, 'x'.repeat(3000)),
      ),
      { maxKeys: 12 },
    );
    const value = fc.oneof(
      fc.record(
        {
          ticket: fc.constantFrom('IT-20261124-0001', 'IT-20261124-0002', 'it-20261124-0001', 'IT-99999999-9999'),
          v: fc.constantFrom<unknown>(1, 2, '1', 'x', undefined),
          solved: fc.constantFrom<unknown>(0, 1, '1', 2, undefined),
        },
        { requiredKeys: ['ticket'] },
      ),
      fc.record({
        approval: fc.constantFrom('SQ-20261124-001', 'SQ-20261124-999'),
        step: fc.constantFrom<unknown>(1, 2, 3, '1', 0, -1),
        d: fc.constantFrom<unknown>('approve', 'reject', 'maybe'),
      }),
      fc.record({
        type: fc.constantFrom(...APPROVAL_TYPES, 'nonsense'),
      }),
      fc.record({ incident: fc.constantFrom('INC-20261124-01', 'INC-1') }),
      fc.record({ fire: fc.constantFrom<unknown>(1, 0, 'x') }),
      fc.record({ handover: fc.constantFrom<unknown>(1, 0, 'x') }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })),
    );
    const valueFor = (name: string) => {
      const [area] = name.split('.');
      if (area === 'ticket') return value.filter((v) => 'ticket' in v);
      if (area === 'incident') return value.filter((v) => 'incident' in v);
      if (name === 'approval.submit') return value.filter((v) => 'type' in v);
      if (area === 'approval' || area === 'change') return value.filter((v) => 'approval' in v);
      if (area === 'handover') return value.filter((v) => 'handover' in v);
      return value;
    };
    const click = fc.oneof(
      fc.constantFrom(...registry.actions.map((a) => a.name)).chain((name) => valueFor(name).map((v) => ({ name, v }))),
      fc.tuple(fc.constantFrom(...registry.actions.map((a) => a.name), 'no.such.action'), value).map(([name, v]) => ({ name, v })),
    );
    const english = /\b(expected|invalid|received|undefined|null|NaN|characters?|string|number|array|object|Invalid Date)\b/i;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...people, 'stranger'), click, fc.option(form, { nil: undefined }), async (userId, { name, v }, f) => {
        const event: IncomingEvent = {
          ...message(userId, 'engineers', ''),
          kind: 'action',
          text: undefined,
          action: { name, value: v, form: f as Record<string, unknown> | undefined },
        };
        const result = await router.handle(event);
        const what = `${userId} ${name} ${JSON.stringify(v)} ${JSON.stringify(f)}`;
        expect(result.outcome, what).not.toBe('failed');
        // Whoever clicks is always answered with a toast.
        if (result.outcome === 'handled') expect(result.toast?.text, what).toMatch(/[\u4e00-\u9fa5]/);
        if (result.outcome === 'refused') {
          expect(result.toast?.text, what).toMatch(/[\u4e00-\u9fa5]/);
          expect(result.toast?.text, what).not.toMatch(english);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
