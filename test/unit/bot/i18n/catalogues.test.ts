import { describe, expect, it } from 'vitest';
import { catalogues, scoped, t, textFor, zh } from '../../../../bot/i18n/zh.js';

describe('the text catalogues', () => {
  it('keeps every key in exactly one catalogue', () => {
    const seen = new Map<string, string>();
    for (const [area, catalogue] of Object.entries(catalogues)) {
      for (const key of Object.keys(catalogue)) {
        expect(seen.get(key), `${key} is in ${seen.get(key)} and ${area}`).toBeUndefined();
        seen.set(key, area);
      }
    }
    expect(seen.size).toBe(Object.keys(zh).length);
  });

  it('writes placeholders as {name} and nothing else in braces', () => {
    for (const [key, text] of Object.entries(zh)) {
      const braces = text.match(/[{}]/g)?.length ?? 0;
      const placeholders = text.match(/\{\w+\}/g)?.length ?? 0;
      expect(braces, key).toBe(placeholders * 2);
    }
  });

  it('fills placeholders and leaves unknown ones as written', () => {
    expect(t('ticket.claim.toast', { number: 'IT-20261123-0001' })).toContain('IT-20261123-0001');
    expect(t('ticket.claim.toast')).toContain('{number}');
    expect(scoped('ticket.what')('claim')).toBe(t('ticket.what.claim'));
    expect(textFor('report.status', 'open')).toBe(t('report.status.open'));
    expect(textFor('report.status', 'toString')).toBeUndefined();
  });
});
