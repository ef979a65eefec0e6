import type { Db } from '../../bot/db/client.js';
import { buttonOf, reportEach, type TestBot } from './bot.js';

/** The dashboard's month (November 2026) for the browser tests: what the charts and the incident timelines are drawn from. */

const at = (local: string) => new Date(`${local}+08:00`);
const MINUTE = 60_000;

/** A month of work: tickets across departments, systems and priorities, some taken late, some rated. */
export async function seedMonth(db: Db) {
  const rows = [
    // day, priority, department, reporter, system, group, minutes to claim, minutes to resolve, rating
    ['02', 'P3', 'outpatient', 'zhang-li', '打印机', 'systems', 20, 90, 5],
    ['03', 'P2', 'emergency', 'li-na', 'HIS', 'application', 10, 45, 4],
    ['05', 'P1', 'emergency', 'zhao-gang', '网络', 'network', 25, 200, 3],
    ['08', 'P3', 'cardiology', 'liu-yang', '心电系统', 'application', 200, 600, null],
    ['08', 'P4', 'laboratory', 'zhou-min', 'LIS', 'application', 60, 1500, 5],
    ['11', 'P2', 'radiology', 'zheng-hao', 'PACS', 'application', 45, 240, 2],
    ['12', 'P3', 'radiology', 'feng-lei', 'PACS', 'application', 30, null, null],
    ['15', 'P3', 'pharmacy', 'he-ping', '发药机', 'systems', null, null, null],
    ['17', 'P2', 'finance', 'ma-li', '医保结算', 'application', 12, 80, 4],
    ['18', 'P4', 'outpatient', 'chen-jing', '自助机', 'systems', 300, 2000, 5],
  ] as const;
  let n = 0;
  for (const [day, priority, departmentId, reporterId, system, itGroupId, claim, resolve, rating] of rows) {
    const createdAt = at(`2026-11-${day}T09:${String(10 + n).padStart(2, '0')}:00`);
    const due = { P1: 15, P2: 30, P3: 120, P4: 1440 }[priority];
    const claimedAt = claim === null ? null : new Date(createdAt.getTime() + claim * MINUTE);
    const resolvedAt = resolve === null ? null : new Date(createdAt.getTime() + resolve * MINUTE);
    const closedAt = resolvedAt && rating !== null ? new Date(resolvedAt.getTime() + 30 * MINUTE) : null;
    n++;
    await db.ticket.create({
      data: {
        number: `IT-202611${day}-${String(900 + n).padStart(4, '0')}`,
        status: closedAt ? 'closed' : resolvedAt ? 'resolved' : claimedAt ? 'claimed' : 'open',
        priority,
        title: `${system}故障`,
        description: `${system}故障，患者王小明在等，电话13812345678`,
        reporterId,
        departmentId,
        system,
        itGroupId,
        assigneeId: claimedAt ? 'wang-wei' : null,
        responseDueAt: new Date(createdAt.getTime() + due * MINUTE),
        resolveDueAt: new Date(createdAt.getTime() + due * 8 * MINUTE),
        claimedAt,
        resolvedAt,
        closedAt,
        rating: closedAt ? rating : null,
        sourcePlatform: 'simulator',
        sourceChatId: 'intake',
        createdAt,
      },
    });
  }
}

/**
 * Today's HIS outage, reported from three departments (the first report names a patient and a mobile
 * number): 罗欣 claims it after five minutes, reports progress and resolves it half an hour later.
 */
export async function seedOutage(t: TestBot): Promise<string> {
  await reportEach(t, [
    ['zhang-li', 'HIS打不开了，患者王建国挂不上号，回电13812345678'],
    ['li-na', 'HIS登不上了'],
    ['liu-yang', 'HIS报错了'],
  ]);
  const incident = await t.bot.db.incident.findFirstOrThrow();
  await t.advance(5);
  const card = (await t.transcript('engineers')).find((m) => m.card?.title.includes('🚨'))!;
  await t.click(card.id, 'luo-xin', 'incident.claim', buttonOf(card, '认领').value);
  await t.advance(15);
  await t.say('luo-xin', 'engineers', `进展 ${incident.number} 数据库连接池耗尽，患者王建国的挂号稍后补录`);
  await t.advance(15);
  await t.say('luo-xin', 'engineers', `解决 ${incident.number} 数据库连接池耗尽，已扩容。`);
  return incident.number;
}
