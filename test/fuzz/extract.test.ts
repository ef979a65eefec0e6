import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../bot/org/schema.js';
import { extractReport, looksLikeSmallTalk, segmenterOf, type ReportFields } from '../../bot/tickets/extract.js';
import { Segmenter } from '../../bot/tickets/segment.js';
import { sampleDirectory } from '../helpers/db.js';
import { anyText, graphemes, reportLike, toFullWidth } from './arbitraries.js';

const directory = sampleDirectory();
const nurse = directory.person('zhang-li')!;
const doctorWithoutPhone = { ...directory.person('liu-yang')!, phone: undefined };
const senders = fc.constantFrom(nurse, doctorWithoutPhone, directory.person('wang-wei')!);

const systemIds = new Set(directory.org.systems.map((s) => s.id));
const departmentIds = new Set(directory.org.departments.map((d) => d.id));

/** Every field has the type ReportFields declares, and only values the organisation file allows. */
function expectWellFormed(fields: ReportFields): void {
  expect(typeof fields.title).toBe('string');
  expect([...fields.title].length).toBeLessThanOrEqual(41);
  expect(PRIORITIES).toContain(fields.priority);
  if (fields.departmentId !== undefined) expect(departmentIds.has(fields.departmentId)).toBe(true);
  if (fields.system !== undefined) expect(systemIds.has(fields.system.id)).toBe(true);
  if (fields.assetNumber !== undefined) expect(fields.assetNumber).toMatch(/^[A-Z]{2,5}-\d{3,8}$/);
  if (fields.phone !== undefined) expect(fields.phone).toMatch(/^\d[\d-]*$/);
  if (fields.location !== undefined) {
    expect(typeof fields.location.text).toBe('string');
    for (const part of ['building', 'floor', 'room'] as const) {
      if (fields.location[part] !== undefined) expect(typeof fields.location[part]).toBe('string');
    }
  }
  expect(Array.isArray(fields.missing)).toBe(true);
  expect(new Set(fields.missing).size).toBe(fields.missing.length);
  for (const m of fields.missing) expect(['asset', 'phone', 'system']).toContain(m);
  // What is missing is exactly what the fields lack.
  expect(fields.missing.includes('system')).toBe(!fields.system);
  if (fields.missing.includes('asset')) expect(fields.system?.needsAsset && !fields.assetNumber).toBe(true);
}

describe('report extraction (property-based)', () => {
  it('never throws on arbitrary code points, and every field is well formed', () => {
    fc.assert(
      fc.property(anyText(300), senders, (text, sender) => {
        expectWellFormed(extractReport(text, sender, directory));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on printable text from any script', () => {
    fc.assert(
      fc.property(graphemes(300), senders, (text, sender) => {
        expectWellFormed(extractReport(text, sender, directory));
      }),
      { numRuns: 200 },
    );
  });

  it('reads report-like Chinese text with keywords, places and numbers into well-formed fields', () => {
    fc.assert(
      fc.property(reportLike(directory), senders, (text, sender) => {
        expectWellFormed(extractReport(text, sender, directory));
      }),
      { numRuns: 300 },
    );
  });

  it('reads full-width digits, letters and punctuation exactly as their half-width forms', () => {
    fc.assert(
      fc.property(reportLike(directory), (text) => {
        const half = text.normalize('NFKC');
        expect(extractReport(toFullWidth(half), nurse, directory)).toEqual(extractReport(half, nurse, directory));
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(reportLike(directory), senders, (text, sender) => {
        expect(extractReport(text, sender, directory)).toEqual(extractReport(text, sender, directory));
      }),
      { numRuns: 100 },
    );
  });

  it('copes with very long reports (repeated keywords, digits, punctuation) and keeps the title short', () => {
    const long = fc
      .tuple(reportLike(directory, 12), fc.integer({ min: 200, max: 1500 }))
      .map(([piece, times]) => (piece || '打印机卡纸，').repeat(times).slice(0, 60_000));
    fc.assert(
      fc.property(long, (text) => {
        expectWellFormed(extractReport(text, nurse, directory));
      }),
      { numRuns: 15 },
    );
    for (const text of [
      '1'.repeat(50_000),
      '１'.repeat(50_000),
      '资产号'.repeat(10_000),
      '3楼'.repeat(20_000),
      '电话'.repeat(20_000),
      '，'.repeat(50_000),
      ';'.repeat(50_000),
    ]) {
      expectWellFormed(extractReport(text, nurse, directory));
    }
  });

  it('tells small talk from reports without throwing, whatever the text', () => {
    fc.assert(
      fc.property(fc.oneof(anyText(100), reportLike(directory, 6)), (text) => {
        expect(typeof looksLikeSmallTalk(text)).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('segmentation (property-based)', () => {
  const segmenter = segmenterOf(directory);

  it('gives non-empty, lower-case words without spaces, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(anyText(200), reportLike(directory)), (text) => {
        const words = segmenter.words(text);
        for (const w of words) {
          expect(typeof w).toBe('string');
          expect(w.length).toBeGreaterThan(0);
          expect(w).toBe(w.trim());
          expect(w).toBe(w.toLowerCase());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds every word it produced, and every run of consecutive words', () => {
    fc.assert(
      fc.property(reportLike(directory), fc.nat(), fc.integer({ min: 1, max: 3 }), (text, start, length) => {
        const words = segmenter.words(text.normalize('NFKC'));
        if (words.length === 0) return;
        const i = start % words.length;
        expect(Segmenter.has(words, words[i]!)).toBe(true);
        expect(Segmenter.has(words, words.slice(i, i + length).join(''))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('finds no keyword in a text without words', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(' ', '，', '。', '!', '？', '\n', '…'), maxLength: 50 }),
        fc.constantFrom(...directory.org.systems.flatMap((s) => s.keywords)),
        (text, keyword) => {
          expect(Segmenter.has(segmenter.words(text), keyword)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});
