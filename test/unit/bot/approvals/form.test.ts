import { describe, expect, it } from 'vitest';
import { affectedDepartments, hasSecret, withoutSecrets } from '../../../../bot/approvals/form.js';
import { sampleDirectory } from '../../../helpers/db.js';

describe('a change’s affected departments', () => {
  const directory = sampleDirectory();

  it('reads 全院 as every department, and names what it does not know', () => {
    const whole = affectedDepartments('全院', directory);
    expect(whole.wholeHospital).toBe(true);
    expect(whole.departments).toHaveLength(directory.org.departments.length);
    expect(affectedDepartments('门诊部、太空科', directory)).toMatchObject({ wholeHospital: false, unknown: ['太空科'] });
    expect(affectedDepartments('门诊部，检验科', directory).departments.map((d) => d.name)).toEqual(['门诊部', '检验科']);
  });
});

describe('secrets in comments', () => {
  it('hides the value after 密码 / 口令 / password and keeps the sentence', () => {
    expect(withoutSecrets('已开通，初始密码 Abc@1234，请尽快修改')).toBe('已开通，初始密码 ******，请尽快修改');
    expect(withoutSecrets('口令为 8812')).toBe('口令为 ******');
    expect(withoutSecrets('password=abc123 ok')).toBe('password=****** ok');
  });

  it('leaves comments that only speak of a password alone', () => {
    for (const said of ['初始密码已当面告知', '密码重置完成', '已开通']) {
      expect(withoutSecrets(said)).toBe(said);
      expect(hasSecret(said)).toBe(false);
    }
  });
});
