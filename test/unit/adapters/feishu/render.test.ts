import { describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, countElements, renderCard, renderText } from '../../../../adapters/feishu/render.js';
import type { Card } from '../../../../bot/chat/model.js';

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
    expect(Buffer.byteLength(JSON.stringify(huge))).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(JSON.stringify(huge)).toContain('（内容过长，已截断）');
    const many = renderCard({ ...base, fields: Array.from({ length: 400 }, (_, i) => ({ label: `字段${i}`, value: String(i) })) }) as any;
    expect(countElements(many.body)).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
    expect(many.header.title.content).toBe(base.title);
  });
});

describe('renderText', () => {
  it('puts mentions in front as <at user_id=…>', () => {
    expect(renderText({ type: 'text', text: '您好', mentions: [{ platformUserId: 'ou_1', name: '张丽' }] })).toEqual({
      text: '<at user_id="ou_1">张丽</at> 您好',
    });
  });
});
