/**
 * WeCom markdown (the `markdown` message of applications and robots) reads `<@userid>` mentions,
 * `<font color>`, `[text](url)` links, `**bold**`, `` `code` ``, `# headings` and `> quotes`, and
 * documents no escape for any of them. Text people wrote is shown with those characters as their
 * full-width forms, which read the same in Chinese text.
 */
const FULL_WIDTH: Record<string, string> = {
  '<': '＜',
  '>': '＞',
  '&': '＆',
  '[': '［',
  ']': '］',
  '*': '＊',
  '`': '｀',
  '#': '＃',
};

/** Text in WeCom markdown, shown as written and never read as markup. */
export function escapeWecomMarkdown(text: string): string {
  return text.replace(/[<>&[\]*`#]/g, (c) => FULL_WIDTH[c]!);
}

/**
 * A userid put into a `<@userid>` mention: WeCom's ids are letters, digits, `_`, `-`, `.` and `@`,
 * never brackets; `@all` (everyone) is never a person's id.
 */
export function wecomMentionId(id: string): string | undefined {
  return /^[\w.-][\w.@-]{0,63}$/.test(id) ? id : undefined;
}
