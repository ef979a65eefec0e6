import { describe, expect, it } from 'vitest';
import { evaluate } from '../../bench/eval-intake/score.js';
import { intakeEval2 } from '../fixtures/intake-eval-2.js';
import { intakeEval3 } from '../fixtures/intake-eval-3.js';
import { intakeEval4 } from '../fixtures/intake-eval-4.js';
import { intakeEval } from '../fixtures/intake-eval.js';

/**
 * The evaluation sets through the simulator API, as `npm run eval:intake` runs them: intake must
 * not fall below the figures the README states. The second, third and fourth sets were written apart
 * from the rules, in other hospitals' ways of writing.
 */
describe('intake on the evaluation sets', () => {
  const rate = (t: { correct: number; total: number }) => t.correct / t.total;

  it.each([
    ['the first set', intakeEval, 0.95],
    ['the second set', intakeEval2, 0.9],
    ['the third set', intakeEval3, 0.9],
    ['the fourth set', intakeEval4, 0.9],
  ] as const)(
    'reads %s right',
    async (_name, cases, floor) => {
      const { summary } = await evaluate([...cases]);
      const { fields } = summary;
      expect(rate(fields.priority)).toBeGreaterThanOrEqual(floor);
      expect(rate(fields.system)).toBeGreaterThanOrEqual(floor);
      expect(rate(fields.asset)).toBeGreaterThanOrEqual(0.95);
      expect(rate(fields.phone)).toBeGreaterThanOrEqual(0.95);
      expect(rate(fields.chatterNoTicket)).toBeGreaterThanOrEqual(floor);
      expect(rate(fields.followupNoSecondTicket)).toBeGreaterThanOrEqual(floor);
      expect(rate(fields.reportOneTicket)).toBeGreaterThanOrEqual(0.98);
    },
    120_000,
  );
});
