import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { OrgFileError, parseOrg } from '../../bot/org/load.js';
import { sampleOrgFile } from '../helpers/db.js';
import { mutateAt, pathsOf, type Json } from './arbitraries.js';

const sample = readFileSync(sampleOrgFile, 'utf8');
const sampleLines = sample.split('\n');
const FILE = 'config/organisation.yaml';

/**
 * The loader's contract: a file either loads, or is refused with OrgFileError whose every problem
 * points at a real line and column of the file (`file:line:col field: message`). Nothing else may
 * escape (no TypeError from a field of the wrong type, no YAML library error).
 */
function expectLoadsOrNamesTheLine(text: string): void {
  let error: unknown;
  try {
    parseOrg(text, FILE);
    return;
  } catch (err) {
    error = err;
  }
  if (!(error instanceof OrgFileError)) throw new Error(`not an OrgFileError: ${String((error as Error)?.stack ?? error)}\n--- file ---\n${text}`);
  const lines = text.split('\n').length;
  expect(error.problems.length).toBeGreaterThan(0);
  for (const p of error.problems) {
    expect(p.line, error.message).toBeGreaterThanOrEqual(1);
    expect(p.line, error.message).toBeLessThanOrEqual(lines + 1);
    expect(p.column, error.message).toBeGreaterThanOrEqual(1);
    expect(typeof p.field).toBe('string');
    expect(p.message.length).toBeGreaterThan(0);
    expect(error.message).toContain(`${FILE}:${p.line}:${p.column} `);
  }
}

const garbage = fc.oneof(
  fc.constantFrom(
    '',
    '~',
    'null',
    '[]',
    '{}',
    '[[[',
    '{a: ',
    '"unterminated',
    "'x",
    '123',
    '-1',
    '1e999',
    '0x1F',
    'true',
    'no',
    '.nan',
    '.inf',
    '2026-02-30',
    '25:99',
    '*undefined_alias',
    '&anchor',
    '&a [1, 2]',
    '*a',
    '!!binary aGVsbG8=',
    '!!set {a, b}',
    '!!timestamp 2026-11-23',
    '!!js/function "x"',
    '!custom tag',
    '<<: *a',
    '? [a, b]',
    '|',
    '>-',
    '- - -',
    '---',
    '...',
    '%YAML 1.2',
    '@',
    '`',
    '\t',
    '#',
    '{ id: x, name: }',
    '[a, b, c',
    'a: b: c',
    '- { id: Bad ID, name: 名 }',
    'keywords: 打印机',
    'roles: [nurse]',
    'department: icu',
    '"\\u0000"',
    '"\\ud800"',
    '💥',
    '中文：值',
    '__proto__: {}',
    'constructor: 1',
    'toString: x',
  ),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', maxLength: 20 }),
);

type Mutation = (lines: string[]) => string[];

const lineIndex = fc.nat({ max: sampleLines.length - 1 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Delete a line (a key, an item, a whole section's header).
  lineIndex.map((i) => (lines: string[]) => lines.filter((_, j) => j !== i % lines.length)),
  // Duplicate a line (duplicate keys, duplicate ids).
  lineIndex.map((i) => (lines: string[]) => lines.flatMap((l, j) => (j === i % lines.length ? [l, l] : [l]))),
  // Break the indentation.
  fc.tuple(lineIndex, fc.integer({ min: -4, max: 6 })).map(
    ([i, by]) =>
      (lines: string[]) =>
        lines.map((l, j) => (j !== i % lines.length ? l : by >= 0 ? ' '.repeat(by) + l : l.slice(Math.min(-by, l.length - l.trimStart().length)))),
  ),
  // Replace a value with garbage or another type.
  fc.tuple(lineIndex, garbage).map(
    ([i, g]) =>
      (lines: string[]) =>
        lines.map((l, j) => (j === i % lines.length && l.includes(':') ? `${l.slice(0, l.indexOf(':') + 1)} ${g}` : l)),
  ),
  // Replace a value inside a flow mapping ({ id: x, name: y }).
  fc.tuple(lineIndex, garbage, fc.nat()).map(
    ([i, g, k]) =>
      (lines: string[]) =>
        lines.map((l, j) => {
          if (j !== i % lines.length) return l;
          const values = [...l.matchAll(/: ([^,{}[\]]+)/g)];
          const m = values[k % Math.max(values.length, 1)];
          return m ? l.slice(0, m.index) + `: ${g}` + l.slice(m.index! + m[0].length) : l;
        }),
  ),
  // Rename a key.
  fc.tuple(lineIndex, fc.constantFrom('idd', 'Name', 'roles ', '', 'people', 'hospital', '0', '"id"')).map(
    ([i, key]) =>
      (lines: string[]) =>
        lines.map((l, j) => (j === i % lines.length ? l.replace(/^(\s*-?\s*)[\w"]+:/, `$1${key}:`) : l)),
  ),
  // Insert a line of garbage.
  fc
    .tuple(lineIndex, garbage, fc.nat({ max: 6 }))
    .map(([i, g, indent]) => (lines: string[]) => [...lines.slice(0, i), ' '.repeat(indent) + g, ...lines.slice(i)]),
  // Swap two lines.
  fc.tuple(lineIndex, lineIndex).map(([a, b]) => (lines: string[]) => {
    const out = [...lines];
    [out[a % out.length], out[b % out.length]] = [out[b % out.length]!, out[a % out.length]!];
    return out;
  }),
  // Cut the file short.
  lineIndex.map((i) => (lines: string[]) => lines.slice(0, i)),
  // Tabs for indentation.
  lineIndex.map((i) => (lines: string[]) => lines.map((l, j) => (j === i % lines.length ? l.replace(/^ +/, '\t') : l))),
);

/** A value of another type, to put where the schema expects something else. */
const otherValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, '', 'x', '中文', [], {}, [null], { id: 1 }, '2026-13-45', '99:99', 'P9'),
  fc.jsonValue({ maxDepth: 2 }),
);

const samplePaths = pathsOf(parseYaml(sample) as Json).filter((p) => p.length > 0);

describe('the organisation file loader (property-based)', () => {
  it('loads the sample file', () => {
    expect(parseOrg(sample, FILE).people.length).toBeGreaterThan(10);
  });

  it('loads a mutated sample file, or refuses it with OrgFileError naming file:line:column', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 5 }), (mutations) => {
        const text = mutations.reduce((lines, m) => m(lines), sampleLines).join('\n');
        expectLoadsOrNamesTheLine(text);
      }),
      // Each run parses and validates the whole file (~15 ms).
      { numRuns: 80 },
    );
  });

  it('refuses fields deleted or changed to another type with OrgFileError, never a TypeError', () => {
    const doc = parseYaml(sample) as Json;
    const change = fc.oneof(
      fc
        .constantFrom(...samplePaths)
        .map((path) => mutateAt(doc, path, (parent, key) => void (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key]))),
      fc.tuple(fc.constantFrom(...samplePaths), otherValue).map(([path, v]) => mutateAt(doc, path, (parent, key) => void (parent[key] = v))),
      fc.tuple(fc.constantFrom(...samplePaths.filter((p) => p.length <= 3)), fc.string({ maxLength: 8 }), otherValue).map(([path, k, v]) =>
        mutateAt(doc, path, (parent, key) => {
          if (parent[key] && typeof parent[key] === 'object' && !Array.isArray(parent[key])) parent[key][k] = v;
        }),
      ),
    );
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 1 }), ([changed]) => {
        expectLoadsOrNamesTheLine(stringify(changed));
      }),
      { numRuns: 80 },
    );
  });

  it('refuses arbitrary text and arbitrary YAML documents with OrgFileError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.array(garbage, { maxLength: 20 }).map((parts) => parts.join('\n')),
          fc.anything({ maxDepth: 3 }).map((v) => {
            try {
              return stringify(v) ?? '';
            } catch {
              return String(v);
            }
          }),
        ),
        (text) => expectLoadsOrNamesTheLine(text),
      ),
      { numRuns: 200 },
    );
  });

  it('refuses alias bombs and deep nesting with OrgFileError', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(',')}]`,
      ),
    ].join('\n');
    expectLoadsOrNamesTheLine(bomb);
    expectLoadsOrNamesTheLine(`${sample}\nextra: ${bomb.replace(/\n/g, '\n  ')}`);
    expectLoadsOrNamesTheLine('['.repeat(5000) + ']'.repeat(5000));
    expectLoadsOrNamesTheLine(`people: ${'- '.repeat(2000)}x`);
  });
});
