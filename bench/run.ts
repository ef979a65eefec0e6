/**
 * `npm run bench`: the bot under load, each figure beside its baseline. `npm run bench -- --quick`
 * (or `BENCH_QUICK=1`) for a shorter run while developing; `BENCH_PG_URL=postgresql://…` (a
 * scratch database: its tables are replaced) adds the PostgreSQL stats figure; `BENCH_PROFILE=1`
 * writes CPU profiles of the bots to bench/profiles/ (`BENCH_HEAP_PROFILE=1` heap profiles);
 * `BENCH_BOT_ROOT=<another checkout>` measures that checkout's bot. Writes bench/results.json.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { cardAction, messageEvent, signedRequest } from '../test/helpers/feishu-events.js';
import { openDatabase } from '../bot/db/client.js';
import { migrateDatabase } from '../bot/db/migrate.js';
import { Directory } from '../bot/org/directory.js';
import { loadOrgFile } from '../bot/org/load.js';
import { syncOrganisation } from '../bot/org/sync.js';
import { BOT_ROOT, ENGINEERS_CHAT, intakeChat, openId, ROOT, rssMb, startBot, startEcho, tempDir, writeBenchOrg, type BotProcess } from './bot.js';
import { closedLoop, HttpClient, openLoop, percentile, round } from './load.js';
import { BenchOpenApi } from './openapi.js';
import { BenchResults } from './results.js';
import { seedPostgres, seedSqlite } from './seed.js';
import { countEach } from './statements.js';
import { statsTimes } from './stats.js';
import { runStorm } from './storm.js';

const QUICK = process.env.BENCH_QUICK === '1' || process.argv.includes('--quick');
const PROFILE = process.env.BENCH_PROFILE === '1';
const HEAP_PROFILE = process.env.BENCH_HEAP_PROFILE === '1';
const PG_URL = process.env.BENCH_PG_URL || undefined;
const C = {
  concurrency: 32,
  loadSeconds: QUICK ? 4 : 10,
  stormReports: QUICK ? 2000 : 5000,
  stormSeconds: QUICK ? 4 : 10,
  clickRate: 200,
  clicks: QUICK ? 600 : 2000,
  statsTickets: QUICK ? 200_000 : 1_000_000,
  statsRuns: QUICK ? 3 : 5,
  /** Reports and clicks sent one at a time, each settled, to count their SQL statements. */
  counted: QUICK ? 20 : 50,
  /** Starts of the bot timed, each on a copy of the migrated database. */
  starts: QUICK ? 3 : 5,
};

const results = new BenchResults();
const report = results.report.bind(results);
const notes = results.notes;
const log = (msg: string) => console.log(`[bench] ${msg}`);
/** Feishu's deadline for an answer: a request not answered by then counts as not acknowledged. */
const FEISHU_DEADLINE_MS = 3000;

const REPORTS = [
  (i: number) =>
    `门诊${2 + (i % 4)}楼${200 + (i % 80)}诊室打印机卡纸，打不出处方，资产号PR-${String(i % 9000).padStart(4, '0')}，电话8${String(i % 1000).padStart(3, '0')}`,
  (i: number) => `住院部${3 + (i % 9)}楼护士站电脑蓝屏，开不了机，资产号PC-${String(i % 9000).padStart(4, '0')}，电话8${String(i % 1000).padStart(3, '0')}`,
  (i: number) =>
    `急诊楼${1 + (i % 3)}楼${100 + (i % 40)}室医生工作站HIS打不开，医嘱开不了，资产号PC-${String((i + 7) % 9000).padStart(4, '0')}，电话8${String(i % 1000).padStart(3, '0')}`,
];

async function main() {
  const work = tempDir('run');
  const started = performance.now();
  const org = writeBenchOrg(work.dir);
  const template = path.join(work.dir, 'template.db');
  await migrateDatabase(`file:${template}`);
  const feishu = new BenchOpenApi();
  await feishu.start();
  const bots: BotProcess[] = [];
  const boot = async (name: string, opts: { template?: string; databaseUrl?: string; countStatements?: boolean } = {}) => {
    const dir = path.join(work.dir, name);
    mkdirSync(dir);
    const bot = await startBot({
      dir,
      orgFile: org.file,
      feishuUrl: feishu.url,
      template: opts.template ?? template,
      databaseUrl: opts.databaseUrl,
      cpuProf: PROFILE,
      heapProf: HEAP_PROFILE,
      countStatements: opts.countStatements,
    });
    bots.push(bot);
    return bot;
  };

  /** A signed, encrypted report from one of the clinicians in one of the intake groups. */
  const reportRequest = (i: number) => {
    const reporter = org.reporters[i % org.reporters.length]!;
    const event = messageEvent({
      from: openId(reporter.id),
      chatId: intakeChat(i),
      text: REPORTS[i % REPORTS.length]!(i),
      mentionBot: feishu.botOpenId,
      messageId: `om_bench_${i}`,
    });
    return { ...signedRequest(event), messageId: event.event.message.message_id as string };
  };
  const post = (client: HttpClient, url: string, req: { body: string; headers: Record<string, string> }) =>
    client.request('POST', url, req.body, req.headers).then((r) => r.status === 200);

  try {
    // Baseline: a bare Fastify JSON echo, same load generator, same bodies.
    const pool = Array.from({ length: 20_000 }, (_, i) => reportRequest(1_000_000 + i));
    const echo = await startEcho();
    const echoClient = new HttpClient(echo.url);
    await closedLoop(C.concurrency, 1000, (i) => post(echoClient, '/echo', pool[i % pool.length]!));
    const echoRun = await closedLoop(C.concurrency, C.loadSeconds * 1000, (i) => post(echoClient, '/echo', pool[i % pool.length]!));
    echoClient.close();
    await echo.stop();
    const echoPerS = echoRun.count / echoRun.seconds;
    log(`echo: ${Math.round(echoPerS)}/s`);

    // Cold starts on a migrated database: spawn → /healthz ok, and → the deferred start-up work done.
    const coldStarts: number[] = [];
    const startupDone: number[] = [];
    for (let i = 0; i < C.starts; i++) {
      const bot = await boot(`start-${i + 1}`);
      coldStarts.push(bot.coldStartMs);
      startupDone.push(await bot.startupDone(10_000));
      await bot.stop();
    }
    log(`cold starts: ${coldStarts.map((ms) => Math.round(ms)).join(', ')} ms to /healthz ok`);

    // Sustained ingest: report → ticket and outbox rows committed → ack.
    const ingestBot = await boot('ingest', { countStatements: true });
    await ingestBot.startupDone(10_000);
    // Idle: once the start-up work deferred past /healthz is done.
    await sleep(1000);
    const idleRss = rssMb(ingestBot.child.pid!);
    // What one report costs in SQL: reports one at a time, each settled before the next.
    const countedReports = await countEach(ingestBot, C.counted, (k) => post(ingestBot.http, '/feishu/events', pool[k]!));
    log(`statements per report: ${round(countedReports.perAnswer)} until the ack, ${round(countedReports.perSettled)} with what it set off`);
    let offset = C.counted;
    await closedLoop(4, 1000, (i) => post(ingestBot.http, '/feishu/events', pool[offset + i]!)).then((r) => (offset += r.count));
    const ingestRun = await closedLoop(C.concurrency, C.loadSeconds * 1000, (i) =>
      post(ingestBot.http, '/feishu/events', pool[offset + i] ?? reportRequest(2_000_000 + i)),
    );
    const ingestPerS = (ingestRun.count - ingestRun.errors) / ingestRun.seconds;
    log(`ingest: ${Math.round(ingestPerS)}/s (p99 ${round(percentile(ingestRun.latenciesMs, 99))} ms, errors ${ingestRun.errors})`);
    await ingestBot.stop();

    report('ingest_per_s', ingestPerS, '/s', `echo ${Math.round(echoPerS)}/s`);
    report('echo_per_s', echoPerS, '/s', 'baseline');
    report('ingest_ratio', ingestPerS / echoPerS, '', 'ingest / echo', { ok: (v) => v >= 0.1, text: '≥ 0.10' });

    // The storm: reports from 50 groups at once.
    const stormBot = await boot('storm');
    await stormBot.startupDone(10_000);
    const storm = Array.from({ length: C.stormReports }, (_, i) => reportRequest(i));
    const { stormRun, ackedMs, ackedInStorm, acked, shed, redelivered, lost, duplicates, incidents, peak } = await runStorm(stormBot, storm, {
      rate: C.stormReports / C.stormSeconds,
      deadlineMs: FEISHU_DEADLINE_MS,
    });
    await stormBot.stop();
    const stormP99 = percentile(ackedMs, 99);
    log(`storm: ${stormRun.count} in ${round(stormRun.seconds)} s, p99 ${round(stormP99)} ms, lost ${lost}, duplicates ${duplicates}, incidents ${incidents}`);
    report('storm_p50_ms', percentile(ackedMs, 50), 'ms', `${C.stormReports} reports / ${C.stormSeconds} s, 50 chats, acknowledged ones`);
    report('storm_p99_ms', stormP99, 'ms', `${C.stormReports} reports / ${C.stormSeconds} s, 50 chats, acknowledged ones`, {
      ok: (v) => v < 100,
      text: '< 100 ms',
    });
    report('storm_acked', ackedInStorm, '', `of ${C.stormReports}, within Feishu's 3 s, first delivery`);
    report('storm_shed', shed, '', 'answered 503 at once (busy), delivered again later');
    report('storm_redelivered', redelivered, '', 'deliveries again after the storm, as Feishu retries');
    report('storm_acked_in_the_end', acked.size, '', `of ${C.stormReports}`, { ok: (v) => v === C.stormReports, text: `${C.stormReports}` });
    report('storm_lost', lost, '', 'acked without a ticket', { ok: (v) => v === 0, text: '0' });
    report('storm_duplicates', duplicates, '', 'tickets twice', { ok: (v) => v === 0, text: '0' });
    report('storm_incidents', incidents, '', 'incidents formed');
    report('rss_idle_mb', idleRss, 'MB', 'bot process, 1 s after the start-up work (warm-up included)', { ok: (v) => v < 150, text: '< 150 MB' });
    report('rss_storm_mb', peak, 'MB', 'bot process, peak in the storm', { ok: (v) => v < 300, text: '< 300 MB' });
    report('cold_start_ms', percentile(coldStarts, 50), 'ms', `spawn → /healthz ok, migrated database, median of ${coldStarts.length}`, {
      ok: (v) => v < 2000,
      text: '< 2000 ms',
    });
    report(
      'startup_done_ms',
      startupDone.every(Number.isNaN) ? null : percentile(startupDone, 50),
      'ms',
      'spawn → the start-up work deferred past /healthz done',
    );
    report(
      'statements_per_report',
      countedReports.perAnswer,
      '',
      `SQL statements to SQLite until the ack (besides ${round(countedReports.controlPerAnswer)} BEGIN/COMMIT), ${C.counted} reports one at a time`,
    );
    report('statements_per_report_settled', countedReports.perSettled, '', 'the same, with all the report set off (outbox sends, wake-ups)');

    // Card clicks: claims of distinct tickets at 200/s, each dispatch card already sent.
    const clickDb = path.join(work.dir, 'clicks.db');
    copyFileSync(template, clickDb);
    const now = new Date();
    seedSqlite(clickDb, C.clicks + C.counted, new Date(now.getTime() - 3_600_000), now, org.reporters, org.engineers, {
      allOpen: true,
      day: '19990101',
      cards: true,
    });
    const clickBot = await boot('clicks', { databaseUrl: `file:${clickDb}`, countStatements: true });
    await clickBot.startupDone(10_000);
    const engineer = org.engineers[0]!;
    const clickRequest = (i: number) =>
      signedRequest(
        cardAction({
          operator: openId(engineer.id),
          chatId: ENGINEERS_CHAT,
          messageId: `om_card_${i + 1}`,
          value: { action: 'ticket.claim', value: { ticket: `IT-19990101-${String(i + 1).padStart(4, '0')}`, v: 1 } },
        }),
      );
    const clicks = Array.from({ length: C.clicks + C.counted }, (_, i) => clickRequest(i));
    // What one click costs in SQL: the first tickets claimed one at a time, each settled.
    const countedClicks = await countEach(clickBot, C.counted, (k) =>
      clickBot.http.request('POST', '/feishu/events', clicks[k]!.body, clicks[k]!.headers).then((r) => r.status === 200 && r.body.includes('"success"')),
    );
    log(`statements per click: ${round(countedClicks.perAnswer)} until the answer, ${round(countedClicks.perSettled)} with what it set off`);
    let claimed = 0;
    let clicksShed = 0;
    const answeredMs: number[] = [];
    const clickRun = await openLoop(C.clickRate, C.clicks, async (i) => {
      const t0 = performance.now();
      const click = clicks[C.counted + i]!;
      const res = await clickBot.http.request('POST', '/feishu/events', click.body, click.headers, FEISHU_DEADLINE_MS);
      if (res.status === 200) answeredMs.push(performance.now() - t0);
      if (res.status === 200 && res.body.includes('"success"')) claimed++;
      if (res.status === 503) clicksShed++;
      return res.status === 200;
    });
    await clickBot.stop();
    const clickP99 = percentile(answeredMs, 99);
    log(`clicks: ${clickRun.count}, claimed ${claimed}, p99 ${round(clickP99)} ms`);
    report('click_p50_ms', percentile(answeredMs, 50), 'ms', `${C.clickRate}/s claims, answered ones`);
    report('click_p99_ms', clickP99, 'ms', `${C.clickRate}/s claims, answered ones`, { ok: (v) => v < 30, text: '< 30 ms' });
    report('click_claimed', claimed, '', `of ${C.clicks}`);
    report('click_shed', clicksShed, '', 'answered 503 at once (busy)');
    report(
      'statements_per_click',
      countedClicks.perAnswer,
      '',
      `SQL statements to SQLite until the answer (besides ${round(countedClicks.controlPerAnswer)} BEGIN/COMMIT), ${C.counted} claims one at a time (${countedClicks.ok} claimed)`,
    );
    report('statements_per_click_settled', countedClicks.perSettled, '', 'the same, with all the click set off (card updates, notices)');

    // Stats and digest over many tickets: two years, the last 30 days asked for.
    const statsDb = path.join(work.dir, 'stats.db');
    copyFileSync(template, statsDb);
    const from = new Date(now.getTime() - 730 * 86_400_000);
    let t0 = performance.now();
    seedSqlite(statsDb, C.statsTickets, from, now, org.reporters, org.engineers);
    log(`seeded ${C.statsTickets} tickets into SQLite in ${round((performance.now() - t0) / 1000)} s`);
    const measureStats = (bot: BotProcess) =>
      statsTimes(bot, { now, runs: C.statsRuns, leaderOpenId: openId(org.leaders[0]!.id), botOpenId: feishu.botOpenId });
    const sqliteBot = await boot('stats-sqlite', { databaseUrl: `file:${statsDb}` });
    await sqliteBot.startupDone(10_000);
    const sqlite = await measureStats(sqliteBot);
    await sqliteBot.stop();
    const label = `${C.statsTickets.toLocaleString('en')} tickets, last 30 days, median of ${C.statsRuns}`;
    report('stats_1m_sqlite_ms', sqlite.stats, 'ms', label, { ok: (v) => v < 300, text: '< 300 ms' });
    report('digest_1m_sqlite_ms', sqlite.digest, 'ms', `日报 → ack, ${label}`, { ok: (v) => v < 300, text: '< 300 ms' });

    let pgResult: { stats: number; digest: number } | null = null;
    if (PG_URL) {
      try {
        await migrateDatabase(PG_URL);
        const db = await openDatabase(PG_URL);
        await syncOrganisation(db, new Directory(loadOrgFile(org.file)));
        await db.$disconnect();
        t0 = performance.now();
        await seedPostgres(PG_URL, C.statsTickets, from, now, org.reporters, org.engineers);
        log(`seeded ${C.statsTickets} tickets into PostgreSQL in ${round((performance.now() - t0) / 1000)} s`);
        const pgBot = await boot('stats-pg', { databaseUrl: PG_URL });
        await pgBot.startupDone(10_000);
        pgResult = await measureStats(pgBot);
        await pgBot.stop();
      } catch (err) {
        notes.push(`PostgreSQL stats not measured: ${(err as Error).message.split('\n')[0]}`);
      }
    } else notes.push('PostgreSQL stats not measured: set BENCH_PG_URL to a scratch PostgreSQL database');
    report('stats_1m_pg_ms', pgResult?.stats ?? null, 'ms', label, { ok: (v) => v < 300, text: '< 300 ms' });
    report('digest_1m_pg_ms', pgResult?.digest ?? null, 'ms', `日报 → ack, ${label}`, { ok: (v) => v < 300, text: '< 300 ms' });
  } finally {
    for (const bot of bots) await bot.stop().catch(() => undefined);
    await feishu.close();
    if (!process.env.BENCH_KEEP) work.remove();
    else log(`kept ${work.dir}`);
  }

  if (BOT_ROOT !== ROOT) notes.push(`the bot measured is the one of ${path.relative(ROOT, BOT_ROOT) || BOT_ROOT}`);
  results.write({ mode: QUICK ? 'quick' : 'full', load: C, seconds: round((performance.now() - started) / 1000) });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
