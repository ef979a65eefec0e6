import { describe, expect, it } from 'vitest';
import { Transcript } from '../../../../adapters/simulator/transcript.js';

describe('the simulator transcript', () => {
  it('gives readable message ids that no other transcript gives, even one made in the same millisecond', () => {
    const transcripts = Array.from({ length: 200 }, () => new Transcript(() => new Date('2026-11-23T09:00:00+08:00')));
    const ids = transcripts.flatMap((t) => [
      t.add('intake', 'zhang-li', '张丽', { text: '打印机卡纸' }).id,
      t.add('intake', 'bot', '信息科助手', { text: '已受理' }).id,
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^sim-[0-9a-z]{8,12}-[12]$/);
    // Within one transcript the ids count up after its prefix.
    const [first, second] = [ids[0]!, ids[1]!];
    expect(second).toBe(first.replace(/-1$/, '-2'));
  });
});
