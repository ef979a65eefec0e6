/**
 * What Feishu reads as markup, escaped so that text people wrote shows exactly as written.
 * Two syntaxes: a text message's `content.text`, and a card's `markdown` element.
 */

const entity = (c: string) => `&#${c.codePointAt(0)};`;

/**
 * A text message (`msg_type: text`) reads `<at user_id="…">` tags, and clients may show `<b>`,
 * `<i>`, `<u>`, `<s>` styles and `[text](url)` links in it: `<`, `>` and `&` become `&lt;`,
 * `&gt;` and `&amp;`, the brackets numeric entities, so none of them can start markup.
 */
export function escapeFeishuText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[[\]]/g, entity);
}

/**
 * Characters the card markdown element (JSON 2.0: CommonMark and Feishu's tags `<at>`, `<font>`,
 * `<a>`, `<link>`, `<text_tag>`, emoji `:OK:`, `$var` links) reads anywhere in a line. Feishu's
 * documented way to show them is an HTML entity (`&#60;` for `<`, `&#42;` for `*`, …).
 */
const INLINE = /[&<>*_~`[\]()#|\\$!:]/g;

/**
 * Text in a card's markdown (the markdown element, and lark_md): every character Feishu reads as
 * markup becomes its entity; what only starts a block at the beginning of a line (a list's `-`,
 * `+` or `1.`, a setext `=`, an indented code block) is escaped there, and line breaks stay.
 */
export function escapeFeishuMarkdown(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(INLINE, entity)
        .replace(/^[ \t]+/, (indent) => indent.replace(/ /g, '&nbsp;').replace(/\t/g, '&emsp;'))
        .replace(/^((?:&nbsp;|&emsp;)*)([-+=])/, (_, indent: string, c: string) => `${indent}${entity(c)}`)
        .replace(/^((?:&nbsp;|&emsp;)*\d+)\./, (_, lead: string) => `${lead}&#46;`),
    )
    .join('\n');
}

/**
 * A platform id put into an `<at>` tag: Feishu's ids are letters, digits, `_` and `-`, never
 * quotes, spaces or brackets; `all` (everyone) is never a person's id.
 */
export function feishuMentionId(id: string): string | undefined {
  return /^[\w.@-]{1,128}$/.test(id) && id.toLowerCase() !== 'all' ? id : undefined;
}
