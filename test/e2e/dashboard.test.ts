import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../bot/db/client.js';
import { API_TOKEN, createTestBot, reportEach, type TestBot } from '../helpers/bot.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
/** Where the screenshots are kept (git ignores it); each is attached to the test run too. */
const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-results/dashboard');

const at = (local: string) => new Date(`${local}+08:00`);
const MINUTE = 60_000;

/** A month of work: tickets across departments, systems and priorities, some taken late, some rated. */
async function seedMonth(db: Db) {
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

describe('the leaders’ dashboard in headless Chromium', () => {
  let t: TestBot;
  let browser: Browser;
  let page: Page;
  let base: string;
  let link: string;

  beforeAll(async () => {
    t = await createTestBot({}, undefined, at('2026-11-25T10:00:00')); // the roster runs from 11-23
    await seedMonth(t.bot.db);
    // Today's HIS outage, reported from three departments: an incident.
    await reportEach(t);
    await t.say('qin-guo', 'user:qin-guo', '看板');
    const said = (await t.transcript('user:qin-guo')).filter((m) => m.from === 'bot').at(-1)?.text ?? '';
    link = /\/dashboard\?t=[\w.-]+/.exec(said)![0];
    base = await t.bot.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const figures = () =>
    page.$$eval('[data-figure]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-figure'), e.getAttribute('data-value')])));
  const counts = (chart: string) =>
    page.$$eval(`tr[data-count="${chart}"]`, (rows) =>
      rows.map((r) => ({ name: r.querySelector('th')!.textContent, count: Number(r.querySelector('td')!.textContent) })),
    );
  const num = (v: number | null) => (v === null ? '' : String(v));

  it('opens from the link, shows the figures of /api/stats for the month, draws the charts, and fits a phone', async ({ annotate }) => {
    await page.goto(`${base}${link}&from=2026-11-01&to=2026-11-30`);
    // The link signed in and left the address bar.
    expect(page.url()).toBe(`${base}/dashboard?from=2026-11-01&to=2026-11-30`);
    await expect.poll(() => page.getAttribute('body', 'data-charts')).toBe('5');

    const stats = (await t.bot.app.inject({ url: '/api/stats?from=2026-11-01&to=2026-12-01', headers: { authorization: `Bearer ${API_TOKEN}` } })).json();
    expect(stats.opened).toBe(13);
    expect(await figures()).toEqual({
      opened: num(stats.opened),
      resolved: num(stats.resolved),
      openNow: num(stats.openNow),
      responseCompliance: num(stats.responseCompliance.rate),
      resolutionCompliance: num(stats.resolutionCompliance.rate),
      mttaMinutes: num(stats.mttaMinutes),
      mttrMinutes: num(stats.mttrMinutes),
      satisfaction: num(stats.satisfaction.average),
      unresponded: num(stats.unresponded.count),
      unresolved: num(stats.unresolved.count),
    });
    expect(await counts('department')).toEqual(stats.byDepartment);
    expect(await counts('system')).toEqual(stats.bySystem);
    expect((await counts('priority')).map((r) => r.count)).toEqual(Object.values(stats.byPriority));
    expect((await counts('group')).reduce((sum, r) => sum + r.count, 0)).toBe(stats.opened);
    expect(await page.locator('[data-table=incidents] tbody tr').count()).toBe(stats.incidents.length);
    expect(await page.locator('[data-table=incidents]').innerText()).toContain(stats.incidents[0].number);
    expect(await page.locator('[data-table=duty] tbody tr').count()).toBeGreaterThan(0);
    // No patient's name or mobile number anywhere on the page.
    const html = await page.content();
    expect(html).not.toContain('13812345678');
    expect(html).not.toContain('王小明');

    // Every chart drew itself (ECharts' SVG renderer), with the Chinese labels.
    for (const chart of ['priority', 'department', 'system', 'group', 'trend']) {
      expect(await page.locator(`#chart-${chart} svg`).count(), chart).toBe(1);
    }
    expect(await page.locator('#chart-department svg').innerHTML()).toContain('急诊科');
    expect(await page.locator('#chart-trend svg').innerHTML()).toContain('响应达标率');

    const wide = path.join(ARTIFACTS, 'dashboard-1440x900.png');
    await page.screenshot({ path: wide, fullPage: true });
    await annotate('dashboard at 1440×900', { path: wide, contentType: 'image/png' });

    await page.setViewportSize({ width: 390, height: 844 });
    // Nothing wider than the phone: the charts are drawn again for its width.
    await expect.poll(() => page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await expect.poll(async () => Number(await page.locator('#chart-trend svg').getAttribute('width'))).toBeLessThanOrEqual(390);
    const phone = path.join(ARTIFACTS, 'dashboard-390x844.png');
    await page.screenshot({ path: phone, fullPage: true });
    await annotate('dashboard at 390×844', { path: phone, contentType: 'image/png' });

    // On paper: A4 landscape, without the controls.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-testid=filters]').isVisible()).toBe(false);
    const pdf = path.join(ARTIFACTS, 'dashboard-a4.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    await annotate('dashboard printed (A4 landscape)', { path: pdf, contentType: 'application/pdf' });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('narrows to a department from the filters, in the URL, with the figures of /api/stats for it', async () => {
    await page.goto(`${base}/dashboard?from=2026-11-01&to=2026-11-30`);
    await page.selectOption('select[name=department]', 'radiology');
    await Promise.all([page.waitForURL(/department=radiology/), page.click('[data-testid=filters] button[type=submit]')]);
    // 全部系统 is sent as an empty field, which narrows nothing.
    expect(new URL(page.url()).searchParams.get('system')).toBe('');
    const stats = (
      await t.bot.app.inject({ url: '/api/stats?from=2026-11-01&to=2026-12-01&department=radiology', headers: { authorization: `Bearer ${API_TOKEN}` } })
    ).json();
    expect(stats.opened).toBe(2);
    const shown = await figures();
    expect(shown.opened).toBe('2');
    expect(shown.mttaMinutes).toBe(num(stats.mttaMinutes));
    expect(await counts('system')).toEqual([{ name: 'PACS', count: 2 }]);
    expect(await page.locator('[data-testid=period]').innerText()).toContain('放射科');
  });
});
