import { describe, expect, it } from 'vitest';
import { mandarinOf } from '../../../../bot/tickets/dialect.js';
import { extractReport } from '../../../../bot/tickets/extract.js';
import { kindOf } from '../../../../bot/tickets/intent.js';
import { sampleDirectory } from '../../../helpers/db.js';

const directory = sampleDirectory();
const nurse = directory.person('zhang-li')!;
const read = (text: string) => {
  const fields = extractReport(text, nurse, directory);
  return { kind: kindOf(text, fields, directory), priority: fields.priority, system: fields.system?.id };
};

describe('Cantonese as staff type it', () => {
  it('reads Cantonese words as Mandarin', () => {
    expect(mandarinOf('入唔到HIS 成个病区冇网 排紧队')).toBe('登不上HIS 整个病区没网 排着队');
    expect(mandarinOf('呢部电脑开唔到')).toBe('这台电脑开不了');
  });

  it('leaves Mandarin alone, 系统 and 要紧 included', () => {
    for (const text of ['HIS系统登不上 不要紧 明天来也行', '住院部三楼打印机卡纸了', '赶紧来人 收费系统崩了']) expect(mandarinOf(text)).toBe(text);
  });

  it('a Cantonese fault report is a report with the priority its impact gives', () => {
    expect(read('手麻xt死咗 三间手术间等紧接病人 麻醉记录单开唔到')).toMatchObject({ kind: 'report', priority: 'P1', system: 'anesthesia' });
    expect(read('收费处啲电脑全部收唔到费 HIS 报错 窗口排紧二三十人')).toMatchObject({ kind: 'report', priority: 'P2', system: 'his' });
    expect(read('我呢部dn成日自动重启 其他人正常')).toMatchObject({ kind: 'report', priority: 'P3', system: 'pc' });
    expect(read('扫码枪条线太短 可唔可以换条长啲 唔急')).toMatchObject({ kind: 'report', priority: 'P4', system: 'scanner' });
  });

  it('thanks, jokes and notices in Cantonese create nothing', () => {
    expect(read('哈哈 部打印机今日好乖 一次都冇卡纸').kind).toBe('chatter');
    expect(read('边个见到我个读卡器 头先放喺护士站').kind).toBe('chatter');
  });
});

describe('error texts and quoted messages', () => {
  it('an English error or an error code is a fault', () => {
    expect(read('医生站开处方报 ORA-12541 分机 8302')).toMatchObject({ kind: 'report', system: 'his' });
    expect(read('划价收费界面一点收费就报 "Object reference not set to an instance of an object"')).toMatchObject({ kind: 'report', priority: 'P3' });
  });

  it("a quoted error's words are not the reporter's request", () => {
    // 开通 inside the error is the software's word, not a request to open something.
    expect(read('异地医保结算不了 报 "参保地未开通" 这个病人是外省的')).toMatchObject({ priority: 'P3', system: 'insurance' });
  });

  it('a model number is not a pinyin abbreviation', () => {
    expect(read('打印机脱机 型号 HP LaserJet M403dn').system).toBe('printer');
  });
});
