import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpSections } from '../../../commands/help.js';
import { registry } from '../../../commands/index.js';
import { createTestBot, type TestBot } from '../../helpers/bot.js';
import { sampleDirectory } from '../../helpers/db.js';

const directory = sampleDirectory();
const helpFor = (id: string) => helpSections(directory, directory.person(id)!).join('\n\n');
/** The commands a help text shows: every `code` span but the example report. */
const commandsIn = (text: string) => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]!).filter((c) => !c.startsWith('门诊3楼'));

describe('the help card shows what the person can use', () => {
  it('shows a reporter how to report, add, confirm, withdraw, look up and apply, and nothing of IT’s work', () => {
    const help = helpFor('zhang-li');
    for (const shown of [
      '在「信息科报修群」直接描述故障',
      '直接回复即可',
      '回复「好了」',
      '点「未解决」',
      '`撤销 IT-…`',
      '`我的工单`',
      '`工单 IT-…`',
      '`申请 权限`',
      '`我的申请`',
    ]) {
      expect(help).toContain(shown);
    }
    for (const hidden of ['认领', '关闭 IT-', '审批 SQ-', '委托', '日报', '导出 故障台账', '排班', '知识 新增', '换班']) expect(help).not.toContain(hidden);
  });

  it('adds approving and delegating for a department head, not the reports', () => {
    const help = helpFor('chen-jing');
    expect(help).toContain('`审批 SQ-… 同意 意见`');
    expect(help).toContain('`委托 @某人 2026-11-30 18:00 原因`');
    expect(help).toContain('`撤销 IT-…`');
    expect(help).not.toContain('日报');
  });

  it('shows an engineer how to work tickets, close them, take duty and read the reports, but not the roster or reporting', () => {
    const help = helpFor('wang-wei');
    for (const shown of [
      '`认领 IT-20261123-0001`',
      '`转派 IT-… @某人 原因`',
      '`进展 IT-… 内容`',
      '`优先级 IT-… P2 原因`',
      '`解决 IT-… 解决方案`',
      '`关闭 IT-… 误报`',
      '`关闭 IT-… 重复 IT-…`',
      '`关闭 IT-… 无需处理`',
      '`值班`',
      '`交接记录`',
      '`日报`',
      '`导出 故障台账 2026-11`',
    ]) {
      expect(help).toContain(shown);
    }
    for (const hidden of ['排班', '知识 新增', '审批 SQ-', '撤销 IT-', '直接描述故障']) expect(help).not.toContain(hidden);
  });

  it('gives the IT director the roster, the knowledge base and approvals besides the engineers’ work', () => {
    const help = helpFor('huang-jun');
    for (const shown of ['`排班 2026-12-05 夜班 王伟`', '`知识 新增 标题｜关键词1,关键词2｜处理步骤`', '`审批 SQ-… 同意 意见`', '`关闭 IT-… 误报`', '`月报`'])
      expect(help).toContain(shown);
    expect(help).toContain('`同步通讯录`');
    expect(helpFor('yang-fan')).toContain('`排班 ');
    expect(helpFor('yang-fan')).not.toContain('知识 新增');
    expect(helpFor('yang-fan')).not.toContain('同步通讯录');
    expect(help).toContain('`绑定 报修群`');
    expect(help).toContain('`群设置`');
    for (const other of ['yang-fan', 'zhang-li', 'qin-guo']) expect(helpFor(other)).not.toContain('绑定');
  });

  it('gives leadership the reports, the registers and approvals', () => {
    const help = helpFor('qin-guo');
    for (const shown of ['`日报`', '`周报`', '`月报`', '`导出 故障台账 2026-11`', '`审批 SQ-… 驳回 原因`']) expect(help).toContain(shown);
    expect(help).not.toContain('认领');
  });

  it('shows only commands the bot knows, for everyone', () => {
    const aliases = new Set(registry.commands.flatMap((c) => c.aliases.map((a) => a.toLowerCase())));
    for (const person of directory.allPeople()) {
      for (const command of commandsIn(helpSections(directory, person).join('\n'))) {
        expect(aliases, `${person.name}: ${command}`).toContain(command.split(/\s+/)[0]!.toLowerCase());
      }
    }
  });
});

describe('帮助 in the chats', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await createTestBot();
  });
  afterAll(async () => t.close());

  it('answers each person with their own card', async () => {
    await t.say('zhang-li', 'intake', '帮助');
    const reporter = (await t.transcript('intake')).at(-1)!.card!;
    await t.say('wang-wei', 'engineers', '/help');
    const engineer = (await t.transcript('engineers')).at(-1)!.card!;
    expect(reporter.title).toBe('信息科助手 · 使用帮助');
    expect(reporter.markdown).toContain('`撤销 IT-…`');
    expect(reporter.markdown).not.toContain('认领');
    expect(engineer.markdown).toContain('`关闭 IT-… 重复 IT-…`');
    expect(engineer.markdown).not.toContain('撤销');
  });
});
