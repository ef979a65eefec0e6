import { describe, expect, it } from 'vitest';
import { escapeWecomMarkdown, wecomMentionId } from '../../../../adapters/wecom/escape.js';
import { cardMarkdown, markdownText, templateCard } from '../../../../adapters/wecom/render.js';
import { markup } from '../../../../bot/chat/markdown.js';
import type { Card } from '../../../../bot/chat/model.js';

describe('escapeWecomMarkdown', () => {
  it('shows mentions, font tags, links, bold, code, headings and quotes as written, in full-width forms', () => {
    expect(escapeWecomMarkdown('<@all> <font color="warning">红字</font>')).toBe('＜@all＞ ＜font color="warning"＞红字＜/font＞');
    expect(escapeWecomMarkdown('[点此](https://evil.example/x)')).toBe('［点此］(https://evil.example/x)');
    expect(escapeWecomMarkdown('**粗体** `代码`\n# 标题\n> 引用 A&B')).toBe('＊＊粗体＊＊ ｀代码｀\n＃ 标题\n＞ 引用 A＆B');
    expect(escapeWecomMarkdown('门诊3楼打印机卡纸，资产号PC-0231，电话8123')).toBe('门诊3楼打印机卡纸，资产号PC-0231，电话8123');
  });

  it('reads the same once folded to half-width (NFKC)', () => {
    const h = '<@all>[x](https://evil.example)**b**`c`#d>e&f';
    expect(escapeWecomMarkdown(h)).not.toMatch(/[<>&[\]*`#]/);
    expect(escapeWecomMarkdown(h).normalize('NFKC')).toBe(h);
  });

  it('wecomMentionId accepts userids only, never @all', () => {
    expect(wecomMentionId('zhangli')).toBe('zhangli');
    expect(wecomMentionId('zhang.li-01@corp')).toBe('zhang.li-01@corp');
    for (const bad of ['@all', 'a>b', 'a b', '']) expect(wecomMentionId(bad)).toBeUndefined();
  });
});

describe('WeCom rendering', () => {
  it('markdownText: only its mentions are <@userid>, the text is escaped', () => {
    expect(
      markdownText({
        type: 'text',
        text: '<@all> 已补充到 IT-20261123-0001：[点此](https://evil.example)',
        mentions: [
          { platformUserId: 'zhangli', name: '张丽' },
          { platformUserId: '@all', name: '所有人' },
        ],
      }),
    ).toBe('<@zhangli> ＜@all＞ 已补充到 IT-20261123-0001：［点此］(https://evil.example)');
  });

  const card: Card = {
    title: '工单 **IT**',
    color: 'blue',
    fields: [{ label: '报修人', value: '张丽<@all>' }],
    text: '# 标题\n> 引用',
    markdown: markup`**先试试：${'[点此](https://evil.example)'}**`,
    note: '</font><@all>',
    buttons: [],
  };

  it('cardMarkdown: the bot’s bold title, quoted fields and grey note; everything written in them escaped', () => {
    expect(cardMarkdown(card).split('\n')).toEqual([
      '**工单 ＊＊IT＊＊**',
      '> 报修人：张丽＜@all＞',
      '＃ 标题',
      '＞ 引用',
      '**先试试：［点此］(https://evil.example)**',
      '<font color="comment">＜/font＞＜@all＞</font>',
    ]);
  });

  it('templateCard: plain texts, the markdown without the bot’s markup', () => {
    const rendered = templateCard(card, 'task-1', '信息科助手') as { sub_title_text: string };
    expect(rendered.sub_title_text).toBe('# 标题\n> 引用\n先试试：[点此](https://evil.example)\n</font><@all>');
  });
});
