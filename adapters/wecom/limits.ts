/**
 * What one WeCom message may carry, as WeCom documents it, and the means to stay within it:
 * markdown split into several messages at line boundaries, template card texts clipped.
 */

/** Bytes (UTF-8) of markdown one message takes, by channel. */
export const MARKDOWN_BYTES = {
  /** 消息推送 (group webhooks): more is refused with 40058. */
  webhook: 4096,
  /** The application's message/send and appchat/send. */
  app: 2048,
  /** The smart robot: its replies (stream content), long connection and response_url. */
  robot: 20480,
} as const;

/** The longest texts (characters) of a `button_interaction` template card, as WeCom recommends them. */
export interface CardLimits {
  source: number;
  title: number;
  desc: number;
  subTitle: number;
  keyname: number;
  value: number;
  button: number;
}

/** The self-built application's card (message/send, update_template_card). */
export const APP_CARD: CardLimits = { source: 13, title: 36, desc: 44, subTitle: 112, keyname: 5, value: 30, button: 10 };
/** The smart robot's card (its replies, the long connection, response_url): shorter titles and values. */
export const ROBOT_CARD: CardLimits = { source: 13, title: 26, desc: 30, subTitle: 112, keyname: 5, value: 26, button: 10 };
/** At most six fields and six buttons. */
export const CARD_LIST_MAX = 6;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** At most `max` characters (code points), the last one an ellipsis when text was cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** A line longer than `maxBytes` on its own, cut at characters. */
function cutLine(line: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of line) {
    if (utf8Bytes(piece) + utf8Bytes(ch) > maxBytes) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  return [...pieces, piece];
}

/**
 * Markdown of more than `maxBytes` as several messages, each within it, cut between lines (a line
 * longer than a whole message between characters): every line arrives, in order.
 */
export function splitMarkdown(content: string, maxBytes: number): string[] {
  if (utf8Bytes(content) <= maxBytes) return [content];
  const parts: string[] = [];
  let part = '';
  for (const line of content.split('\n').flatMap((l) => (utf8Bytes(l) > maxBytes ? cutLine(l, maxBytes) : [l]))) {
    const joined = part ? `${part}\n${line}` : line;
    if (part && utf8Bytes(joined) > maxBytes) {
      parts.push(part);
      part = line;
    } else part = joined;
  }
  if (part) parts.push(part);
  return parts.filter((p) => p.trim() !== '');
}
