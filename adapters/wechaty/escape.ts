/**
 * Wechaty chats are plain text: nothing in a message is read as markup. The one thing text could
 * forge is a mention, which WeChat writes as `@name` ended by a four-per-em space (U+2005); that
 * space in text people wrote becomes an ordinary one, so the only mentions are the contacts the
 * bot passes to `say`.
 */
export function escapeWechatyText(text: string): string {
  return text.replace(/\u2005/g, ' ');
}
