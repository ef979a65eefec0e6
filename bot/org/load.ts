import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isNode, isScalar, visit, type Document } from 'yaml';
import { OrgSchema, type Org } from './schema.js';

/** A mistake in the organisation file, with the file, line and column of each problem. */
export class OrgFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { line: number; column: number; field: string; message: string }[],
  ) {
    super(
      `Invalid organisation file ${file}:\n` + problems.map((p) => `  ${file}:${p.line}:${p.column} ${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n'),
    );
    this.name = 'OrgFileError';
  }
}

export function loadOrgFile(file: string): Org {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new OrgFileError(file, [{ line: 0, column: 0, field: '', message: reason }]);
  }
  return parseOrg(text, file);
}

export function parseOrg(text: string, file = '<organisation>'): Org {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new OrgFileError(
      file,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { line: pos.line, column: pos.col, field: '', message: e.message.split('\n')[0] ?? e.code };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // The yaml library refuses to expand too many aliases (a resource exhaustion attack).
    const { line, col } = lines.linePos(firstAliasOffset(doc));
    throw new OrgFileError(file, [{ line, column: col, field: '', message: (err as Error).message }]);
  }
  const result = OrgSchema.safeParse(data ?? {});
  if (result.success) return result.data;
  throw new OrgFileError(
    file,
    result.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const { line, col } = lines.linePos(offsetOf(doc, path));
      return { line, column: col, field: formatPath(path), message: issue.message };
    }),
  );
}

/**
 * The source offset of the node at `path`; a missing field points at the key of its parent
 * (`hospital:` for a missing `hospital.name`).
 */
function offsetOf(doc: Document, path: (string | number)[]): number {
  const node = doc.getIn(path, true);
  if (isNode(node) && node.range) return node.range[0];
  for (let depth = path.length - 1; depth >= 1; depth--) {
    const parent = doc.getIn(path.slice(0, depth - 1), true);
    const key = path[depth - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (isNode(pair?.key) && pair.key.range) return pair.key.range[0];
    }
    const ancestor = doc.getIn(path.slice(0, depth), true);
    if (isNode(ancestor) && ancestor.range) return ancestor.range[0];
  }
  return 0;
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function formatPath(path: (string | number)[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}
