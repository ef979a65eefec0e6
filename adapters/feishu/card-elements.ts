import { mdMapText, renderMarkdown, type Markdown } from '../../bot/chat/markdown.js';
import type { Card, CardButton, CardColor, Mention } from '../../bot/chat/model.js';
import { chartElement } from './chart.js';
import { escapeFeishuMarkdown, feishuMentionId } from './escape.js';
import { BUTTON_TEXT_MAX_CHARS, PLACEHOLDER_MAX_CHARS } from './requests.js';
import { texts } from './texts.js';

/**
 * The neutral card as Feishu card JSON 2.0, built only of documented properties and values (2.0
 * refuses what it does not know): spacing as `small`…`extra_large` or pixels, button types
 * `default` / `primary` / `danger`, the markdown text size `notation`, placeholders of 1 to 100
 * characters.
 */

export type Element = Record<string, unknown>;

/** How much of a card is shown: all of it, or less where Feishu's limits call for it. */
export interface Shown {
  /** What people wrote, as shown (clipped, or left out). */
  text: string | undefined;
  /** The longest a text part of the markdown may be (people's words in the bot's lines); Infinity for all. */
  markdownPart: number;
  markdown: boolean;
  note: boolean;
  chart: boolean;
  /** How many of the fields are shown. */
  fields: number;
}

export const everything = (card: Card): Shown => ({
  text: card.text,
  markdownPart: Infinity,
  markdown: true,
  note: true,
  chart: true,
  fields: card.fields.length,
});

const TEMPLATE: Record<CardColor, string> = {
  red: 'red',
  orange: 'orange',
  yellow: 'yellow',
  blue: 'blue',
  green: 'green',
  grey: 'grey',
};

/** At most `max` characters (code points); a longer text ends in `…`. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join('')}…` : text;
}

/** At most `max` characters of what people wrote, the rest replaced by a note that it was cut. */
export function clipped(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max).join('')}${texts.truncated}` : text;
}

const plain = (content: string) => ({ tag: 'plain_text', content });

/** The callback value a button carries: our action name and its value, read back by normalize. */
function button(b: CardButton, extra: Element = {}): Element {
  return {
    tag: 'button',
    text: plain(clip(b.label, BUTTON_TEXT_MAX_CHARS)),
    type: b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : 'default',
    behaviors: [{ type: 'callback', value: { action: b.action, value: b.value } }],
    ...extra,
  };
}

/** The card's mentions, the only `<at>` tags a card carries; an id that could not be one is left out. */
function mentionLine(mentions: Mention[]): Element | undefined {
  const ids = mentions.map((m) => feishuMentionId(m.platformUserId)).filter((id): id is string => !!id);
  return ids.length > 0 ? { tag: 'markdown', content: ids.map((id) => `<at id=${id}></at>`).join(' ') } : undefined;
}

/** Fields two to a row, label in bold above its value, the columns of equal width. */
function fieldRows(fields: Card['fields']): Element[] {
  const rows: Element[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    rows.push({
      tag: 'column_set',
      horizontal_spacing: 'medium',
      columns: fields.slice(i, i + 2).map((f) => ({
        tag: 'column',
        width: 'weighted',
        weight: 1,
        elements: [{ tag: 'markdown', content: `**${escapeFeishuMarkdown(f.label)}**\n${escapeFeishuMarkdown(f.value)}` }],
      })),
    });
  }
  return rows;
}

/** A placeholder of 1 to 100 characters, or none (Feishu then shows its own, 请输入). */
function placeholder(text: string | undefined): Element {
  return text ? { placeholder: plain(clip(text, PLACEHOLDER_MAX_CHARS)) } : {};
}

function formElement(form: NonNullable<Card['form']>): Element {
  const inputs: Element[] = form.inputs.map((input) =>
    input.kind === 'select'
      ? {
          tag: 'select_static',
          name: input.name,
          required: input.required ?? false,
          ...placeholder(input.placeholder ?? input.label),
          options: (input.options ?? []).map((o) => ({ text: plain(o.label), value: o.value })),
        }
      : {
          tag: 'input',
          name: input.name,
          required: input.required ?? false,
          label: plain(input.label),
          ...placeholder(input.placeholder),
          ...(input.kind === 'textarea' ? { input_type: 'multiline_text', rows: 3 } : {}),
        },
  );
  return {
    tag: 'form',
    name: 'form',
    elements: [
      ...inputs,
      {
        tag: 'column_set',
        columns: form.submits.map((b, i) => ({
          tag: 'column',
          width: 'auto',
          elements: [button(b, { name: `submit_${i}`, form_action_type: 'submit' })],
        })),
      },
    ],
  };
}

function markdownOf(markdown: Markdown | string, longest: number): string {
  const parts: Markdown = typeof markdown === 'string' ? { parts: [{ text: markdown }] } : markdown;
  const shown = longest === Infinity ? parts : mdMapText(parts, (text) => clipped(text, longest));
  return renderMarkdown(shown, escapeFeishuMarkdown);
}

/** The card as card JSON 2.0 (shared, so an update reaches everyone), showing what `shown` keeps. */
export function buildCard(card: Card, shown: Shown): Element {
  const elements: Element[] = [];
  const mentions = mentionLine(card.mentions ?? []);
  if (mentions) elements.push(mentions);
  elements.push(...fieldRows(card.fields.slice(0, shown.fields)));
  if (shown.text) elements.push({ tag: 'div', text: plain(shown.text) });
  const markdown = shown.markdown && card.markdown ? markdownOf(card.markdown, shown.markdownPart) : '';
  if (markdown) elements.push({ tag: 'markdown', content: markdown });
  if (shown.note && card.note) elements.push({ tag: 'markdown', content: escapeFeishuMarkdown(card.note), text_size: 'notation' });
  if (shown.chart && card.chart) elements.push(chartElement(card.chart));
  if (card.form) elements.push(formElement(card.form));
  if (card.buttons.length > 0) {
    elements.push({ tag: 'column_set', columns: card.buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [button(b)] })) });
  }
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: plain(card.title), template: TEMPLATE[card.color] },
    body: { elements },
  };
}

/**
 * Elements and components as Feishu counts them against its 200: every object with a `tag`
 * (a `plain_text` inside a button counts too), the chart's VChart spec aside.
 */
export function countElements(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countElements(v), 0);
  if (!value || typeof value !== 'object') return 0;
  const el = value as Element;
  let n = typeof el.tag === 'string' ? 1 : 0;
  for (const [key, child] of Object.entries(el)) if (key !== 'chart_spec') n += countElements(child);
  return n;
}
