/**
 * Card markdown that keeps apart what the bot wrote and what people wrote. The bot's own markup
 * (`**科室**：`, `` `认领 IT-…` ``, line breaks) is kept as markup; every value put into it (a
 * ticket's title, a comment, a department's name) is text, which each adapter escapes for its
 * platform's syntax at render time, so nobody can bold, link or @-mention through what they type.
 *
 * Build it with `markup`, `mdFill` (or `tmd` for a catalogue key), `mdText` and `mdJoin`; there is no
 * way to turn a string into markup other than writing it as a template's literal part.
 */

/** Markup the bot wrote, or text someone wrote (shown exactly as written on every platform). */
export type MarkdownPart = { md: string } | { text: string };

/** Card markdown as parts; plain data, so it survives the outbox's JSON. */
export interface Markdown {
  parts: MarkdownPart[];
}

/** What may be put into markdown: strings and numbers are text, markdown stays as it was built. */
export type MarkdownValue = string | number | Markdown;

export function isMarkdown(value: unknown): value is Markdown {
  return typeof value === 'object' && value !== null && Array.isArray((value as Markdown).parts);
}

/** Parts with empty ones dropped and neighbours of one kind merged. */
function normalized(parts: MarkdownPart[]): Markdown {
  const out: MarkdownPart[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if ('md' in part) {
      if (!part.md) continue;
      if (last && 'md' in last) out[out.length - 1] = { md: last.md + part.md };
      else out.push({ md: part.md });
    } else {
      if (!part.text) continue;
      if (last && 'text' in last) out[out.length - 1] = { text: last.text + part.text };
      else out.push({ text: part.text });
    }
  }
  return { parts: out };
}

const partsOf = (value: MarkdownValue): MarkdownPart[] => (isMarkdown(value) ? value.parts : [{ text: String(value) }]);

/** `` markup`**工单**：${title}` ``: the template's literal parts are markup, each value is text (or markdown, kept as built). */
export function markup(strings: TemplateStringsArray, ...values: MarkdownValue[]): Markdown {
  const parts: MarkdownPart[] = [];
  strings.forEach((literal, i) => {
    parts.push({ md: literal });
    if (i < values.length) parts.push(...partsOf(values[i]!));
  });
  return normalized(parts);
}

/** Text someone wrote (or a sentence without markup), as markdown that shows it literally. */
export function mdText(text: string): Markdown {
  return normalized([{ text }]);
}

/** Pieces joined by a markup separator (a line break unless told); strings are text. */
export function mdJoin(pieces: MarkdownValue[], separator = '\n'): Markdown {
  return normalized(pieces.flatMap((piece, i) => [...(i > 0 ? [{ md: separator }] : []), ...partsOf(piece)]));
}

/** A template whose own words are markup, with `{name}` placeholders filled by text (or markdown). */
export function mdFill(template: string, params: Record<string, MarkdownValue> = {}): Markdown {
  const parts: MarkdownPart[] = [];
  let at = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    const name = match[1]!;
    if (!Object.hasOwn(params, name)) continue;
    parts.push({ md: template.slice(at, match.index) }, ...partsOf(params[name]!));
    at = match.index + match[0].length;
  }
  parts.push({ md: template.slice(at) });
  return normalized(parts);
}

/** The same markdown with `change` applied to its text only (masking personal data, say). */
export function mdMapText(markdown: Markdown, change: (text: string) => string): Markdown {
  return normalized(markdown.parts.map((part) => ('text' in part ? { text: change(part.text) } : part)));
}

/**
 * Markdown as one platform's source: markup as written (or through `mapMarkup`), text through the
 * platform's `escape`. A bare string (a message queued before markdown had parts) is taken as text.
 */
export function renderMarkdown(markdown: Markdown | string, escape: (text: string) => string, mapMarkup: (md: string) => string = (s) => s): string {
  const parts = typeof markdown === 'string' ? [{ text: markdown }] : markdown.parts;
  return parts.map((part) => ('text' in part ? escape(part.text) : mapMarkup(part.md))).join('');
}

/** Markdown read as plain text, for channels without markup: the bot's `**` and backticks dropped, text as written. */
export function plainMarkdown(markdown: Markdown | string): string {
  return renderMarkdown(
    markdown,
    (text) => text,
    (written) => written.replace(/\*\*|`/g, ''),
  );
}
