import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestBot, type TestBot } from '../helpers/bot.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

describe('the simulator page in headless Chromium', () => {
  let t: TestBot;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    t = await createTestBot();
    base = await t.bot.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('posts a report, shows the ticket card, and shows the claim change it in place', async () => {
    await page.goto(`${base}/simulator`);
    await page.selectOption('[data-testid=person]', 'zhang-li');
    await page.click('[data-chat=intake]');
    await page.fill('[data-testid=text]', '门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123');
    await page.click('[data-testid=send]');

    const ticketCard = page.locator('[data-testid=card]', { hasText: '工单 IT-' });
    await expect.poll(() => ticketCard.count()).toBe(1);
    const cardText = await ticketCard.innerText();
    expect(cardText).toContain('PC-0231');
    expect(cardText).toContain('待认领');
    expect(cardText).toContain('P3 中');

    await page.selectOption('[data-testid=person]', 'wang-wei');
    await page.click('[data-chat=engineers]');
    const claim = page.locator('[data-testid=card] button', { hasText: '认领' });
    await claim.click();
    await expect.poll(() => page.locator('#toast').innerText()).toMatch(/^已认领 IT-\d{8}-\d{4}/);
    await expect.poll(() => claim.count()).toBe(0);
    expect(await page.locator('[data-testid=card-note]').innerText()).toMatch(/^王工 已认领，\d+ 分钟响应$/);

    await page.click('[data-chat=intake]');
    await expect.poll(() => ticketCard.innerText()).toContain('处理中');
    expect(await page.locator('.msg').last().innerText()).toContain('已由 王工（系统与数据库管理组，电话 8822）认领');
  });

  it('makes a new group with the bot in it, greeted with how to bind it, and binds it as the IT director', async () => {
    await page.goto(`${base}/simulator`);
    await page.selectOption('[data-testid=person]', 'huang-jun');
    page.once('dialog', (dialog) => void dialog.accept('五病区护士站群'));
    await page.click('[data-testid=new-group]');
    const group = page.locator('.chat', { hasText: '五病区护士站群' });
    await expect.poll(() => group.count()).toBe(1);
    await expect.poll(() => page.locator('.msg').last().innerText()).toContain('「绑定 报修群」');
    await page.fill('[data-testid=text]', '绑定 报修群');
    await page.click('[data-testid=send]');
    await expect.poll(() => page.locator('.msg').last().innerText()).toContain('已将本群绑定为「信息科报修群」');
  });
});
