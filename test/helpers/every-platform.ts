import { randomUUID } from 'node:crypto';
import { WeComCrypto } from '../../adapters/wecom/crypto.js';
import type { Bot } from '../../bot/app.js';
import type { Db } from '../../bot/db/client.js';
import { Directory } from '../../bot/org/directory.js';
import { createTestBot, type TestBot } from './bot.js';
import { sampleDirectory } from './db.js';
import { feishuEnv } from './feishu-events.js';
import { FeishuOpenApi } from './feishu-openapi.js';
import { FEISHU_CHAT, OPEN_ID } from './feishu-org.js';
import { WeComApiStandIn } from './wecom-api.js';
import { USERID, WECOM_CHAT } from './wecom-org.js';

export const WECOM_CORP_ID = 'ww-hospital-corp';
export const WECOM_APP = { token: 'appToken123', aes: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };
export const WECOM_ROBOT = { token: 'robotToken456', aes: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
export const wecomAppCrypto = new WeComCrypto(WECOM_APP.token, WECOM_APP.aes);
export const wecomRobotCrypto = new WeComCrypto(WECOM_ROBOT.token, WECOM_ROBOT.aes);

/** The sample hospital with Feishu and WeCom ids for the people and chats the platform tests use. */
export function everyPlatformDirectory(): Directory {
  const { org } = sampleDirectory();
  for (const person of org.people) {
    const openId = OPEN_ID[person.id as keyof typeof OPEN_ID];
    const userid = USERID[person.id as keyof typeof USERID];
    person.ids = { ...(openId ? { feishu: { open_id: openId } } : {}), ...(userid ? { wecom: { userid } } : {}) };
  }
  for (const chat of org.chats) {
    chat.ids = { feishu: FEISHU_CHAT[chat.id as keyof typeof FEISHU_CHAT], wecom: WECOM_CHAT[chat.id as keyof typeof WECOM_CHAT] };
  }
  return new Directory(org);
}

export interface EveryPlatformBot {
  t: TestBot;
  feishu: FeishuOpenApi;
  wecom: WeComApiStandIn;
  close(): Promise<void>;
}

/**
 * The whole app with every inbound door open: the simulator, Feishu over HTTP (Encrypt Key and
 * Verification Token), the WeCom application callback and the smart robot's HTTP callback, the
 * REST API with its token; the platforms' APIs are local stand-ins on 127.0.0.1.
 */
export async function createEveryPlatformBot(env: Record<string, string> = {}): Promise<EveryPlatformBot> {
  const feishu = new FeishuOpenApi();
  const wecom = new WeComApiStandIn();
  await Promise.all([feishu.start(), wecom.start()]);
  const t = await createTestBot(
    {
      SIMULATOR: 'on',
      ...feishuEnv(feishu.url),
      WECOM_API_BASE: wecom.url,
      WECOM_CORP_ID,
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: 'app-secret',
      WECOM_TOKEN: WECOM_APP.token,
      WECOM_AES_KEY: WECOM_APP.aes,
      WECOM_ROBOT_TOKEN: WECOM_ROBOT.token,
      WECOM_ROBOT_AES_KEY: WECOM_ROBOT.aes,
      ...env,
    },
    everyPlatformDirectory(),
  );
  return {
    t,
    feishu,
    wecom,
    async close() {
      await t.close();
      await Promise.all([feishu.close(), wecom.close()]);
    },
  };
}

/** A WeCom callback query signed over the ciphertext, as WeCom sends it. */
export function wecomQuery(crypto: WeComCrypto, encrypted: string, timestamp = Math.floor(Date.now() / 1000), nonce = randomUUID().slice(0, 8)): string {
  return `msg_signature=${crypto.signature(String(timestamp), nonce, encrypted)}&timestamp=${timestamp}&nonce=${nonce}`;
}

/** Row counts of every table an inbound request could change. */
export async function tableCounts(db: Db) {
  const count = {
    Ticket: () => db.ticket.count(),
    TicketEvent: () => db.ticketEvent.count(),
    Incident: () => db.incident.count(),
    Attachment: () => db.attachment.count(),
    MessageRef: () => db.messageRef.count(),
    InboundEvent: () => db.inboundEvent.count(),
    Outbox: () => db.outbox.count(),
    AuditLog: () => db.auditLog.count(),
    Approval: () => db.approval.count(),
    ApprovalStep: () => db.approvalStep.count(),
    ApprovalDecision: () => db.approvalDecision.count(),
    Delegation: () => db.delegation.count(),
    DutyAssignment: () => db.dutyAssignment.count(),
    Handover: () => db.handover.count(),
    KnowledgeArticle: () => db.knowledgeArticle.count(),
    PlatformIdentity: () => db.platformIdentity.count(),
    PlatformState: () => db.platformState.count(),
    ReminderFire: () => db.reminderFire.count(),
    ScheduledFire: () => db.scheduledFire.count(),
    CalendarDay: () => db.calendarDay.count(),
  };
  const counted = await Promise.all(Object.entries(count).map(async ([table, rows]) => [table, await rows()] as const));
  return Object.fromEntries(counted) as Record<keyof typeof count, number>;
}

/**
 * Everything an inbound request could change, as a comparable snapshot: row counts, plus each
 * ticket's, approval's and approval step's state and version, and the roster (a refused click must not touch them either).
 */
export async function dbState(db: Db) {
  const [counts, tickets, approvals, steps, duty] = await Promise.all([
    tableCounts(db),
    db.ticket.findMany({ orderBy: { id: 'asc' }, select: { number: true, status: true, assigneeId: true, priority: true, version: true } }),
    db.approval.findMany({ orderBy: { id: 'asc' }, select: { number: true, status: true, phase: true, version: true } }),
    db.approvalStep.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true } }),
    db.dutyAssignment.findMany({ orderBy: { id: 'asc' }, select: { id: true, date: true, shiftId: true, personId: true } }),
  ]);
  return { counts, tickets, approvals, steps, duty };
}

/** The state once the outbox and the attachment fetcher have finished what earlier events queued. */
export async function settledState(bot: Bot) {
  await bot.outbox.drain();
  await bot.attachments.drain();
  return dbState(bot.db);
}
