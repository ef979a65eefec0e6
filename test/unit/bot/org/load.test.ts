import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { declaredIdentities } from '../../../../bot/org/directory.js';
import { loadOrgFile, OrgFileError, parseOrg } from '../../../../bot/org/load.js';
import { sampleOrgFile } from '../../../helpers/db.js';

const sample = readFileSync(sampleOrgFile, 'utf8');

function problemsOf(text: string) {
  try {
    parseOrg(text, 'org.yaml');
  } catch (err) {
    if (err instanceof OrgFileError) return err.problems;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('the organisation file', () => {
  it('ships a sample hospital with the departments, roles and chats the bot needs', () => {
    const org = loadOrgFile(sampleOrgFile);
    const departments = org.departments.map((d) => d.name);
    for (const name of ['门诊部', '急诊科', '心内科', '检验科', '放射科', '药剂科', '护理部', '医务科', '财务科', '人事科', '信息科']) {
      expect(departments).toContain(name);
    }
    expect(org.itGroups.map((g) => g.name)).toEqual(['网络管理组', '系统与数据库管理组', '应用支持与开发组', '信息安全组']);
    const roles = new Set(org.people.flatMap((p) => p.roles));
    for (const role of ['reporter', 'dept_head', 'it_engineer', 'it_group_leader', 'it_director', 'vp_it', 'leadership', 'hr']) {
      expect(roles).toContain(role);
    }
    expect(org.chats.map((c) => c.name)).toEqual(['信息科报修群', '信息科工程师群', '院领导群']);
  });

  it('keeps the default escalation policy of a priority left out, and checks the steps of one given', () => {
    const withPolicy = sample.replace(
      '    policy:\n',
      '    policy:\n      P3: { steps: [{ to: duty, after: 30m }, { to: nobody-here, after: 1h }], remindEvery: 1d, hours: working }\n',
    );
    expect(problemsOf(withPolicy)).toEqual([
      expect.objectContaining({ field: 'tickets.escalation.policy.P3.steps[1].to', message: '"nobody-here" is neither a step kind nor a person id' }),
    ]);
    const org = parseOrg(withPolicy.replace('nobody-here', 'huang-jun'), 'org.yaml');
    expect(org.tickets.escalation.policy.P3.steps).toEqual([
      { to: 'duty', after: { minutes: 30 } },
      { to: 'huang-jun', after: { minutes: 60 } },
    ]);
    expect(org.tickets.escalation.policy.P3.atOnce).toEqual([]);
    expect(org.tickets.escalation.policy.P1.steps.map((s) => s.to)).toEqual(['group_leader', 'it_director', 'leadership']);
  });

  it('refuses the one escalation chain of older files, saying what replaced it, on its line', () => {
    const older = sample.replace('    policy:\n', '    chain: [duty, group_leader, it_director]\n    repeatMinutes: 15\n    policy:\n');
    expect(problemsOf(older)).toEqual([
      expect.objectContaining({
        field: 'tickets.escalation.chain',
        line: lineOf(older, 'chain: [duty'),
        message: expect.stringContaining('no longer used: write tickets.escalation.policy'),
      }),
      expect.objectContaining({
        field: 'tickets.escalation.repeatMinutes',
        line: lineOf(older, 'repeatMinutes: 15'),
        message: 'no longer used: write tickets.escalation.policy.<priority>.remindEvery',
      }),
    ]);
  });

  it('names the file, line and field of an unknown reference', () => {
    const broken = sample.replace('department: cardiology, title: 医生', 'department: icu, title: 医生');
    expect(problemsOf(broken)).toEqual([
      { line: lineOf(broken, 'department: icu'), column: expect.any(Number), field: 'people[4].department', message: 'unknown department "icu"' },
    ]);
  });

  it('names a wrong role and a missing required field', () => {
    const broken = sample.replace('roles: [reporter, info_officer] }', 'roles: [nurse] }').replace('  name: 示例市第一人民医院\n', '');
    const problems = problemsOf(broken);
    expect(problems).toContainEqual(expect.objectContaining({ field: 'people[0].roles[0]', line: lineOf(broken, 'roles: [nurse]') }));
    expect(problems).toContainEqual(
      expect.objectContaining({ field: 'hospital.name', line: lineOf(broken, 'hospital:'), message: expect.stringContaining('expected string') }),
    );
  });

  it('refuses duplicate ids and engineers without an IT group', () => {
    const broken = sample
      .replace('{ id: li-na, name: 李娜', '{ id: zhang-li, name: 李娜')
      .replace('itGroup: network, roles: [it_engineer] }', 'roles: [it_engineer] }');
    const problems = problemsOf(broken);
    expect(problems).toContainEqual(expect.objectContaining({ field: 'people[2].id', message: 'duplicate id "zhang-li"' }));
    expect(problems).toContainEqual(expect.objectContaining({ field: 'people[20].roles', message: 'an it_engineer needs an itGroup' }));
  });

  it('maps departments to their platform directory ids, and refuses one id given to two departments on its line', () => {
    const mapped = sample
      .replace(
        '{ id: outpatient, name: 门诊部, aliases: [门诊], head: chen-jing }',
        '{ id: outpatient, name: 门诊部, aliases: [门诊], head: chen-jing, ids: { feishu: od-outpatient, wecom: 12 } }',
      )
      .replace(
        '{ id: emergency, name: 急诊科, aliases: [急诊], head: zhao-gang }',
        '{ id: emergency, name: 急诊科, aliases: [急诊], head: zhao-gang, ids: { feishu: [od-er, od-er-night] } }',
      );
    const org = parseOrg(mapped, 'org.yaml');
    expect(org.departments[0]!.ids).toEqual({ feishu: ['od-outpatient'], wecom: ['12'] });
    expect(org.departments[1]!.ids).toEqual({ feishu: ['od-er', 'od-er-night'] });

    const twice = mapped.replace(
      '{ id: cardiology, name: 心内科, aliases: [心血管内科], head: sun-hong }',
      '{ id: cardiology, name: 心内科, aliases: [心血管内科], head: sun-hong, ids: { feishu: [od-heart, od-er], wecom: 12 } }',
    );
    const line = lineOf(twice, 'id: cardiology');
    expect(problemsOf(twice)).toEqual([
      {
        line,
        column: twice.split('\n')[line - 1]!.indexOf('od-er]') + 1,
        field: 'departments[2].ids.feishu[1]',
        message: 'duplicate Feishu department id "od-er": departments[1] (emergency) has it too',
      },
      {
        line,
        column: expect.any(Number),
        field: 'departments[2].ids.wecom',
        message: 'duplicate WeCom department id "12": departments[0] (outpatient) has it too',
      },
    ]);
    const unknown = sample.replace('{ id: nursing, name: 护理部, head: gao-yan }', '{ id: nursing, name: 护理部, head: gao-yan, ids: { dingtalk: 3 } }');
    expect(problemsOf(unknown)).toEqual([expect.objectContaining({ line: lineOf(unknown, 'id: nursing'), field: 'departments[6].ids' })]);
    const empty = sample.replace('{ id: nursing, name: 护理部, head: gao-yan }', '{ id: nursing, name: 护理部, head: gao-yan, ids: { feishu: "" } }');
    expect(problemsOf(empty)).toEqual([expect.objectContaining({ line: lineOf(empty, 'id: nursing'), field: 'departments[6].ids.feishu' })]);
  });

  it('refuses a platform id given to two people, or a platform chat bound to two chats, on its line', () => {
    const broken = sample
      .replace('roles: [reporter, info_officer] }', 'roles: [reporter, info_officer], ids: { feishu: { open_id: ou_same }, wecom: { userid: ZhangLi } } }')
      .replace(
        '{ id: chen-jing, name: 陈静, department: outpatient, title: 门诊部主任, phone: "8100", roles: [reporter, dept_head] }',
        '{ id: chen-jing, name: 陈静, department: outpatient, title: 门诊部主任, phone: "8100", roles: [reporter, dept_head], ids: { feishu: { user_id: ou_same }, wecom: { userid: zhangli } } }',
      )
      .replace('{ id: intake, name: 信息科报修群, purpose: intake }', '{ id: intake, name: 信息科报修群, purpose: intake, ids: { feishu: oc_same } }')
      .replace('{ id: leadership, name: 院领导群, purpose: leadership }', '{ id: leadership, name: 院领导群, purpose: leadership, ids: { feishu: oc_same } }');
    const line = lineOf(broken, 'id: chen-jing');
    expect(problemsOf(broken)).toEqual([
      {
        line,
        column: broken.split('\n')[line - 1]!.indexOf('ou_same') + 1,
        field: 'people[1].ids.feishu.user_id',
        message: 'duplicate Feishu id "ou_same": people[0] (zhang-li) has it too',
      },
      {
        line,
        column: expect.any(Number),
        field: 'people[1].ids.wecom.userid',
        message: 'duplicate WeCom userid "zhangli" (WeCom ignores case): people[0] (zhang-li) has it too',
      },
      {
        line: lineOf(broken, 'id: leadership'),
        column: expect.any(Number),
        field: 'chats[2].ids.feishu',
        message: 'duplicate Feishu chat id "oc_same": chats[0] (intake) is bound to it too',
      },
    ]);
    // One person's own ids may repeat (an open_id given as the user_id too): the same person either way.
    const org = parseOrg(
      sample.replace('roles: [reporter, info_officer] }', 'roles: [reporter, info_officer], ids: { feishu: { open_id: ou_a, user_id: ou_a } } }'),
      'org.yaml',
    );
    expect(org.people[0]!.ids?.feishu).toEqual({ open_id: 'ou_a', user_id: 'ou_a' });
    expect(declaredIdentities(org.people[0]!)).toEqual([
      { platform: 'simulator', platformUserId: 'zhang-li' },
      { platform: 'feishu', platformUserId: 'ou_a' },
    ]);
  });

  it('keeps the hospital in Asia/Shanghai unless the file names another IANA zone, and refuses anything else on its line', () => {
    expect(parseOrg(sample.replace(/^ {2}timeZone: .*\n/m, ''), 'org.yaml').hospital.timeZone).toBe('Asia/Shanghai');
    expect(parseOrg(sample.replace('timeZone: Asia/Shanghai', 'timeZone: Asia/Urumqi'), 'org.yaml').hospital.timeZone).toBe('Asia/Urumqi');
    for (const zone of ['UTC+8', 'CST-8', '"+08:00"', 'Asia/Beijing']) {
      const broken = sample.replace('timeZone: Asia/Shanghai', `timeZone: ${zone}`);
      expect(problemsOf(broken)).toEqual([
        {
          line: lineOf(broken, 'timeZone:'),
          column: 13,
          field: 'hospital.timeZone',
          message: `"${zone.replaceAll('"', '')}" is not an IANA time zone such as Asia/Shanghai (offsets like UTC+8 or CST-8 are not zones)`,
        },
      ]);
    }
  });

  it('refuses a cron rule that cannot fire, naming its line', () => {
    const broken = sample.replace('schedule: "13 8 * * *"', 'schedule: "61 8 * * *"');
    expect(problemsOf(broken)).toEqual([
      expect.objectContaining({
        field: 'reminders[0].schedule',
        line: lineOf(broken, '"61 8 * * *"'),
        message: expect.stringContaining('not a valid cron rule'),
      }),
    ]);
  });

  it('reads the commented monitoring sample as given, and without the section keeps the defaults', () => {
    expect(parseOrg(sample, 'org.yaml').monitoring).toMatchObject({
      sources: [],
      systemLabels: ['system', 'service', 'app'],
      systems: {},
      flapMinutes: 10,
      settleMinutes: 5,
      severities: expect.objectContaining({ critical: 'P1', '5': 'P1', '4': 'P2', warning: 'P3', info: 'P4', default: 'P3' }),
    });
    const uncommented = sample.replace(/^# monitoring:\n((?:# {3}.*\n|#\n)+)/m, (block) => block.replace(/^# ?/gm, ''));
    expect(uncommented).toContain('\nmonitoring:\n  # List a source');
    const org = parseOrg(uncommented, 'org.yaml');
    expect(org.monitoring.sources).toEqual([
      { id: 'zabbix', secret: 'a-long-random-string-of-at-least-16-characters' },
      { id: 'zabbix-lab', format: 'zabbix' },
    ]);
    expect(org.monitoring.systems).toMatchObject({ 'his-db-01': 'his', 'core-switch-01': 'network' });
    expect(org.monitoring.severities).toMatchObject({ '4': 'P2', critical: 'P1', default: 'P3' });
  });

  it('names the line and field of a wrong monitoring setting', () => {
    const withMonitoring = (yaml: string) => `${sample}\nmonitoring:\n${yaml}`;
    const broken = withMonitoring(
      [
        '  sources:',
        '    - { id: nagios }',
        '    - { id: zabbix, secret: short }',
        '    - { id: grafana, format: zabbix }',
        '  systems:',
        '    his-db-01: his',
        '    boiler-01: boiler',
        '  severities: { critical: P0 }',
        '  flapMinutes: -1',
      ].join('\n'),
    );
    expect(problemsOf(broken)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'monitoring.sources[1].secret',
          line: lineOf(broken, 'secret: short'),
          message: expect.stringContaining('at least 16'),
        }),
        expect.objectContaining({ field: 'monitoring.severities.critical', line: lineOf(broken, 'critical: P0') }),
        expect.objectContaining({ field: 'monitoring.flapMinutes', line: lineOf(broken, 'flapMinutes: -1') }),
      ]),
    );
    // Zod's checks first, then what spans fields: the references.
    const references = withMonitoring(
      [
        '  sources:',
        '    - { id: nagios }',
        '    - { id: grafana, format: zabbix }',
        '    - { id: nagios, format: generic }',
        '  systems:',
        '    his-db-01: his',
        '    boiler-01: boiler',
      ].join('\n'),
    );
    expect(problemsOf(references)).toEqual([
      expect.objectContaining({
        field: 'monitoring.sources[0].id',
        line: lineOf(references, '- { id: nagios }'),
        message: expect.stringContaining('needs a format'),
      }),
      expect.objectContaining({
        field: 'monitoring.sources[1].format',
        line: lineOf(references, 'id: grafana, format: zabbix'),
        message: expect.stringContaining('grafana format'),
      }),
      expect.objectContaining({ field: 'monitoring.sources[2].id', message: 'duplicate source "nagios"' }),
      expect.objectContaining({ field: 'monitoring.systems.boiler-01', line: lineOf(references, 'boiler-01: boiler'), message: 'unknown system "boiler"' }),
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf('hospital:\n  name: 医院\ndepartments: [\n  - id: a\n');
    expect(problems[0]!.line).toBeGreaterThanOrEqual(3);
    expect(problems[0]!.field).toBe('');
  });

  it('says so when the file is missing', () => {
    expect(() => loadOrgFile('config/nope.yaml')).toThrow(/config\/nope\.yaml.*file not found/s);
  });
});
