import { describe, expect, it } from 'vitest';
import { escapeSimulatorMarkdown } from '../../../../adapters/simulator/escape.js';
import { toContent } from '../../../../adapters/simulator/transcript.js';
import { markup } from '../../../../bot/chat/markdown.js';

describe('the simulator page’s markdown', () => {
  it('escapes **, backticks and backslashes of what people wrote with a backslash', () => {
    expect(escapeSimulatorMarkdown('**粗体** `代码` \\*')).toBe('\\*\\*粗体\\*\\* \\`代码\\` \\\\\\*');
    expect(escapeSimulatorMarkdown('<at id=all></at>')).toBe('<at id=all></at>');
  });

  it('toContent renders a card’s markdown for the page, leaving the rest of the card as it is', () => {
    const content = toContent({
      type: 'card',
      card: { title: 't', color: 'blue', fields: [], markdown: markup`**先试试：${'**x**'}**`, text: '**y**', buttons: [] },
    });
    expect(content.card).toEqual({ title: 't', color: 'blue', fields: [], markdown: '**先试试：\\*\\*x\\*\\***', text: '**y**', buttons: [] });
  });
});
