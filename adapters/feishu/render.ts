import type { Card, OutgoingMessage } from '../../bot/chat/model.js';
import { buildCard, clipped, countElements, everything, type Element, type Shown } from './card-elements.js';
import { escapeFeishuText, feishuMentionId } from './escape.js';
import { bodyBytes, CARD_BODY_MAX_BYTES, CARD_MAX_ELEMENTS, contentOf, TEXT_BODY_MAX_BYTES } from './requests.js';

export { countElements } from './card-elements.js';
export { CARD_MAX_ELEMENTS } from './requests.js';

/** Whether a rendered message, put into its request, is one Feishu takes. */
export type Fits = (content: object) => boolean;

/** A card alone in the smallest request that carries it (an update's `{content}`), within 30 KB and 200 elements. */
export const cardFits: Fits = (card) => bodyBytes({ content: contentOf(card) }) <= CARD_BODY_MAX_BYTES;
export const textFits: Fits = (text) => bodyBytes({ content: contentOf(text) }) <= TEXT_BODY_MAX_BYTES;

/** What people wrote is kept to this many characters before anything else gives way; then it is clipped further. */
const TEXT_KEPT = 500;
/** Likewise the words of people in the bot's markdown lines (a ticket's title in a digest, say). */
const PART_KEPT = 60;

/** The largest `n` in [lo, hi] for which `ok(n)` holds (it holds for every smaller one), or undefined. */
function largest(lo: number, hi: number, ok: (n: number) => boolean): number | undefined {
  if (hi < lo || !ok(lo)) return undefined;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The neutral card as Feishu card JSON 2.0, cut until its request fits (`fits`: the request body
 * within Feishu's 30 KB, see requests.ts) and it has at most 200 elements. What gives way, in turn:
 * what people wrote, clipped to 500 characters with a note that it was cut, and their words in the
 * bot's lines to 60; the footnote; the chart; the fields from the last; then what people wrote and
 * the markdown further, down to nothing. The title, the buttons and the form always stay. A card
 * that fits nowhere still comes back (the client refuses to send it rather than have Feishu do so).
 */
export function renderCard(card: Card, fits: Fits = cardFits): Element {
  const ok = (shown: Shown) => {
    const rendered = buildCard(card, shown);
    return countElements(rendered) <= CARD_MAX_ELEMENTS && fits(rendered);
  };
  let shown = everything(card);
  if (ok(shown)) return buildCard(card, shown);

  const textChars = card.text ? [...card.text].length : 0;
  const withText = (n: number): Shown => ({ ...shown, text: n > 0 && card.text ? clipped(card.text, n) : undefined });
  const withPart = (n: number): Shown => (n > 0 ? { ...shown, markdownPart: n } : { ...shown, markdown: false });
  const longestPart = Math.max(0, ...textPartLengths(card));
  const steps: (() => Shown | undefined)[] = [
    () => clipTo(withText, Math.min(TEXT_KEPT, textChars), textChars),
    () => clipTo(withPart, Math.min(PART_KEPT, longestPart), longestPart),
    () => ({ ...shown, note: false }),
    () => ({ ...shown, chart: false }),
    () => clipTo((n) => ({ ...shown, fields: n }), 0, card.fields.length),
    () => clipTo(withText, 0, Math.min(TEXT_KEPT, textChars)),
    () => clipTo(withPart, 0, Math.min(PART_KEPT, longestPart)),
  ];
  /** The least cut within [lo, hi] that fits; else the most of them (hi → lo), kept for the steps after. */
  function clipTo(view: (n: number) => Shown, lo: number, hi: number): Shown | undefined {
    const n = largest(lo, hi, (k) => ok(view(k)));
    if (n !== undefined) return view(n);
    shown = view(lo);
    return undefined;
  }
  for (const step of steps) {
    const next = step();
    if (next && ok(next)) return buildCard(card, next);
    if (next) shown = next;
  }
  return buildCard(card, shown);
}

function textPartLengths(card: Card): number[] {
  if (!card.markdown) return [];
  const parts = typeof card.markdown === 'string' ? [{ text: card.markdown }] : card.markdown.parts;
  return parts.map((p) => ('text' in p ? [...p.text].length : 0));
}

/**
 * A text message: its `mentions` as `<at user_id="…">name</at>` in front, the only tags it carries;
 * the text shown as written, clipped (with a note that it was cut) if its request would not fit.
 */
export function renderText(message: Extract<OutgoingMessage, { type: 'text' }>, fits: Fits = textFits): { text: string } {
  const mentions = (message.mentions ?? [])
    .flatMap((m) => {
      const id = feishuMentionId(m.platformUserId);
      return id ? [`<at user_id="${id}">${escapeFeishuText(m.name)}</at> `] : [];
    })
    .join('');
  const content = (text: string) => ({ text: `${mentions}${escapeFeishuText(text)}` });
  const whole = content(message.text);
  if (fits(whole)) return whole;
  const chars = [...message.text].length;
  const n = largest(0, chars, (k) => fits(content(clipped(message.text, k))));
  return content(clipped(message.text, n ?? 0));
}
