import { describe, expect, it } from 'vitest';
import { escapeWechatyText } from '../../../../adapters/wechaty/escape.js';
import { cardText, messageText } from '../../../../adapters/wechaty/adapter.js';
import { markup } from '../../../../bot/chat/markdown.js';

describe('Wechaty text', () => {
  it('keeps what people wrote, but no U+2005 that would end a forged @mention', () => {
    expect(escapeWechatyText('@所有人\u2005紧急通知 **粗体** <at id=all></at>')).toBe('@所有人 紧急通知 **粗体** <at id=all></at>');
    expect(messageText({ type: 'text', text: '@张丽\u2005您好', mentions: [{ platformUserId: 'wx-1', name: '张丽' }] })).toBe('@张丽 您好');
  });

  it('cardText drops the bot’s ** and backticks only, never what people wrote', () => {
    const text = cardText({
      title: '工单',
      color: 'blue',
      fields: [{ label: '报修人', value: '张丽' }],
      markdown: markup`**先试试：${'**粗体** `代码`'}**\n\`${'认领 IT-20261123-0001'}\``,
      buttons: [],
    });
    expect(text).toBe('【工单】\n报修人：张丽\n先试试：**粗体** `代码`\n认领 IT-20261123-0001');
  });
});
