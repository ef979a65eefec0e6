import { describe, expect, it } from 'vitest';
import { CARD_MAX_ELEMENTS, countElements, renderCard, renderText } from '../../../../adapters/feishu/render.js';
import { bodyBytes, CARD_BODY_MAX_BYTES, replyRequest, TEXT_BODY_MAX_BYTES } from '../../../../adapters/feishu/requests.js';
import { markup, mdJoin } from '../../../../bot/chat/markdown.js';
import type { Card } from '../../../../bot/chat/model.js';
import { cardProblems } from '../../../helpers/feishu-card-schema.js';

const base: Card = {
  title: '工单 IT-20261123-0001 · P1 紧急',
  color: 'red',
  fields: [
    { label: '状态', value: '待认领' },
    { label: '报修人', value: '张丽（门诊部）' },
    { label: '位置', value: '门诊3楼' },
  ],
  text: '全院HIS都不能用了 <at id=all></at> **不是加粗**',
  note: '已通知应用支持与开发组',
  buttons: [{ label: '认领', action: 'ticket.claim', value: { ticket: 'IT-20261123-0001', v: 1 }, style: 'primary' }],
};

describe('renderCard (Feishu card JSON 2.0)', () => {
  it('renders header colour, fields in columns, plain text, note and callback buttons', () => {
    const card = renderCard(base) as any;
    expect(card).toMatchObject({
      schema: '2.0',
      config: { update_multi: true },
      header: { template: 'red', title: { tag: 'plain_text', content: base.title } },
    });
    const elements = card.body.elements;
    expect(elements[0]).toMatchObject({ tag: 'column_set', columns: [{ elements: [{ content: '**状态**\n待认领' }] }, {}] });
    expect(elements[2]).toEqual({ tag: 'div', text: { tag: 'plain_text', content: base.text } });
    expect(elements.at(-1).columns[0].elements[0]).toEqual({
      tag: 'button',
      text: { tag: 'plain_text', content: '认领' },
      type: 'primary',
      behaviors: [{ type: 'callback', value: { action: 'ticket.claim', value: { ticket: 'IT-20261123-0001', v: 1 } } }],
    });
  });

  it('renders forms with inputs, selects and a submit button', () => {
    const card = renderCard({
      ...base,
      buttons: [],
      form: {
        inputs: [
          { name: 'comment', label: '意见', kind: 'textarea' },
          { name: 'decision', label: '结论', kind: 'select', required: true, options: [{ label: '同意', value: 'approve' }] },
        ],
        submits: [{ label: '提交', action: 'approval.decide', value: { id: 7 } }],
      },
    }) as any;
    const form = card.body.elements.find((e: any) => e.tag === 'form');
    expect(form.elements.map((e: any) => e.tag)).toEqual(['input', 'select_static', 'column_set']);
    expect(form.elements[1]).toMatchObject({ name: 'decision', required: true, options: [{ text: { content: '同意' }, value: 'approve' }] });
    expect(form.elements[2].columns[0].elements[0]).toMatchObject({
      form_action_type: 'submit',
      behaviors: [{ type: 'callback', value: { action: 'approval.decide' } }],
    });
  });

  it('mentions people with <at id=…>', () => {
    const card = renderCard({ ...base, mentions: [{ platformUserId: 'ou_zhangli', name: '张丽' }] }) as any;
    expect(card.body.elements[0]).toEqual({ tag: 'markdown', content: '<at id=ou_zhangli></at>' });
  });

  it('stays within 30 KB and 200 elements, shortening what people wrote first', () => {
    const huge = renderCard({ ...base, text: '很长的故障描述'.repeat(3000) }) as any;
    expect(bodyBytes({ content: JSON.stringify(huge) })).toBeLessThanOrEqual(CARD_BODY_MAX_BYTES);
    expect(JSON.stringify(huge)).toContain('（内容过长，已截断）');
    const many = renderCard({ ...base, fields: Array.from({ length: 400 }, (_, i) => ({ label: `字段${i}`, value: String(i) })) }) as any;
    expect(countElements(many)).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
    expect(cardProblems(many)).toEqual([]);
    expect(many.header.title.content).toBe(base.title);
    // The fields give way from the last: as many as fit stay.
    expect(many.body.elements[0].columns[0].elements[0].content).toBe('**字段0**\n0');
  });

  it('measures the request body, where the card is an escaped string: what fits as a card alone is cut to fit the reply', () => {
    // Quotes, backslashes and line breaks double when the card becomes `content`.
    const text = '日志 "C:\\HIS\\log"\n'.repeat(1200);
    const card = { ...base, text };
    const alone = renderCard(card) as any;
    const request = (c: object) => replyRequest('interactive', c, 'row-12345', true);
    const replied = renderCard(card, (c) => bodyBytes(request(c)) <= CARD_BODY_MAX_BYTES) as any;
    expect(bodyBytes(request(replied))).toBeLessThanOrEqual(CARD_BODY_MAX_BYTES);
    expect(Buffer.byteLength(JSON.stringify(replied))).toBeLessThan(Buffer.byteLength(JSON.stringify(alone)));
    const shown = replied.body.elements.find((e: any) => e.tag === 'div').text.content as string;
    expect(shown.endsWith('…（内容过长，已截断）')).toBe(true);
    expect(text.startsWith(shown.slice(0, -'…（内容过长，已截断）'.length))).toBe(true);
    // As much as fits is kept, not a fixed fraction.
    expect(bodyBytes(request(replied))).toBeGreaterThan(CARD_BODY_MAX_BYTES - 200);
    expect(replied.body.elements.at(-1).columns[0].elements[0].text.content).toBe('认领');
  });

  it('cuts people’s words inside the bot’s lines, then the footnote and the chart, never the buttons', () => {
    const lines = Array.from({ length: 60 }, (_, i) => markup`**待审批 ${i}**：${'很长的申请标题'.repeat(60)}`);
    const card: Card = {
      ...base,
      text: undefined,
      markdown: mdJoin(lines),
      note: '统计口径说明'.repeat(200),
      chart: { title: '近 7 天', categories: ['11-22', '11-23'], series: [{ name: '报修量', kind: 'bar', values: [1, 3] }] },
    };
    const rendered = renderCard(card) as any;
    expect(bodyBytes({ content: JSON.stringify(rendered) })).toBeLessThanOrEqual(CARD_BODY_MAX_BYTES);
    const md = rendered.body.elements.find((e: any) => e.tag === 'markdown' && !e.text_size).content as string;
    expect(md.split('\n')).toHaveLength(60);
    const last = md.split('\n')[59]!;
    expect(last.startsWith('**待审批 59**：很长的申请标题')).toBe(true);
    expect(last.endsWith('…（内容过长，已截断）')).toBe(true);
    // The bot's markup stays whole; the clipped words are cut alike in every line.
    expect(new Set(md.split('\n').map((l) => l.replace(/\d+/, '')))).toHaveProperty('size', 1);
    // Clipping the words was enough: the footnote and the chart stay.
    expect(rendered.body.elements.some((e: any) => e.tag === 'chart')).toBe(true);
    expect(rendered.body.elements.some((e: any) => e.text_size === 'notation')).toBe(true);
    expect(rendered.body.elements.at(-1).columns[0].elements[0].tag).toBe('button');
    expect(cardProblems(rendered)).toEqual([]);
  });

  it('uses only documented card 2.0 values: spacing, button types, text sizes, placeholders of 1–100 characters', () => {
    const card = renderCard({
      ...base,
      note: '备注',
      buttons: [{ label: '很长的按钮'.repeat(30), action: 'x', value: {}, style: 'danger' }],
      form: {
        inputs: [
          { name: 'comment', label: '意见', kind: 'textarea' },
          { name: 'reason', label: '原因', kind: 'input', placeholder: '请写明原因'.repeat(30) },
          { name: 'decision', label: '结论', kind: 'select', options: [{ label: '同意', value: 'approve' }] },
        ],
        submits: [{ label: '提交', action: 'approval.decide', value: { id: 7 } }],
      },
      chart: {
        title: '近 7 天',
        categories: ['11-22'],
        series: [
          { name: '报修量', kind: 'bar', values: [1] },
          { name: '达标率', kind: 'line', values: [50], unit: '%' },
        ],
      },
    }) as any;
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).not.toContain('"horizontal_spacing":"default"');
    expect(json).not.toContain('"content":""');
    const form = card.body.elements.find((e: any) => e.tag === 'form');
    expect(form.elements[0]).not.toHaveProperty('placeholder');
    expect([...form.elements[1].placeholder.content]).toHaveLength(100);
    expect([...card.body.elements.at(-1).columns[0].elements[0].text.content]).toHaveLength(100);
  });
});

describe('renderText', () => {
  it('puts mentions in front as <at user_id=…>', () => {
    expect(renderText({ type: 'text', text: '您好', mentions: [{ platformUserId: 'ou_1', name: '张丽' }] })).toEqual({
      text: '<at user_id="ou_1">张丽</at> 您好',
    });
  });

  it('clips a text whose request would pass 150 KB, the mentions kept, with a note that it was cut', () => {
    const text = '<日志> '.repeat(40_000);
    const { text: shown } = renderText({ type: 'text', text, mentions: [{ platformUserId: 'ou_1', name: '张丽' }] });
    expect(bodyBytes({ content: JSON.stringify({ text: shown }) })).toBeLessThanOrEqual(TEXT_BODY_MAX_BYTES);
    expect(shown.startsWith('<at user_id="ou_1">张丽</at> &lt;日志&gt; ')).toBe(true);
    expect(shown.endsWith('…（内容过长，已截断）')).toBe(true);
  });
});
