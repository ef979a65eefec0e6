import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';

const withKeywords = new Map<string, Segmenter>();

/** jieba's own dictionary (349,045 words), read when a segmenter is first made, and let go. */
const DICTIONARY = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');
/** Words at least this frequent in jieba's dictionary are kept whatever they are (36,145 of them). */
const COMMON = 100;
/** A word no text holds (a private-use character), carrying the frequency of the words left out. */
const REST = '\uE000';
const NEWLINE = 0x0a;
const SPACE = 0x20;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LINE_END = Buffer.from('\n');

/**
 * Chinese word segmentation (jieba) with the organisation's keywords in the dictionary, so a
 * keyword matches a word of the report, not any run of characters (病历 is not 病历夹, his is not
 * this). One segmenter per keyword set, built once.
 *
 * Its dictionary is the part of jieba's that can change how a text around a keyword, or around a
 * word looked for with `has` (the SOP articles' keywords), is cut: every word that overlaps one
 * (holds it, lies in it, or begins where it ends or ends where it begins), and the common words;
 * the rest (about three quarters of the words, most of jieba's memory) is left out, their total
 * frequency kept on one placeholder so every kept word weighs what it weighs in the whole
 * dictionary. Texts are cut as with the whole dictionary wherever it matters for those words.
 */
export class Segmenter {
  private readonly jieba: Jieba;
  /** The words the dictionary was chosen for, and the frequency still carried by the placeholder. */
  private readonly known: Set<string>;
  private rest = 0;

  constructor(keywords: readonly string[], lookedFor: readonly string[] = []) {
    // As written (jieba tells HIS from his), without spaces.
    const words = [...new Set(keywords.map((k) => k.trim().replace(/\s+/g, '')).filter(Boolean))].sort();
    const key = `${words.join('\n')}\u0000${normalized(lookedFor).join('\n')}`;
    const made = withKeywords.get(key);
    if (made) {
      this.jieba = made.jieba;
      this.known = made.known;
      return;
    }
    this.known = new Set();
    this.jieba = new Jieba();
    this.load([...words, ...lookedFor]);
    if (words.length > 0) this.jieba.loadDict(Buffer.from(words.map((w) => `${w} 200000`).join('\n')));
    withKeywords.set(key, this);
  }

  /**
   * Makes sure the dictionary holds what decides how texts are cut around `words` (keywords of an
   * SOP article added since): the jieba words that overlap them are added, from the placeholder's
   * share. Cheap when they are known already.
   */
  lookFor(words: readonly string[]): void {
    const fresh = normalized(words).filter((w) => !this.known.has(w));
    if (fresh.length > 0) this.load(fresh);
  }

  /** Adds the words of jieba's dictionary that matter for `words` (all the common ones too, the first time). */
  private load(words: readonly string[]): void {
    const first = this.rest === 0;
    // Words that overlap one known before are in already.
    const before = overlapping([...this.known]);
    const fresh = normalized(words).filter((w) => !this.known.has(w));
    for (const w of fresh) this.known.add(w);
    const overlaps = overlapping(fresh);
    const near = (word: string) => overlaps(word) && !before(word);
    // Read as bytes, line by line (word, frequency, tag): only each word becomes a string, garbage at
    // once, and the kept lines are copied out as bytes.
    const dictionary = readFileSync(DICTIONARY);
    const keptLines: Buffer[] = [];
    let total = 0;
    let kept = 0;
    for (let at = 0; at < dictionary.length;) {
      const newline = dictionary.indexOf(NEWLINE, at);
      const end = newline === -1 ? dictionary.length : newline;
      const space = dictionary.indexOf(SPACE, at);
      if (space > at && space < end) {
        let f = 0;
        for (let i = space + 1; i < end && dictionary[i]! >= DIGIT_0 && dictionary[i]! <= DIGIT_9; i++) f = f * 10 + dictionary[i]! - DIGIT_0;
        if (f > 0) {
          total += f;
          const common = f >= COMMON;
          // Common words come the first time; after that only the words overlapping the new ones.
          if ((first && common) || (!common && near(dictionary.toString('utf8', at, space).toLowerCase()))) {
            keptLines.push(dictionary.subarray(at, end), LINE_END);
            kept += f;
          }
        }
      }
      at = end + 1;
    }
    this.rest = first ? total - kept : Math.max(1, this.rest - kept);
    keptLines.push(Buffer.from(`${REST} ${this.rest}`));
    this.jieba.loadDict(Buffer.concat(keptLines));
  }

  /** The words of a text, lower-cased, without spaces and punctuation. */
  words(text: string): string[] {
    return this.jieba
      .cut(text, true)
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w.length > 0 && !/^[\p{P}\p{S}]+$/u.test(w));
  }

  /** Whether `keyword` is one of the words, or a run of consecutive words. */
  static has(words: readonly string[], keyword: string): boolean {
    const k = keyword.toLowerCase().replace(/\s+/g, '');
    for (let i = 0; i < words.length; i++) {
      let joined = '';
      for (let j = i; j < words.length && joined.length < k.length; j++) {
        joined += words[j];
        if (joined === k) return true;
      }
    }
    return false;
  }
}

function normalized(words: readonly string[]): string[] {
  return [...new Set(words.map((k) => k.toLowerCase().replace(/\s+/g, '')).filter(Boolean))].sort();
}

/**
 * A test of whether a dictionary word overlaps one of `words`: holds one, lies inside one, or a
 * proper end of it is a proper beginning of one (or the other way round), so that cutting a text
 * there could move where that word starts or ends.
 */
function overlapping(words: readonly string[]): (word: string) => boolean {
  const whole = new Set(words);
  const inside = new Set<string>();
  const starts = new Set<string>();
  const ends = new Set<string>();
  for (const w of words) {
    for (let i = 0; i < w.length; i++) for (let j = i + 1; j <= w.length; j++) inside.add(w.slice(i, j));
    for (let n = 1; n < w.length; n++) {
      starts.add(w.slice(0, n));
      ends.add(w.slice(w.length - n));
    }
  }
  return (word) => {
    if (inside.has(word)) return true;
    for (let i = 0; i < word.length; i++) {
      for (let j = i + 1; j <= word.length; j++) {
        const part = word.slice(i, j);
        if (whole.has(part)) return true;
        if (j === word.length && i > 0 && starts.has(part)) return true;
        if (i === 0 && j < word.length && ends.has(part)) return true;
      }
    }
    return false;
  };
}
