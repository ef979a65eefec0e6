import { describe, expect, it } from 'vitest';
import { Directory } from '../../../../bot/org/directory.js';
import { departmentFor, departmentNamed } from '../../../../bot/people/departments.js';
import { sampleDirectory } from '../../../helpers/db.js';

function hospital(): Directory {
  const { org } = sampleDirectory();
  org.departments.find((d) => d.id === 'outpatient')!.ids = { feishu: ['od-opd-nursing'], wecom: ['12'] };
  return new Directory(org);
}

describe('a directory department as a department of the organisation file', () => {
  const { org } = hospital();

  it('is found by the platform id the file declares first, then by name or alias', () => {
    expect(departmentFor(org, 'feishu', [{ id: 'od-opd-nursing', name: '门诊护理组' }])).toBe('outpatient');
    expect(departmentFor(org, 'wecom', [{ id: '12' }])).toBe('outpatient');
    // The id is the platform's own: a WeCom id means nothing on Feishu.
    expect(departmentFor(org, 'feishu', [{ id: '12' }])).toBeUndefined();
    expect(departmentFor(org, 'feishu', [{ id: 'od-x', name: '心血管内科' }])).toBe('cardiology');
    expect(departmentFor(org, 'wecom', [{ id: '7', name: ' 检验科 ' }])).toBe('laboratory');
    // A declared id wins over a name listed before it.
    expect(departmentFor(org, 'feishu', [{ id: 'od-x', name: '急诊科' }, { id: 'od-opd-nursing' }])).toBe('outpatient');
    expect(departmentFor(org, 'feishu', [{ id: 'od-icu', name: '重症医学科' }])).toBeUndefined();
    expect(departmentFor(org, 'simulator', [{ id: 'outpatient' }])).toBeUndefined();
  });

  it('is read from a typed answer that is little more than its name, never from a report', () => {
    const directory = hospital();
    for (const [said, id] of [
      ['心内科', 'cardiology'],
      ['我是心内科的', 'cardiology'],
      ['在检验科。', 'laboratory'],
      ['急诊', 'emergency'],
      ['我们是药房', 'pharmacy'],
      ['ＩＴ', undefined],
      ['心内科医生办公室电脑蓝屏了', undefined],
      ['谢谢', undefined],
      ['', undefined],
    ] as const) {
      expect(departmentNamed(directory, said)?.id, said).toBe(id);
    }
  });
});
