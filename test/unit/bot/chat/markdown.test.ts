import { describe, expect, it } from 'vitest';
import { isMarkdown, markup, mdFill, mdJoin, mdMapText, mdText, plainMarkdown, renderMarkdown } from '../../../../bot/chat/markdown.js';
import { t, tmd } from '../../../../bot/i18n/zh.js';

/** A stand-in platform: markup as written, text in ⟨…⟩ so the test sees which is which. */
const show = (m: Parameters<typeof renderMarkdown>[0]) => renderMarkdown(m, (text) => `⟨${text}⟩`);

describe('card markdown kept apart from what people wrote', () => {
  it('markup: the template is markup, each value text, markdown values kept as built', () => {
    const name = '**粗体**<at id=all></at>';
    expect(markup`**科室**：${name}`).toEqual({ parts: [{ md: '**科室**：' }, { text: name }] });
    expect(show(markup`${1}. **${'科室负责人审批'}**：${markup`**${'陈静'}**`}`)).toBe('⟨1⟩. **⟨科室负责人审批⟩**：**⟨陈静⟩**');
    expect(markup`无`).toEqual({ parts: [{ md: '无' }] });
  });

  it('mdFill and tmd: the catalogue text is markup, its {name} values text; unknown placeholders stay as written', () => {
    expect(show(mdFill('**{a}**：{b}，{c}', { a: '[x](https://evil.example)', b: 3 }))).toBe('**⟨[x](https://evil.example)⟩**：⟨3⟩，{c}');
    const line = tmd('digest.line.departments', { list: '门诊部<at id=all></at> 1' });
    expect(line.parts).toEqual([{ md: '**科室**：' }, { text: '门诊部<at id=all></at> 1' }]);
    expect(plainMarkdown(line)).toBe(`科室：门诊部<at id=all></at> 1`);
    expect(renderMarkdown(tmd('help.footer'), () => '')).toBe(t('help.footer'));
  });

  it('mdText and mdJoin: strings are text, the separator markup, empty parts dropped and neighbours merged', () => {
    expect(mdText('**不是加粗**')).toEqual({ parts: [{ text: '**不是加粗**' }] });
    expect(mdJoin([markup`**一**`, '二', '', mdText('三')])).toEqual({ parts: [{ md: '**一**\n' }, { text: '二' }, { md: '\n\n' }, { text: '三' }] });
    expect(mdJoin([])).toEqual({ parts: [] });
  });

  it('mdMapText changes the text only (masking), never the markup', () => {
    const masked = mdMapText(markup`**电话**：${'13912345678'}`, (s) => s.replace(/\d{4}(?=\d{4}$)/, '****'));
    expect(masked).toEqual({ parts: [{ md: '**电话**：' }, { text: '139****5678' }] });
  });

  it('renders through a platform: markup as written or mapped, text escaped; a bare string is text', () => {
    const m = markup`**标题**：${'*x*'}`;
    expect(renderMarkdown(m, (s) => s.replace(/\*/g, '\\*'))).toBe('**标题**：\\*x\\*');
    expect(
      renderMarkdown(
        m,
        (s) => s,
        (s) => s.toUpperCase(),
      ),
    ).toBe('**标题**：*x*');
    expect(show('**旧的**')).toBe('⟨**旧的**⟩');
    expect(plainMarkdown(markup`**${'`a`'}** \`b\``)).toBe('`a` b');
  });

  it('survives JSON, as the outbox stores it', () => {
    const m = markup`**工单**：${'<at id=all></at>'}`;
    const again = JSON.parse(JSON.stringify(m)) as unknown;
    expect(isMarkdown(again)).toBe(true);
    expect(again).toEqual(m);
    expect(isMarkdown('**x**')).toBe(false);
  });
});
