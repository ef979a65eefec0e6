import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { t as text } from '../../bot/i18n/zh.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { seedMonth, seedOutage } from '../helpers/dashboard-month.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
/** Where the screenshots are kept (git ignores it); each is attached to the test run too. */
const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-results/dashboard');

const at = (local: string) => new Date(`${local}+08:00`);
const VIEWPORT = { width: 1440, height: 900 };

describe('the leaders’ dashboard in headless Chromium', () => {
  let t: TestBot;
  let browser: Browser;
  let page: Page;
  let base: string;
  let link: string;
  let directorLink: string;
  let incident: string;

  /** The link `看板` sends `who` in their direct chat. */
  async function linkOf(who: string): Promise<string> {
    await t.say(who, `user:${who}`, '看板');
    const said = (await t.transcript(`user:${who}`)).filter((m) => m.from === 'bot').at(-1)?.text ?? '';
    return /\/dashboard\?t=[\w.-]+/.exec(said)![0];
  }
  const api = async (url: string) => (await t.bot.app.inject({ url, headers: { authorization: `Bearer ${API_TOKEN}` } })).json();

  beforeAll(async () => {
    t = await createTestBot({}, undefined, at('2026-11-25T10:00:00')); // the roster runs from 11-23
    await seedMonth(t.bot.db);
    // Today's HIS outage, reported from three departments: an incident, claimed and resolved.
    incident = await seedOutage(t);
    link = await linkOf('qin-guo');
    directorLink = await linkOf('huang-jun');
    // A ticket nobody took waits until now in MTTA: now stands still while the page and /api/stats are compared.
    vi.spyOn(t.clock, 'now').mockReturnValue(t.clock.now());
    base = await t.bot.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
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

  it('opens from the link, shows the figures of /api/stats for the month and draws the charts', async () => {
    await page.goto(`${base}${link}&from=2026-11-01&to=2026-11-30`);
    // The link signed in and left the address bar.
    expect(page.url()).toBe(`${base}/dashboard?from=2026-11-01&to=2026-11-30`);
    await expect.poll(() => page.getAttribute('body', 'data-charts')).toBe('5');

    const stats = await api('/api/stats?from=2026-11-01&to=2026-12-01');
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
    expect(await page.locator('[data-table=incidents] [data-incident]').count()).toBe(stats.incidents.length);
    expect(stats.incidents.map((i: { number: string }) => i.number)).toEqual([incident]);
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
  });

  it('lists the incident with its reports, departments and times, and opens it to its timeline in Chinese', async () => {
    const detail = await api(`/api/incidents/${incident}`);
    const line = page.locator(`[data-incident="${incident}"]`);
    const cells = await line.locator('summary .cell').allInnerTexts();
    // Reported by people before any monitoring alert: its number carries 人工先报告.
    expect(cells.slice(0, 5)).toEqual([`${incident} 人工先报告`, 'HIS', `${detail.priority} 紧急`, '已解决', '3 份报修 · 3 个科室']);
    expect(await line.locator('[data-origin]').getAttribute('data-origin')).toBe(detail.origin);
    // The times of the incident detail view: from the first report to the first claim and to the resolution.
    expect(await line.locator('.cell.response').innerText()).toBe(`${detail.durations.toFirstClaimMinutes} 分钟`);
    expect(await line.locator('.cell.resolution').innerText()).toBe(`${detail.durations.toResolutionMinutes} 分钟`);
    expect(detail.durations.toResolutionMinutes).toBeGreaterThanOrEqual(35);

    expect(await line.locator('.timeline').isVisible()).toBe(false);
    await line.locator('summary').click();
    await expect.poll(() => line.locator('.timeline').isVisible()).toBe(true);
    expect(await line.locator('.facts').innerText()).toContain('门诊部、急诊科、心内科');
    const steps = await line.locator('.timeline li').evaluateAll((lis) => lis.map((li) => ({ type: li.getAttribute('data-step')!, text: li.textContent! })));
    const types = steps.map((s) => s.type);
    expect(types[0]).toBe('ticket.created');
    const order = ['incident.open', 'ticket.joined_incident', 'incident.claim', 'incident.progress', 'incident.resolve'].map((x) => types.indexOf(x));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const said = (type: string) => steps.find((s) => s.type === type)!.text;
    expect(said('ticket.created')).toContain('报修');
    expect(said('incident.open')).toContain('认定为重大故障');
    expect(said('incident.open')).toContain('HIS，P1，3 份报修');
    expect(said('incident.claim')).toContain('罗欣');
    expect(said('incident.progress')).toContain('数据库连接池耗尽，患者王*的挂号稍后补录');
    expect(said('incident.resolve')).toContain('故障解决');
    // The progress reached each report at once: one line naming the three, not three lines.
    const echoed = steps.filter((s) => s.type === 'ticket.progress');
    expect(echoed).toHaveLength(1);
    expect(echoed[0]!.text).toContain('3 份报修');
    // The step count is the API timeline's, folded: never more lines than steps.
    expect(steps.length).toBeLessThan(detail.timeline.length);
    const html = await page.content();
    expect(html).not.toContain('王建国');
    expect(html).not.toContain('13812345678');
  });

  it('fits a phone and A4 landscape paper, the incident’s timeline open', async ({ annotate }) => {
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

    // On paper: A4 landscape, without the controls; the open timeline prints with it.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('[data-testid=filters]').isVisible()).toBe(false);
    const pdf = path.join(ARTIFACTS, 'dashboard-a4.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    await annotate('dashboard printed (A4 landscape)', { path: pdf, contentType: 'application/pdf' });
    expect(await page.locator(`[data-incident="${incident}"] .timeline`).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(VIEWPORT);
  });

  it('shows a leader no audit trail: no panel on the page, 403 on its page and on its data', async () => {
    expect(await page.locator('[data-testid=audit-entry]').count()).toBe(0);
    const refused = await page.goto(`${base}/dashboard/audit?from=2026-11-01&to=2026-11-30`);
    expect(refused!.status()).toBe(403);
    expect(await page.locator('[data-testid=notice]').innerText()).toBe(text('dashboard.audit.denied'));
    const data = await page.evaluate(() => fetch('/dashboard/audit/data').then(async (r) => ({ status: r.status, body: await r.json() })));
    expect(data).toEqual({ status: 403, body: { error: text('dashboard.audit.denied'), reason: 'not_auditor' } });
    expect(await t.bot.db.auditLog.count({ where: { action: 'audit.read' } })).toBe(0);
  });

  it('narrows to a department from the filters, in the URL, with the figures of /api/stats for it', async () => {
    await page.goto(`${base}/dashboard?from=2026-11-01&to=2026-11-30`);
    await page.selectOption('select[name=department]', 'radiology');
    await Promise.all([page.waitForURL(/department=radiology/), page.click('[data-testid=filters] button[type=submit]')]);
    // 全部系统 is sent as an empty field, which narrows nothing.
    expect(new URL(page.url()).searchParams.get('system')).toBe('');
    const stats = await api('/api/stats?from=2026-11-01&to=2026-12-01&department=radiology');
    expect(stats.opened).toBe(2);
    const shown = await figures();
    expect(shown.opened).toBe('2');
    expect(shown.mttaMinutes).toBe(num(stats.mttaMinutes));
    expect(await counts('system')).toEqual([{ name: 'PACS', count: 2 }]);
    expect(await page.locator('[data-testid=period]').innerText()).toContain('放射科');
  });

  it('shows the IT director the audit trail: filtered by entity, actor and period, paged, masked, each page read recorded', async ({ annotate }) => {
    const director = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
    await director.goto(`${base}${directorLink}&from=2026-11-01&to=2026-11-30`);
    const entry = director.locator('[data-testid=audit-entry]');
    expect(await entry.isVisible()).toBe(true);
    const november = { createdAt: { gte: at('2026-11-01T00:00:00'), lt: at('2026-12-01T00:00:00') } };
    const newest = (await t.bot.db.auditLog.findMany({ where: november, orderBy: { id: 'desc' }, take: 50 })).map((r) => r.id);
    await Promise.all([director.waitForURL(/\/dashboard\/audit\?/), entry.locator('a').click()]);
    expect(new URL(director.url()).search).toBe('?from=2026-11-01&to=2026-11-30');

    const rows = () =>
      director.locator('[data-table=audit] tbody tr').evaluateAll((trs) =>
        trs.map((tr) => ({
          id: Number(tr.getAttribute('data-audit-id')),
          action: tr.getAttribute('data-action')!,
          actor: tr.getAttribute('data-actor'),
          text: tr.textContent!,
        })),
      );
    const first = await rows();
    expect(first.map((r) => r.id)).toEqual(newest);
    const resolved = first.find((r) => r.action === 'incident.resolve')!;
    expect(resolved.text).toContain('故障解决');
    expect(resolved.text).toContain('罗欣');
    expect(resolved.text).toContain(incident);
    const page1 = await director.content();
    expect(page1).not.toContain('王建国');
    expect(page1).not.toContain('13812345678');
    expect(page1).toContain('患者王*');
    const wide = path.join(ARTIFACTS, 'audit-1440x900.png');
    await director.screenshot({ path: wide, fullPage: true });
    await annotate('audit trail at 1440×900', { path: wide, contentType: 'image/png' });

    // By entity: the incident's own rows only.
    await director.selectOption('select[name=entity]', 'incident');
    await Promise.all([director.waitForURL(/entity=incident/), director.click('[data-testid=audit-filters] button[type=submit]')]);
    const ofIncidents = await rows();
    expect(ofIncidents.length).toBe(await t.bot.db.auditLog.count({ where: { ...november, entityType: 'incident' } }));
    expect(ofIncidents.every((r) => r.action.startsWith('incident.'))).toBe(true);
    // By actor, named as people know him: 罗欣's rows only.
    await director.selectOption('select[name=entity]', '');
    await director.fill('input[name=actor]', '罗欣');
    await Promise.all([director.waitForURL(/actor=/), director.click('[data-testid=audit-filters] button[type=submit]')]);
    const byLuo = await rows();
    expect(byLuo.length).toBe(await t.bot.db.auditLog.count({ where: { ...november, actorId: 'luo-xin' } }));
    expect(byLuo.every((r) => r.actor === 'luo-xin')).toBe(true);
    // A period with nothing in it.
    await director.goto(`${base}/dashboard/audit?from=2026-11-26&to=2026-11-30`);
    expect(await director.locator('[data-table=audit]').innerText()).toBe(text('dashboard.audit.none'));

    // A page at a time, by the cursor: the next page holds the older rows.
    await director.goto(`${base}/dashboard/audit?entity=ticket&limit=5`);
    const one = await rows();
    expect(one).toHaveLength(5);
    await Promise.all([director.waitForURL(/cursor=/), director.click('[data-testid=audit-next]')]);
    const two = await rows();
    expect(two).toHaveLength(5);
    expect(Math.max(...two.map((r) => r.id))).toBeLessThan(Math.min(...one.map((r) => r.id)));
    expect(await director.locator('[data-testid=audit-first]').isVisible()).toBe(true);

    // Every page shown is an audit row of its own, under the director's name, with what was asked; and shows up in the trail.
    const reads = await t.bot.db.auditLog.findMany({ where: { action: 'audit.read' }, orderBy: { id: 'asc' } });
    expect(reads.map((r) => [r.actorId, (r.after as { filters: Record<string, string> }).filters])).toEqual([
      ['huang-jun', { from: '2026-11-01', to: '2026-11-30' }],
      ['huang-jun', { entity: 'incident', from: '2026-11-01', to: '2026-11-30' }],
      ['huang-jun', { actor: 'luo-xin', from: '2026-11-01', to: '2026-11-30' }],
      ['huang-jun', { from: '2026-11-26', to: '2026-11-30' }],
      ['huang-jun', { entity: 'ticket' }],
      ['huang-jun', { entity: 'ticket', cursor: String(Math.min(...one.map((r) => r.id))) }],
    ]);
    await director.goto(`${base}/dashboard/audit?entity=audit`);
    const own = await rows();
    expect(own[0]).toMatchObject({ id: reads.at(-1)!.id, action: 'audit.read', actor: 'huang-jun' });
    expect(own[0]!.text).toContain('查阅审计日志');

    await director.goto(`${base}/dashboard/audit?from=2026-11-01&to=2026-11-30`);
    await director.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => director.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const phone = path.join(ARTIFACTS, 'audit-390x844.png');
    await director.screenshot({ path: phone, fullPage: true });
    await annotate('audit trail at 390×844', { path: phone, contentType: 'image/png' });
    await director.close();
  });
});
