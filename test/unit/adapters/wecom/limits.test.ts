import { describe, expect, it } from 'vitest';
import { APP_CARD, ROBOT_CARD, splitMarkdown } from '../../../../adapters/wecom/limits.js';
import { cardMarkdownWithCommands, templateCard } from '../../../../adapters/wecom/render.js';
import type { Card } from '../../../../bot/chat/model.js';
import { templateCardProblem, WECOM_APP_CARD, WECOM_ROBOT_CARD } from '../../../helpers/wecom-rules.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('WeCom markdown split to the bytes one message takes', () => {
  it('cuts between lines, every line kept in order, each part within the limit', () => {
    const text = Array.from({ length: 100 }, (_, i) => `第${i + 1}行 门诊楼网络中断`).join('\n');
    const parts = splitMarkdown(text, 500);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(500);
    expect(parts.join('\n')).toBe(text);
  });

  it('cuts a line longer than a whole message between characters, never inside one', () => {
    const line = '🖨️打印机'.repeat(200);
    const parts = splitMarkdown(line, 100);
    for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(100);
    expect(parts.join('')).toBe(line);
  });

  it('leaves a message within the limit as it is', () => {
    expect(splitMarkdown('短消息', 4096)).toEqual(['短消息']);
  });
});

describe('WeCom template cards within the documented lengths', () => {
  const long = '住院部7楼东区护士站电脑无法登录护理信息系统并且打印机也无法打印腕带和输液贴，影响全病区';
  const card: Card = {
    title: `工单 IT-20261124-0001 · P2 高 · ${long}`,
    color: 'orange',
    fields: [
      { label: '状态', value: `待认领（${long}）` },
      { label: '报修位置和科室', value: long },
      { label: '报修人', value: long },
    ],
    text: long.repeat(5),
    buttons: [{ label: '认领并立即前往现场处理', action: 'ticket.claim', value: { ticket: 'IT-20261124-0001' }, command: '认领 IT-20261124-0001' }],
  };

  it('clips every text of a long report to what the application and the robot take', () => {
    expect(templateCardProblem(templateCard(card, 't1', '信息科助手', APP_CARD), WECOM_APP_CARD)).toBeUndefined();
    expect(templateCardProblem(templateCard(card, 't1', '信息科助手', ROBOT_CARD), WECOM_ROBOT_CARD)).toBeUndefined();
    // The robot's are the shorter: its card is what any channel takes.
    expect(templateCardProblem(templateCard(card, 't1', '信息科助手'), WECOM_ROBOT_CARD)).toBeUndefined();
    const app = templateCard(card, 't1', '信息科助手', APP_CARD) as { main_title: { title: string } };
    expect([...app.main_title.title]).toHaveLength(36);
    expect(app.main_title.title.endsWith('…')).toBe(true);
  });

  it('shows a card’s buttons, where no button can be shown, as the messages to send the robot', () => {
    expect(cardMarkdownWithCommands(card, '信息科助手')).toContain('认领并立即前往现场处理：发送「@信息科助手 认领 IT-20261124-0001」');
  });
});
