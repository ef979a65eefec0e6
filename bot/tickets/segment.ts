import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

const withKeywords = new Map<string, Jieba>();

/**
 * Chinese word segmentation (jieba) with the organisation's keywords in the dictionary, so a
 * keyword matches a word of the report, not any run of characters (病历 is not 病历夹, his is not
 * this). One segmenter per keyword set, built once.
 */
export class Segmenter {
  private readonly jieba: Jieba;

  constructor(keywords: readonly string[]) {
    const words = [...new Set(keywords.map((k) => k.trim()).filter(Boolean))].sort();
    const key = words.join('\n');
    let jieba = withKeywords.get(key);
    if (!jieba) {
      jieba = Jieba.withDict(dict);
      if (words.length > 0) jieba.loadDict(Buffer.from(words.map((w) => `${w.replace(/\s+/g, '')} 200000`).join('\n')));
      withKeywords.set(key, jieba);
    }
    this.jieba = jieba;
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
