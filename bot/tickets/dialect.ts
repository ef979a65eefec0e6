/**
 * Cantonese as staff in Guangdong type it (入唔到HIS, 成个病区冇网, 排紧队), read as the Mandarin the
 * intake rules are written in (进不去HIS, 整个病区没网, 排着队). Cantonese words and characters are
 * always read this way; words Mandarin shares (系, 紧, 部, 呢, 晒, 个个) only in a message that
 * has a Cantonese-only character, so a Mandarin 系统 or 要紧 is left alone.
 */

/** Cantonese words, read first (longest first within a row); single characters come last. */
const WORDS: [RegExp, string][] = [
  [/入唔到|入唔去|登唔入|入唔入/g, '登不上'],
  [/唔到/g, '不了'],
  [/满晒/g, '满了'],
  [/排晒长龙/g, '排长龙'],
  [/出面/g, '外面'],
  // 关极都关唔到: however often.
  [/(\p{Script=Han})极都\1/gu, '$1都$1'],
  [/极都(?=唔|不|冇|没)/g, '了还'],
  [/郁唔到|郁唔郁/g, '动不了'],
  [/冇晒/g, '全没'],
  [/搞掂|搞定咗/g, '搞定'],
  [/已经得咗|得咗喇|得咗啦|得咗/g, '好了'],
  [/唔得/g, '不行'],
  [/唔该晒|唔该|多谢晒/g, '谢谢'],
  [/唔使|唔駛|唔洗/g, '不用'],
  [/唔紧要/g, '不要紧'],
  [/可唔可以/g, '可不可以'],
  [/使唔使/g, '用不用'],
  [/得唔得/g, '行不行'],
  [/系咪|係咪/g, '是不是'],
  [/点解/g, '为什么'],
  [/点算|点办/g, '怎么办'],
  [/点样|点先/g, '怎么'],
  [/边度|边到/g, '哪里'],
  [/边个/g, '谁'],
  [/几时/g, '什么时候'],
  [/成间医院|成个医院/g, '整个医院'],
  [/成个|成间/g, '整个'],
  [/成(?=[栋层座幢])/g, '整'],
  [/净系|淨係|净係|淨系|得返/g, '只有'],
  [/隔篱/g, '隔壁'],
  [/企满|逼满/g, '挤满'],
  [/今朝/g, '今早'],
  [/头先|啱先/g, '刚才'],
  [/啱啱/g, '刚刚'],
  [/而家|宜家/g, '现在'],
  [/听日/g, '明天'],
  [/琴日|寻日|尋日/g, '昨天'],
  [/好似/g, '好像'],
  [/快啲/g, '快点'],
  [/咁样|噉样|咁|噉/g, '这样'],
  [/冇事/g, '没事'],
  [/帮手/g, '帮忙'],
  [/嘢/g, '东西'],
  [/[喇嘞]/g, '了'],
];

const CHARACTERS: Record<string, string> = {
  唔: '不',
  冇: '没',
  咗: '了',
  嘅: '的',
  啲: '些',
  喺: '在',
  嚟: '来',
  睇: '看',
  撳: '按',
  佢: '他',
  哋: '们',
  嗰: '那',
  乜: '什么',
  攞: '拿',
  畀: '给',
  俾: '被',
  咩: '什么',
  揸: '拿',
  攰: '累',
};

/** Characters no Mandarin message uses: those read one by one, and a few only Cantonese words hold. */
const CANTONESE_ONLY = new RegExp(`[${Object.keys(CHARACTERS).join('')}咁嘢噉嚿瞓嘥掂嘞喇]`);

/** Words Mandarin has too, read the Cantonese way only in a Cantonese message. */
const SHARED: [RegExp, string][] = [
  // 排晒队, 停晒, 黑晒: all of them.
  [/排晒队/g, '排着队'],
  [/(\p{Script=Han})晒(?!\p{Script=Han})/gu, '全$1了'],
  [/(\p{Script=Han})晒/gu, '$1了'],
  // 等紧, 排紧队, 抢救紧: going on now (not 紧急, 要紧, 抓紧, 赶紧).
  [/(?<![要赶抓加不])紧(?![急张迫密凑要])/g, '着'],
  // 系 is 是 (not 系统, 系列).
  [/系(?![统列数])/g, '是'],
  // 呢部, 呢个: this one.
  [/呢(?=[部个台间张度边啲些])/g, '这'],
  // 我部电脑, 三部打印机: a machine (not 住院部, 门诊部).
  [/(?<=[\d一二三四五六七八九十几两我这那每])部(?![门分位])/g, '台'],
  // 个个窗口, 个个医生: every one.
  [/个个/g, '所有'],
];

/** The text with Cantonese read as Mandarin; a Mandarin text comes back unchanged. */
export function mandarinOf(text: string): string {
  let out = text;
  for (const [from, to] of WORDS) out = out.replace(from, to);
  if (!CANTONESE_ONLY.test(text)) return out;
  for (const [from, to] of SHARED) out = out.replace(from, to);
  return [...out].map((c) => CHARACTERS[c] ?? c).join('');
}
