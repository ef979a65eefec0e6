import { describe, expect, it } from 'vitest';
import { readAssetTable } from '../../../../bot/assets/file.js';
import { calendarDayOf, normaliseAssetNumber } from '../../../../bot/assets/number.js';
import { t } from '../../../../bot/i18n/zh.js';
import { tableFromCsv } from '../../../../bot/imports/table-file.js';
import { extractReport } from '../../../../bot/tickets/extract.js';
import { sampleDirectory } from '../../../helpers/db.js';

const directory = sampleDirectory();
const read = (csv: string) => readAssetTable(tableFromCsv(csv), directory);

describe('asset numbers and dates as a register writes them', () => {
  it('reads an asset number the way intake stores it', () => {
    for (const written of ['PC-0231', 'pc0231', 'PC 0231', 'ＰＣ－０２３１', 'PC_0231', ' pc.0231 '])
      expect(normaliseAssetNumber(written), written).toBe('PC-0231');
    expect(normaliseAssetNumber('ZZJ-12')).toBeUndefined();
    expect(normaliseAssetNumber('0231')).toBeUndefined();
    expect(normaliseAssetNumber('电脑')).toBeUndefined();
  });

  it('reads a number to the very form intake stores from a report', () => {
    const nurse = directory.person('zhang-li')!;
    for (const written of ['PC-0231', 'pc0231', 'Pr 1002', 'ＰＣ－０４５０', 'ZZJ_00012', 'sw.20101']) {
      expect(normaliseAssetNumber(written), written).toBe(extractReport(`电脑坏了，资产号${written}`, nurse, directory).assetNumber);
    }
  });

  it('reads the usual ways of writing a day, and refuses days that do not exist', () => {
    for (const written of ['2027-06-30', '2027/6/30', '2027.06.30', '2027年6月30日', '20270630']) expect(calendarDayOf(written), written).toBe('2027-06-30');
    for (const wrong of ['2027-02-30', '2027-13-01', '30/06/2027', '明年六月', '0001-01-01']) expect(calendarDayOf(wrong), wrong).toBeUndefined();
  });
});

describe('an asset register file', () => {
  it('maps Chinese or English headers in any order, and leaves a column the file lacks as it was', () => {
    const zh = read('型号,资产编号,科室,保修截止,厂商联系方式\n联想启天 M720,pc0231,检验,2027/6/30,400-990-8888\n');
    expect(zh).toEqual({
      assets: [
        {
          line: 2,
          number: 'PC-0231',
          fields: { model: '联想启天 M720', departmentId: 'laboratory', warrantyUntil: '2027-06-30', vendorContact: '400-990-8888' },
        },
      ],
      ignored: [],
      problems: [],
    });
    const en = read('Asset Number,Kind,Department,Purchased On,Warranty Until,Vendor,Remark\nPR-1002,打印机,outpatient,2020-03-01,,惠普,坏过两次\n');
    expect(en.assets[0]).toEqual({
      line: 2,
      number: 'PR-1002',
      fields: { kind: '打印机', departmentId: 'outpatient', purchasedOn: '2020-03-01', warrantyUntil: null, vendor: '惠普' },
    });
    expect(en.ignored).toEqual(['Remark']);
  });

  it('takes the columns in the register order when there is no header', () => {
    const { assets } = read('PC-0450,台式机,戴尔 OptiPlex 7090,心内科,住院部5楼护士站,刘洋,2025-01-10,2028-01-09,戴尔,400-884-6661\n');
    expect(assets[0]!.fields).toEqual({
      kind: '台式机',
      model: '戴尔 OptiPlex 7090',
      departmentId: 'cardiology',
      location: '住院部5楼护士站',
      userName: '刘洋',
      purchasedOn: '2025-01-10',
      warrantyUntil: '2028-01-09',
      vendor: '戴尔',
      vendorContact: '400-884-6661',
    });
  });

  it('names every mistake of every line, and keeps nothing to import', () => {
    const { assets, problems } = read(
      [
        '资产编号,科室,购置日期,保修截止',
        'PC-0231,门诊部,2024-07-01,2027-06-30',
        '电脑一台,门诊部,,',
        'pc-0231,骨科,2024-02-30,',
        ',门诊部,,',
        'PR-1002,门诊部,2024-07-01,2023-07-01',
      ].join('\n'),
    );
    expect(assets).toEqual([]);
    expect(problems).toEqual([
      { line: 3, reason: t('asset.import.badNumber', { number: '电脑一台' }) },
      {
        line: 4,
        reason: [
          t('asset.import.twice', { number: 'PC-0231', first: 2 }),
          t('asset.import.department', { department: '骨科' }),
          t('asset.import.badDate', { column: '购置日期', date: '2024-02-30' }),
        ].join('；'),
      },
      { line: 5, reason: t('asset.import.noNumber') },
      { line: 6, reason: t('asset.import.warrantyBeforePurchase', { warranty: '2023-07-01', purchased: '2024-07-01' }) },
    ]);
  });

  it('refuses a header without the number column, or with a column twice', () => {
    expect(read('类型,型号\n台式机,联想\n').problems).toEqual([{ line: 1, reason: t('asset.import.noNumberColumn') }]);
    expect(read('编号,资产号\nPC-0231,PC-0232\n').problems).toEqual([{ line: 1, reason: t('asset.import.columnTwice', { column: '资产编号' }) }]);
  });
});
