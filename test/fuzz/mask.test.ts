import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mask } from '../../bot/digest/mask.js';

/** Full-width digits and letters as their half-width forms, without the spaces, dashes and invisible characters people put between digits. */
const squeeze = (text: string) => text.normalize('NFKC').replace(/[\s\u200b-\u200d\u2060\ufeff\u00ad\-‐‑‒–—―_.·]/g, '');

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const region = fc.integer({ min: 110000, max: 659999 }).map(String);
const birthday = fc.record({ year: fc.integer({ min: 1930, max: 2020 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) });

type Kind = 'mobile' | 'id18' | 'id15';
/** A number as it is (digits, X for an ID's check digit) and what it must read as once masked. */
interface PersonalNumber {
  kind: Kind;
  digits: string;
  masked: string;
}

const mobile: fc.Arbitrary<PersonalNumber> = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9))
  .map(([second, rest]) => `1${second}${rest}`)
  .map((d) => ({ kind: 'mobile', digits: d, masked: `${d.slice(0, 3)}****${d.slice(7)}` }));
const id18: fc.Arbitrary<PersonalNumber> = fc
  .tuple(region, birthday, digits(3), fc.constantFrom(...'0123456789X'))
  .map(([r, b, seq, check]) => `${r}${b.year}${pad(b.month)}${pad(b.day)}${seq}${check}`)
  .map((d) => ({ kind: 'id18', digits: d, masked: `${d.slice(0, 6)}********${d.slice(14)}` }));
const id15: fc.Arbitrary<PersonalNumber> = fc
  .tuple(region, birthday, digits(3))
  .map(([r, b, seq]) => `${r}${pad(b.year % 100)}${pad(b.month)}${pad(b.day)}${seq}`)
  .map((d) => ({ kind: 'id15', digits: d, masked: `${d.slice(0, 6)}******${d.slice(12)}` }));

/** What people put between the digits of one number. */
const SEPARATORS = [' ', '-', '\u200b', '\u3000', '\u00a0', ' - ', '－', '—', '.', '\u2060', '\ufeff'];
const COUNTRY_CODES = ['', '', '+86', '+86 ', '86', '0086', '0086 ', '(+86)', '+86-'];

/** A number in any of these spellings: full-width or not (digit by digit), split anywhere, the country code before a mobile. */
function spelled(number: PersonalNumber): fc.Arbitrary<string> {
  const n = number.digits.length;
  const gap = fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...SEPARATORS) });
  const usual = number.kind === 'mobile' ? [3, 7] : number.kind === 'id18' ? [6, 14] : [6, 12];
  // Mostly the usual groups (138 1234 5678, 110101 19900307 1234), sometimes any split at all.
  const gaps = fc.oneof(
    fc.constantFrom(...SEPARATORS).map((sep) => Array.from({ length: n - 1 }, (_, i) => (usual.includes(i + 1) ? sep : ''))),
    fc.array(gap, { minLength: n - 1, maxLength: n - 1 }),
  );
  const width = fc.oneof(
    fc.constant(Array<boolean>(n).fill(false)),
    fc.constant(Array<boolean>(n).fill(true)),
    fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  );
  const prefix = number.kind === 'mobile' ? fc.constantFrom(...COUNTRY_CODES) : fc.constant('');
  const x = fc.constantFrom('X', 'x', 'Ｘ');
  return fc.tuple(gaps, width, prefix, x).map(([between, full, code, check]) =>
    [...number.digits]
      .map((c, i) => {
        const ch = c === 'X' ? check : full[i] ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c;
        return (i > 0 ? between[i - 1] : '') + ch;
      })
      .join('')
      .replace(/^/, code),
  );
}

/** Chinese around the numbers: Han characters and punctuation, never a digit. */
const HAN = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
const CHINESE = fc.oneof(
  { weight: 8, arbitrary: HAN },
  { weight: 2, arbitrary: fc.constantFrom(...'，。：、！？（）“”；') },
  { weight: 1, arbitrary: fc.constantFrom('电话', '手机', '身份证号', '联系', '患者', '家属', ' ', '：') },
);
const chinese = (maxLength = 8) => fc.array(CHINESE, { maxLength }).map((parts) => parts.join(''));
/** Text before a number: it ends in a Han character, so two numbers are never one. */
const lead = fc.tuple(chinese(), HAN).map(([text, han]) => text + han);

const WORDS = [
  ...'患者 病人 病患 患者家属 排队 排长队 排了 身份证 身份证号 姓名 病历 挂号 缴费 检查 报告 家属 信息 高烧 马上 方便 严重 常规 安排 一直 太多 很多'.split(' '),
  ...'打印机 卡纸 打不出 处方 系统 登不上 HIS 自助机 医保卡 读不出 门诊 急诊 护士站 医生 外面 在等 说 的 了 请 尽快 处理 谢谢 今天 上午 于今日 入院 向医生反映'.split(
    ' ',
  ),
  ...'，。、！？：'.split(''),
  ...[
    ' ',
    '3楼',
    '212诊室',
    '分机8123',
    '电话8123',
    'PC-0231',
    'PR 1002',
    'IT-20261123-0001',
    'SQ-20261123-001',
    '2026-11-23',
    '14:05',
    '10 月',
    '二十多个',
    'P1',
    '3台',
  ],
];
/** A sentence of those words; two numbers are never run together into a longer one. */
const sentence = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 16 })
  .map((words) => words.reduce((text, w) => (/\d[\s\-.]*$/.test(text) && /^\d/.test(w) ? `${text}，${w}` : text + w), ''));

describe('masking personal data (property-based)', () => {
  it('masks every mobile and ID number, however written, in any Chinese text around it', () => {
    const embedded = fc.array(
      fc.oneof(mobile, id18, id15).chain((number) => fc.tuple(lead, spelled(number)).map(([before, written]) => ({ number, text: before + written }))),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(embedded, chinese(), (parts, after) => {
        const text = parts.map((p) => p.text).join('') + after;
        const out = squeeze(mask(text)).toUpperCase();
        for (const { number } of parts) {
          expect(out, text).not.toContain(number.digits);
          expect(out, text).toContain(number.masked);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves sentences without personal data exactly as they were', () => {
    fc.assert(
      fc.property(sentence, (text) => {
        expect(mask(text)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('hides the given name of a patient named after 患者 / 病人 / 病患, keeping the surname', () => {
    const surname = fc.constantFrom(
      ...'王李张刘陈杨黄赵吴徐孙朱胡郭林罗郑梁宋唐韩冯邓曹彭肖田董袁潘蒋蔡杜叶魏吕丁沈姚卢姜崔钟谭汪廖贾韦邹孟熊秦邱尹薛闫雷侯龙陶贺郝龚邵覃武孔'.split(''),
      '欧阳',
      '诸葛',
      '司马',
    );
    const given = fc
      .array(fc.constantFrom(...'丽伟芳娜敏静强磊军艳杰娟涛超霞刚英红玉兰辉鹏建国志秀桂春海萍'), { minLength: 1, maxLength: 2 })
      .map((c) => c.join(''));
    const patient = fc.constantFrom('患者', '病人', '病患', '患者姓名：', '病人 ');
    // Text before it that names no patient itself.
    const plain = chinese().filter((text) => !/[患病]/.test(text));
    const then = fc.constantFrom('', '的', '说', '，', '。', ' ', '反映', '头疼', '在排队', '家属', '的处方打不出');
    fc.assert(
      fc.property(plain, patient, surname, given, then, (before, word, s, g, rest) => {
        const out = mask(`${before}${word}${s}${g}${rest}`);
        expect(out).not.toContain(`${s}${g}`);
        expect(out).toContain(`${word}${s}*${rest}`);
      }),
      { numRuns: 500 },
    );
  });
});
