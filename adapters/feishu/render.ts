import { renderMarkdown } from '../../bot/chat/markdown.js';
import type { Card, CardButton, CardColor, Mention, OutgoingMessage } from '../../bot/chat/model.js';
import { escapeFeishuMarkdown, escapeFeishuText, feishuMentionId } from './escape.js';
import { texts } from './texts.js';

/** Feishu's card limits: 30 KB of JSON, 200 elements. */
export const CARD_MAX_BYTES = 30 * 1024;
export const CARD_MAX_ELEMENTS = 200;

const TEMPLATE: Record<CardColor, string> = {
  red: 'red',
  orange: 'orange',
  yellow: 'yellow',
  blue: 'blue',
  green: 'green',
  grey: 'grey',
};

type Element = Record<string, unknown>;

/** The callback value a button carries: our action name and its value, read back by normalize. */
function callbackValue(button: CardButton): { action: string; value: Record<string, string | number> } {
  return { action: button.action, value: button.value };
}

function button(b: CardButton, extra: Element = {}): Element {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: b.label },
    type: b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : 'default',
    behaviors: [{ type: 'callback', value: callbackValue(b) }],
    ...extra,
  };
}

/** The card's mentions, the only `<at>` tags a card carries; an id that could not be one is left out. */
function mentionLine(mentions: Mention[]): Element | undefined {
  const ids = mentions.map((m) => feishuMentionId(m.platformUserId)).filter((id): id is string => !!id);
  return ids.length > 0 ? { tag: 'markdown', content: ids.map((id) => `<at id=${id}></at>`).join(' ') } : undefined;
}

/** Fields two to a row, label in bold above its value. */
function fieldRows(card: Card): Element[] {
  const rows: Element[] = [];
  for (let i = 0; i < card.fields.length; i += 2) {
    rows.push({
      tag: 'column_set',
      horizontal_spacing: 'default',
      columns: card.fields.slice(i, i + 2).map((f) => ({
        tag: 'column',
        width: 'weighted',
        weight: 1,
        elements: [{ tag: 'markdown', content: `**${escapeFeishuMarkdown(f.label)}**\n${escapeFeishuMarkdown(f.value)}` }],
      })),
    });
  }
  return rows;
}

function formElement(card: Card): Element | undefined {
  if (!card.form) return undefined;
  const inputs: Element[] = card.form.inputs.map((input) =>
    input.kind === 'select'
      ? {
          tag: 'select_static',
          name: input.name,
          required: input.required ?? false,
          placeholder: { tag: 'plain_text', content: input.placeholder ?? input.label },
          options: (input.options ?? []).map((o) => ({ text: { tag: 'plain_text', content: o.label }, value: o.value })),
        }
      : {
          tag: 'input',
          name: input.name,
          required: input.required ?? false,
          label: { tag: 'plain_text', content: input.label },
          placeholder: { tag: 'plain_text', content: input.placeholder ?? '' },
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
        columns: card.form.submits.map((b, i) => ({
          tag: 'column',
          width: 'auto',
          elements: [button(b, { name: `submit_${i}`, form_action_type: 'submit' })],
        })),
      },
    ],
  };
}

/** Feishu's native chart element (a VChart spec): bars and lines over the same categories. */
function chartElement(chart: NonNullable<Card['chart']>): Element {
  return {
    tag: 'chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'common',
      title: { text: chart.title },
      data: chart.series.map((s, i) => ({
        id: `s${i}`,
        values: chart.categories.flatMap((c, j) => (s.values[j] === null || s.values[j] === undefined ? [] : [{ x: c, y: s.values[j], series: s.name }])),
      })),
      series: chart.series.map((s, i) => ({ type: s.kind, dataIndex: i, xField: 'x', yField: 'y', seriesField: 'series' })),
      axes: [
        { orient: 'bottom', type: 'band' },
        { orient: 'left', type: 'linear' },
      ],
      legends: { visible: true, orient: 'bottom' },
    },
  };
}

export function countElements(elements: unknown): number {
  if (Array.isArray(elements)) return elements.reduce((n: number, e) => n + countElements(e), 0);
  if (!elements || typeof elements !== 'object') return 0;
  const el = elements as Element;
  const own = typeof el.tag === 'string' ? 1 : 0;
  return own + countElements(el.elements) + countElements(el.columns);
}

function build(card: Card, text: string | undefined, fields: boolean): Element {
  const elements: Element[] = [];
  const mentions = mentionLine(card.mentions ?? []);
  if (mentions) elements.push(mentions);
  if (fields) elements.push(...fieldRows(card));
  if (text) elements.push({ tag: 'div', text: { tag: 'plain_text', content: text } });
  const markdown = card.markdown && renderMarkdown(card.markdown, escapeFeishuMarkdown);
  if (markdown) elements.push({ tag: 'markdown', content: markdown });
  if (card.note) elements.push({ tag: 'markdown', content: escapeFeishuMarkdown(card.note), text_size: 'notation' });
  if (card.chart) elements.push(chartElement(card.chart));
  const form = formElement(card);
  if (form) elements.push(form);
  if (card.buttons.length > 0) {
    elements.push({
      tag: 'column_set',
      columns: card.buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [button(b)] })),
    });
  }
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: card.title }, template: TEMPLATE[card.color] },
    body: { elements },
  };
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

const tooBig = (rendered: Element) => bytes(rendered) > CARD_MAX_BYTES || countElements(rendered.body) > CARD_MAX_ELEMENTS;

/**
 * The neutral card as Feishu card JSON 2.0 (shared, so updates reach everyone), cut to Feishu's
 * limits: what people wrote is shortened first, then the fields give way.
 */
export function renderCard(card: Card): Element {
  let text = card.text;
  let rendered = build(card, text, true);
  let big = tooBig(rendered);
  const original = big && text ? [...text] : [];
  for (let keep = Math.floor(original.length * 0.7); text && big; keep = Math.floor(keep * 0.7)) {
    text = keep >= 20 ? `${original.slice(0, keep).join('')}${texts.truncated}` : undefined;
    rendered = build(card, text, true);
    big = tooBig(rendered);
  }
  return big ? build(card, text, false) : rendered;
}

/** A text message: its `mentions` as `<at user_id="…">name</at>` in front, the only tags it carries; the text shown as written. */
export function renderText(message: Extract<OutgoingMessage, { type: 'text' }>): { text: string } {
  const mentions = (message.mentions ?? [])
    .flatMap((m) => {
      const id = feishuMentionId(m.platformUserId);
      return id ? [`<at user_id="${id}">${escapeFeishuText(m.name)}</at> `] : [];
    })
    .join('');
  return { text: `${mentions}${escapeFeishuText(message.text)}` };
}
