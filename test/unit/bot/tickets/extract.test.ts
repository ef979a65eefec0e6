import { describe, expect, it } from 'vitest';
import { extractReport, looksLikeSmallTalk } from '../../../../bot/tickets/extract.js';
import { sampleDirectory } from '../../../helpers/db.js';

const directory = sampleDirectory();
const nurse = directory.person('zhang-li')!; // 门诊部, phone 8123
const extract = (text: string, who = nurse) => extractReport(text, who, directory);

describe('extractReport', () => {
  it('reads every field of a good report', () => {
    const fields = extract('门诊3楼212诊室打印机卡纸，打不出处方，资产号PC-0231，电话8123');
    expect(fields).toMatchObject({
      title: '门诊3楼212诊室打印机卡纸',
      departmentId: 'outpatient',
      location: { text: '门诊3楼212诊室', building: '门诊', floor: '3', room: '212诊室' },
      assetNumber: 'PC-0231',
      phone: '8123',
      priority: 'P3',
      missing: [],
    });
    expect(fields.system).toMatchObject({ id: 'printer', category: 'hardware', itGroup: 'systems' });
  });

  it('takes the department from the text when it is named, else from the sender', () => {
    expect(extract('心内科护士站电脑蓝屏，资产号PC-1100')).toMatchObject({ departmentId: 'cardiology', departmentNamed: true });
    expect(extract('电脑蓝屏，资产号PC-1100')).toMatchObject({ departmentId: 'outpatient', departmentNamed: false });
  });

  it('normalizes asset numbers and finds mobile numbers without a label', () => {
    const fields = extract('住院部5楼护士站电脑死机 资产编号：pc0456 联系我13812345678');
    expect(fields.assetNumber).toBe('PC-0456');
    expect(fields.phone).toBe('13812345678');
    expect(fields.location).toMatchObject({ building: '住院部', floor: '5', room: '护士站' });
  });

  it('matches the system whose keywords fit best', () => {
    expect(extract('挂号系统报错，医生站也打不开').system?.id).toBe('his');
    expect(extract('检验科LIS条码打不出来').system?.id).toBe('lis');
    expect(extract('住院部5楼网断了').system?.id).toBe('network');
    expect(extract('阅片时PACS影像加载很慢').system?.id).toBe('pacs');
  });

  it('suggests a priority from the words of the report', () => {
    expect(extract('全院HIS都不能用了').priority).toBe('P1');
    expect(extract('多个科室打不开电子病历').priority).toBe('P1');
    expect(extract('整个科室的电脑都登不上HIS').priority).toBe('P2');
    expect(extract('请问怎么设置打印机默认纸张').priority).toBe('P4');
    expect(extract('我的电脑开不了机，资产号PC-0001').priority).toBe('P3');
  });

  it('lists what the help desk still needs', () => {
    expect(extract('电脑蓝屏了').missing).toEqual(['asset']);
    expect(extract('有个东西坏了').missing).toEqual(['system']);
    const noPhone = { ...nurse, phone: undefined };
    expect(extract('HIS报错', noPhone).missing).toEqual(['phone']);
    expect(extract('HIS报错，分机 6021', noPhone).missing).toEqual([]);
  });
});

describe('looksLikeSmallTalk', () => {
  it('recognizes greetings and thanks, not reports', () => {
    for (const text of ['你好', '谢谢老师！', '收到', '好的，辛苦了', '在吗？', '  ']) expect(looksLikeSmallTalk(text)).toBe(true);
    for (const text of ['你好，打印机坏了', '谢谢，电脑又蓝屏了', 'HIS打不开']) expect(looksLikeSmallTalk(text)).toBe(false);
  });
});
