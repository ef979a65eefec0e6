/**
 * The simulator page's markdown is `**bold**` and `` `code` `` (everything else is shown as written,
 * HTML-escaped by the page); text people wrote has those characters, and the backslash, escaped
 * with a backslash, which the page reads back as the character itself.
 */
export function escapeSimulatorMarkdown(text: string): string {
  return text.replace(/[\\*`]/g, '\\$&');
}
