import type { Outbox as OutboxRow } from '../../../generated/prisma/client.js';
import type { OutgoingMessage } from '../../chat/model.js';
import type { Db } from '../../db/client.js';
import { transact } from '../../db/transact.js';
import { mask } from '../../digest/mask.js';
import { elapsedText, t, textFor } from '../../i18n/zh.js';
import { AdminError, defineAction, defineCommand, UsageError, type AdminContext } from '../command.js';
import { withBotDatabase } from '../database.js';
import { commandLineActor } from '../organisation.js';

/**
 * `helpdesk outbox list|retry|drop`: the messages the bot still has to send (bot/outbox/). A row is
 * `pending` (waiting, perhaps for its next attempt), `sending` (an instance holds it), `sent`, or
 * `dead` (given up: a permanent platform error, or a day of failed retries). Retrying makes a row
 * due at once with its attempts counted afresh; dropping marks a waiting or dead row `dropped`, kept
 * with its error and never sent. Both are recorded in the audit log, by the account that ran them.
 */

const LIST_LIMIT = 200;
const WAITING = ['pending', 'sending'];

const minutesSince = (ctx: AdminContext, at: Date) => (ctx.now().getTime() - at.getTime()) / 60_000;

/** What a row would show, in a line: the text, or the card's title; numbers and names masked as in the registers. */
function preview(row: OutboxRow): string {
  const message = (row.payload as { message?: OutgoingMessage } | null)?.message;
  const text = message?.type === 'text' ? message.text : message?.type === 'card' ? t('admin.outbox.card', { title: message.card.title }) : '';
  const line = mask(text.replace(/\s+/g, ' ').trim());
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

function describe(ctx: AdminContext, row: OutboxRow): string[] {
  const status = textFor('admin.outbox.status', row.status) ?? row.status;
  const op = textFor('admin.outbox.op', row.op) ?? row.op;
  const next =
    row.status === 'pending'
      ? row.nextAttemptAt.getTime() > ctx.now().getTime()
        ? t('admin.outbox.retryIn', { in: elapsedText(-minutesSince(ctx, row.nextAttemptAt)) })
        : t('admin.outbox.due')
      : '';
  const head = [
    `#${row.id} ${status}`,
    `${row.platform} ${row.chatId}`,
    op,
    t('admin.outbox.age', { age: elapsedText(minutesSince(ctx, row.createdAt)) }),
    t('admin.outbox.attempts', { n: row.attempts }),
    next,
  ];
  return [
    head.filter(Boolean).join(' · '),
    `    ${t('admin.outbox.content', { text: preview(row) || '—' })}`,
    ...(row.lastError ? [`    ${t('admin.outbox.error', { error: row.lastError.replace(/\s+/g, ' ') })}`] : []),
  ];
}

const list = defineAction({
  usage: 'outbox list [--dead] [--chat ID]',
  summary: t('admin.outbox.list.summary'),
  details: t('admin.outbox.list.details', { limit: LIST_LIMIT }),
  options: {
    dead: { type: 'boolean', help: t('admin.outbox.list.dead') },
    chat: { type: 'string', value: 'ID', help: t('admin.outbox.list.chat') },
  },
  run: (ctx, _args, options) =>
    withBotDatabase(ctx, async (db) => {
      const where = { status: options.dead ? 'dead' : { in: [...WAITING, 'dead'] }, ...(options.chat ? { chatId: options.chat } : {}) };
      const counts = await db.outbox.groupBy({ by: ['status'], where, _count: { _all: true } });
      const count = (status: string) => counts.find((c) => c.status === status)?._count._all ?? 0;
      const total = counts.reduce((n, c) => n + c._count._all, 0);
      const rows = await db.outbox.findMany({ where, orderBy: { id: 'asc' }, take: LIST_LIMIT });
      if (total === 0) {
        ctx.out(options.dead ? t('admin.outbox.list.noneDead') : t('admin.outbox.list.none'));
        return;
      }
      ctx.out(t('admin.outbox.list.counts', { pending: count('pending'), sending: count('sending'), dead: count('dead') }));
      for (const row of rows) for (const line of describe(ctx, row)) ctx.out(line);
      if (total > rows.length) ctx.out(t('admin.outbox.list.more', { n: total - rows.length }));
    }),
});

/** The row of `id`, or a failure naming what is wrong with the id. */
async function rowOf(db: Db, given: string): Promise<OutboxRow> {
  const id = /^#?\d+$/.test(given) ? Number(given.replace('#', '')) : NaN;
  if (!Number.isSafeInteger(id)) throw new UsageError(t('admin.outbox.badId', { id: given }));
  const row = await db.outbox.findUnique({ where: { id } });
  if (!row) throw new AdminError(t('admin.outbox.notFound', { id }));
  return row;
}

const audited = (row: OutboxRow) => ({
  status: row.status,
  attempts: row.attempts,
  platform: row.platform,
  chatId: row.chatId,
  op: row.op,
  lastError: row.lastError,
});

const retry = defineAction({
  usage: 'outbox retry <id> | --all-dead',
  summary: t('admin.outbox.retry.summary'),
  details: t('admin.outbox.retry.details'),
  options: { 'all-dead': { type: 'boolean', help: t('admin.outbox.retry.allDead') } },
  positionals: [0, 1],
  async run(ctx, [given], options) {
    if (!given === !options['all-dead']) throw new UsageError(t('admin.outbox.retry.which'), 'outbox retry <id> | --all-dead');
    await withBotDatabase(ctx, async (db) => {
      const now = ctx.now();
      const actorId = commandLineActor(ctx);
      if (given) {
        const row = await rowOf(db, given);
        if (row.status !== 'dead' && row.status !== 'pending')
          throw new AdminError(t('admin.outbox.retry.notWaiting', { id: row.id, status: textFor('admin.outbox.status', row.status) ?? row.status }));
        await transact(db, async (tx) => {
          // Only as it was read: a row the bot sent or took meanwhile is left to the bot.
          const changed = await tx.outbox.updateMany({
            where: { id: row.id, status: row.status },
            data: { status: 'pending', attempts: 0, nextAttemptAt: now, lockedBy: null, lockedAt: null },
          });
          if (changed.count === 0) throw new AdminError(t('admin.outbox.changed', { id: row.id }));
          await tx.auditLog.create({
            data: {
              actorId,
              action: 'outbox.retry',
              entityType: 'outbox',
              entityId: String(row.id),
              before: audited(row),
              after: { status: 'pending', attempts: 0 },
              createdAt: now,
            },
          });
        });
        ctx.out(t('admin.outbox.retry.done', { id: row.id, platform: row.platform, chat: row.chatId }));
        return;
      }
      const ids = await transact(db, async (tx) => {
        const dead = await tx.outbox.findMany({ where: { status: 'dead' }, select: { id: true }, orderBy: { id: 'asc' } });
        if (dead.length === 0) return [];
        const ids = dead.map((r) => r.id);
        await tx.outbox.updateMany({
          where: { id: { in: ids }, status: 'dead' },
          data: { status: 'pending', attempts: 0, nextAttemptAt: now, lockedBy: null, lockedAt: null },
        });
        await tx.auditLog.create({
          data: {
            actorId,
            action: 'outbox.retry',
            entityType: 'outbox',
            entityId: 'dead',
            before: { status: 'dead', ids },
            after: { status: 'pending', attempts: 0 },
            createdAt: now,
          },
        });
        return ids;
      });
      ctx.out(ids.length === 0 ? t('admin.outbox.list.noneDead') : t('admin.outbox.retry.doneAll', { n: ids.length }));
    });
  },
});

const drop = defineAction({
  usage: 'outbox drop <id>',
  summary: t('admin.outbox.drop.summary'),
  details: t('admin.outbox.drop.details'),
  positionals: [1, 1],
  run: (ctx, [given]) =>
    withBotDatabase(ctx, async (db) => {
      const row = await rowOf(db, given!);
      if (row.status !== 'dead' && row.status !== 'pending')
        throw new AdminError(t('admin.outbox.drop.notWaiting', { id: row.id, status: textFor('admin.outbox.status', row.status) ?? row.status }));
      const now = ctx.now();
      await transact(db, async (tx) => {
        const changed = await tx.outbox.updateMany({ where: { id: row.id, status: row.status }, data: { status: 'dropped', lockedBy: null, lockedAt: null } });
        if (changed.count === 0) throw new AdminError(t('admin.outbox.changed', { id: row.id }));
        await tx.auditLog.create({
          data: {
            actorId: commandLineActor(ctx),
            action: 'outbox.drop',
            entityType: 'outbox',
            entityId: String(row.id),
            before: { ...audited(row), content: preview(row) },
            after: { status: 'dropped' },
            createdAt: now,
          },
        });
      });
      ctx.out(t('admin.outbox.drop.done', { id: row.id, platform: row.platform, chat: row.chatId }));
    }),
});

export default defineCommand({
  order: 30,
  usage: 'outbox list|retry|drop',
  summary: t('admin.outbox.summary'),
  details: t('admin.outbox.details'),
  subcommands: { list, retry, drop },
});
