import { describe, expect, it } from 'vitest';
import { escapeFeishuMarkdown, escapeFeishuText, feishuMentionId } from '../../../../adapters/feishu/escape.js';
import { renderCard, renderText } from '../../../../adapters/feishu/render.js';
import { markup } from '../../../../bot/chat/markdown.js';
import type { Card } from '../../../../bot/chat/model.js';

const ENTITIES: Record<string, string> = { nbsp: ' ', emsp: '\t', lt: '<', gt: '>', amp: '&', quot: '"' };
/** What a platform shows for text with entities: the characters themselves (decoded once, as a renderer does). */
const decode = (s: string) =>
  s.replace(/&(#\d+|\w+);/g, (whole, name: string) => (name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (ENTITIES[name] ?? whole)));

const HOSTILE = [
  '<at user_id="all">所有人</at>',
  '<at id=all></at>',
  '[点此](https://evil.example/x)',
  '**粗体** *斜体* _斜体_ ~~删除~~',
  '<font color="red">红字</font><a href="https://evil.example">链接</a>',
  '`代码` ```块```',
  '# 标题\n## 二级',
  '> 引用\n- 列表\n+ 列表\n1. 有序\n2) 有序\n---\n===',
  '    缩进代码',
  '| 表 | 格 |\n|---|---|',
  '![图](img_v2_x) :OK: $urlVal',
  '&lt;at id=all&gt; &#60; \\*',
  '</div><script>alert(1)</script>',
];

describe('escapeFeishuText (text messages)', () => {
  it('turns <, >, & and brackets into entities, so no <at> tag, style or link is read', () => {
    expect(escapeFeishuText('<at user_id="all">所有人</at> [点此](https://evil.example/x) A&B')).toBe(
      '&lt;at user_id="all"&gt;所有人&lt;/at&gt; &#91;点此&#93;(https://evil.example/x) A&amp;B',
    );
    for (const h of HOSTILE) {
      expect(escapeFeishuText(h)).not.toMatch(/[<>[\]]/);
      expect(decode(escapeFeishuText(h))).toBe(h);
    }
    expect(escapeFeishuText('门诊3楼打印机卡纸，资产号PC-0231')).toBe('门诊3楼打印机卡纸，资产号PC-0231');
  });

  it('renderText: the mentions are the only tags, their names escaped too; ids that could break out are left out', () => {
    const { text } = renderText({
      type: 'text',
      text: '<at user_id="all">所有人</at> 您好',
      mentions: [
        { platformUserId: 'ou_1', name: '张丽<b>' },
        { platformUserId: 'ou_2" x="', name: '坏' },
        { platformUserId: 'all', name: '所有人' },
      ],
    });
    expect(text).toBe('<at user_id="ou_1">张丽&lt;b&gt;</at> &lt;at user_id="all"&gt;所有人&lt;/at&gt; 您好');
  });

  it('feishuMentionId accepts Feishu ids only', () => {
    expect(feishuMentionId('ou_7d8a6e6df7621556ce0d21922b676706')).toBe('ou_7d8a6e6df7621556ce0d21922b676706');
    for (const bad of ['all', 'ALL', 'ou_1 x', 'ou_1></at><at id=all', '', 'a"b']) expect(feishuMentionId(bad)).toBeUndefined();
  });
});

describe('escapeFeishuMarkdown (card markdown)', () => {
  it('writes every character the markdown element reads as an entity, keeping line breaks', () => {
    expect(escapeFeishuMarkdown('**粗体**')).toBe('&#42;&#42;粗体&#42;&#42;');
    expect(escapeFeishuMarkdown('[点此](https://evil.example/x)')).toBe('&#91;点此&#93;&#40;https&#58;//evil.example/x&#41;');
    expect(escapeFeishuMarkdown('<at id=all></at>')).toBe('&#60;at id=all&#62;&#60;/at&#62;');
    expect(escapeFeishuMarkdown('a\n# 标题\n> 引用')).toBe('a\n&#35; 标题\n&#62; 引用');
    expect(escapeFeishuMarkdown('&lt;')).toBe('&#38;lt;');
  });

  it('escapes what starts a block only at the start of a line', () => {
    expect(escapeFeishuMarkdown('- 列表\n  + 列表\n1. 有序\n===')).toBe('&#45; 列表\n&nbsp;&nbsp;&#43; 列表\n1&#46; 有序\n&#61;==');
    expect(escapeFeishuMarkdown('    缩进')).toBe('&nbsp;&nbsp;&nbsp;&nbsp;缩进');
    expect(escapeFeishuMarkdown('PC-0231 共 2. 台 1+1=2')).toBe('PC-0231 共 2. 台 1+1=2');
  });

  it('leaves nothing of the hostile strings that markdown reads, and they read the same once shown', () => {
    for (const h of HOSTILE) {
      const escaped = escapeFeishuMarkdown(h);
      const bare = escaped.replace(/&#\d+;|&nbsp;|&emsp;/g, '·');
      expect(bare).not.toMatch(/[<>[\]()*_~`#|\\$!:&]/);
      expect(bare).not.toMatch(/^([-+=]|\d+\.)/m);
      expect(decode(escaped)).toBe(h);
    }
  });

  it('renderCard escapes the fields, the note and the text parts of the markdown; the bot’s markup and mentions stay', () => {
    const card: Card = {
      title: '<at id=all></at>标题',
      color: 'blue',
      fields: [{ label: '报修人', value: '张丽<at id=all></at>' }],
      markdown: markup`**先试试：${'[点此](https://evil.example)'}**`,
      note: '**备注**',
      buttons: [],
      mentions: [
        { platformUserId: 'ou_zhangli', name: '张丽' },
        { platformUserId: 'all', name: '所有人' },
      ],
    };
    const elements = (renderCard(card) as any).body.elements;
    expect(elements[0]).toEqual({ tag: 'markdown', content: '<at id=ou_zhangli></at>' });
    expect(elements[1].columns[0].elements[0].content).toBe('**报修人**\n张丽&#60;at id=all&#62;&#60;/at&#62;');
    expect(elements[2]).toEqual({ tag: 'markdown', content: '**先试试：&#91;点此&#93;&#40;https&#58;//evil.example&#41;**' });
    expect(elements[3]).toMatchObject({ tag: 'markdown', content: '&#42;&#42;备注&#42;&#42;', text_size: 'notation' });
  });
});
