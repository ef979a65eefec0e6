import fc from 'fast-check';
import type { Directory } from '../../bot/org/directory.js';

/** Half-width ASCII (digits, letters, punctuation) to its full-width form (０-９, Ａ-Ｚ, ，…). */
export function toFullWidth(text: string): string {
  return text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Any code points, lone surrogates included. */
export const anyText = (maxLength = 200) => fc.string({ unit: 'binary', maxLength });

/** Printable text from every script, emoji and combining marks included. */
export const graphemes = (maxLength = 200) => fc.string({ unit: 'grapheme', maxLength });

const CJK = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
const FULL_WIDTH_DIGIT = fc.integer({ min: 0xff10, max: 0xff19 }).map((c) => String.fromCharCode(c));

/** Pieces of real reports: the organisation's keywords, places, numbers, labels and punctuation. */
export function reportPieces(directory: Directory): fc.Arbitrary<string> {
  const { org } = directory;
  const words = [
    ...org.systems.flatMap((s) => s.keywords),
    ...Object.values(org.priorities).flatMap((p) => p?.keywords ?? []),
    ...org.departments.flatMap((d) => [d.name, ...d.aliases]),
    ...org.locations.buildings,
    '资产号',
    '资产编号：',
    '设备号',
    '编号',
    '电话',
    '分机',
    '手机',
    '联系',
    'tel',
    '楼',
    '层',
    'F',
    '诊室',
    '病房',
    '护士站',
    '请问',
    '蓝屏了怎么办',
    '都',
    '全',
    '好了',
    '谢谢',
    '@信息科助手',
    'PC-0231',
    'pc0456',
    'PR 1002',
    '13812345678',
    '138-1234-5678',
    '0571-87654321',
    '8123',
    '三楼',
    'B2',
    '十二楼',
    '212',
    '病人在等',
  ];
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...words) },
    { weight: 3, arbitrary: fc.stringMatching(/^[，。,.;；!！?？\n ：:\-_～~、]$/) },
    { weight: 3, arbitrary: fc.string({ unit: CJK, minLength: 1, maxLength: 4 }) },
    { weight: 2, arbitrary: fc.string({ unit: FULL_WIDTH_DIGIT, minLength: 1, maxLength: 11 }) },
    { weight: 2, arbitrary: fc.stringMatching(/^\d{1,12}$/) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z]{1,6}[ _-]?\d{0,9}$/) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
  );
}

/** Text that reads like a report: the pieces above, in any order. */
export function reportLike(directory: Directory, maxPieces = 30): fc.Arbitrary<string> {
  return fc.array(reportPieces(directory), { maxLength: maxPieces }).map((parts) => parts.join(''));
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a parsed document, so a mutation can pick one. */
export function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (value && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return [prefix];
}

export function mutateAt(doc: Json, path: (string | number)[], change: (parent: any, key: string | number) => void): Json {
  const copy = structuredClone(doc);
  let parent: any = copy;
  for (const key of path.slice(0, -1)) parent = parent?.[key];
  if (parent && typeof parent === 'object') change(parent, path.at(-1)!);
  return copy;
}

/** Values of every type, to put where a payload expects something else. */
export const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, 1e21, '', ' ', 'x', '中文', [], {}, [null], { x: 1 }, 'x'.repeat(5000)),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

/** A document with one to three of its fields deleted or changed to a value of another type. */
export function mutatedJson(doc: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(doc).filter((p) => p.length > 0);
  const one = fc.oneof(
    fc
      .constantFrom(...paths)
      .map((path) => (d: Json) => mutateAt(d, path, (parent, key) => void (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key]))),
    fc.tuple(fc.constantFrom(...paths), wrongValue).map(
      ([path, v]) =>
        (d: Json) =>
          mutateAt(d, path, (parent, key) => void (parent[key] = v)),
    ),
  );
  return fc.array(one, { minLength: 1, maxLength: 3 }).map((changes) => changes.reduce((d, change) => change(d), doc));
}
