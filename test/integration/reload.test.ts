import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Directory } from '../../bot/org/directory.js';
import { parseOrg } from '../../bot/org/load.js';
import { API_TOKEN, createTestBot, type TestBot } from '../helpers/bot.js';
import { startChildBot, type ChildBot } from '../helpers/child.js';
import { sampleOrgFile } from '../helpers/db.js';

const sample = readFileSync(sampleOrgFile, 'utf8');
/** The sample file with one more nurse (吴敏 of the emergency department). */
const withNurse = sample.replace(
  '  # Information technology department',
  '  - { id: wu-min, name: 吴敏, department: emergency, title: 护士, phone: "8209", roles: [reporter] }\n  # Information technology department',
);
const REPORT = '急诊科分诊台电脑蓝屏了，资产号PC-0876，电话8209';

describe('SIGHUP reloads the organisation file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'helpdesk-reload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let bot: ChildBot | undefined;
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
  });

  it('puts a valid file in force without a restart, and keeps it when the next one has a mistake, naming its line', async () => {
    expect(withNurse).not.toBe(sample);
    const file = path.join(dir, 'organisation.yaml');
    writeFileSync(file, sample);
    bot = await startChildBot({ ORG_FILE: file, DATABASE_URL: `file:${path.join(dir, 'bot.db')}`, DATA_DIR: dir, API_TOKEN });
    const say = async (userId: string, text: string) => {
      const res = await fetch(`${bot!.url}/simulator/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chatId: 'intake', userId, text }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { outcome: string };
    };
    const tickets = async () =>
      ((await (await fetch(`${bot!.url}/api/tickets`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json()) as { tickets: any[] }).tickets;
    const hangUp = async (logged: RegExp) => {
      const before = bot!.output().length;
      bot!.child.kill('SIGHUP');
      await vi.waitFor(() => expect(bot!.output().slice(before)).toMatch(logged), { timeout: 10_000, interval: 50 });
      return bot!.output().slice(before);
    };

    // Not in the file yet: a stranger may report all the same, their department not known.
    expect((await say('wu-min', REPORT)).outcome).toBe('handled');
    const first = await tickets();
    expect(first).toHaveLength(1);
    expect(first[0].reporter.name).not.toBe('吴敏');

    writeFileSync(file, withNurse);
    await hangUp(/organisation file reloaded/);
    expect((await say('wu-min', '急诊分诊台的电脑也开不了机了，资产号PC-0877')).outcome).toBe('handled');
    const after = await tickets();
    expect(after).toHaveLength(2);
    expect(after.find((t) => t.assetNumber === 'PC-0877')).toMatchObject({ reporter: { id: 'wu-min', name: '吴敏' }, department: { id: 'emergency' } });
    const directory = (await (await fetch(`${bot.url}/simulator/api/directory`)).json()) as { people: { id: string }[] };
    expect(directory.people.map((p) => p.id)).toContain('wu-min');

    // A mistake: refused on its line, and the file in force stays.
    const broken = withNurse.replace('{ id: wu-min, name: 吴敏, department: emergency', '{ id: wu-min, name: 吴敏, department: emergncy');
    writeFileSync(file, broken);
    const line = broken.split('\n').findIndex((l) => l.includes('emergncy')) + 1;
    const said = await hangUp(/not reloaded/);
    expect(said).toContain(`${file}:${line}:`);
    expect(said).toContain('department: unknown department \\"emergncy\\"');
    expect(said).not.toContain('organisation file reloaded');
    expect((await say('wu-min', '还有分诊台的打印机也卡纸了，资产号PR-0878')).outcome).toBe('handled');
    expect(await tickets()).toHaveLength(3);

    expect(bot.child.exitCode).toBeNull();
    expect(await bot.stop()).toBe(0);
  }, 60_000);
});

describe('reloadOrganisation', () => {
  let t: TestBot;
  afterEach(async () => t.close());

  it('re-syncs the people and chats, swaps the working hours, and runs the new file’s recurring jobs', async () => {
    // Monday 07:00 in the hospital.
    t = await createTestBot({}, undefined, new Date('2026-11-23T07:00:00+08:00'));
    const next = withNurse
      .replace('workingHours: { start: "08:00", end: "17:30" }', 'workingHours: { start: "07:30", end: "17:00" }')
      .replace('{ id: intake, name: 信息科报修群, purpose: intake }', '{ id: intake, name: 信息科报修群, purpose: intake, ids: { feishu: oc_intake } }')
      .replace('reminders:\n', 'reminders:\n  - { id: ups-check, name: UPS 检查, schedule: "13 7 * * *", text: 请检查 UPS 电池状态并登记。, within: 1h }\n');
    await t.bot.reloadOrganisation(new Directory(parseOrg(next)));
    expect(t.bot.organisation.calendar.hours).toEqual({ start: '07:30', end: '17:00' });
    expect(await t.bot.db.person.findUnique({ where: { id: 'wu-min' } })).toMatchObject({ name: '吴敏', active: true });
    expect(await t.bot.db.chatBinding.findFirst({ where: { platform: 'feishu' } })).toMatchObject({ platformChatId: 'oc_intake', chatId: 'intake' });
    expect(t.bot.organisation.directory.chatOn('feishu', 'oc_intake')?.id).toBe('intake');

    await t.say('wu-min', 'intake', REPORT);
    const ticket = (await t.bot.db.ticket.findFirst())!;
    expect(ticket.reporterId).toBe('wu-min');
    // One working day of the new hours: from 07:30 to 17:00.
    expect(ticket.resolveDueAt!.toISOString()).toBe('2026-11-23T09:00:00.000Z');

    await t.advance(20);
    expect((await t.transcript('engineers')).some((m) => m.card?.title.includes('UPS 检查'))).toBe(true);

    // People who left the file are kept for history, but no longer active.
    await t.bot.reloadOrganisation(new Directory(parseOrg(sample)));
    expect(await t.bot.db.person.findUnique({ where: { id: 'wu-min' } })).toMatchObject({ active: false });
    // Who still writes after leaving the file reports as anyone else may, with no role of the old entry.
    expect((await t.say('wu-min', 'intake', '急诊分诊台的电脑开不了机，资产号PC-0877')).outcome).toBe('handled');
    const latest = await t.bot.db.ticket.findFirstOrThrow({ where: { assetNumber: 'PC-0877' } });
    expect(latest.reporterId).not.toBe('wu-min');
  });
});
