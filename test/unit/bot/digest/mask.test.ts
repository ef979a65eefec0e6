import { describe, expect, it } from 'vitest';
import { mask } from '../../../../bot/digest/mask.js';

describe('masking personal data', () => {
  it('masks mobile numbers as people write them', () => {
    expect(mask('电话 13812345678 分机 8123')).toBe('电话 138****5678 分机 8123');
    expect(mask('电话１３８１２３４５６７８')).toBe('电话１３８****５６７８');
    expect(mask('手机+8613812345678')).toBe('手机+86138****5678');
    expect(mask('手机 +86 138 1234 5678')).toBe('手机 +86 138 **** 5678');
    expect(mask('0086-13812345678')).toBe('0086-138****5678');
    expect(mask('联系138-1234-5678')).toBe('联系138-****-5678');
    expect(mask('联系 138 1234 5678，找张丽')).toBe('联系 138 **** 5678，找张丽');
    expect(mask('电话138\u200b1234\u200b5678')).toBe('电话138\u200b****\u200b5678');
    expect(mask('13812345678x2 是分机')).toBe('138****5678x2 是分机');
  });

  it('masks 18-digit ID numbers, spaced or not, and the old 15-digit ones', () => {
    expect(mask('身份证 110101199003071234')).toBe('身份证 110101********1234');
    expect(mask('身份证 11010119900307123X')).toBe('身份证 110101********123X');
    expect(mask('身份证 110101 19900307 1234')).toBe('身份证 110101 ******** 1234');
    expect(mask('身份证１１０１０１１９９００３０７１２３ｘ')).toBe('身份证１１０１０１********１２３ｘ');
    expect(mask('老身份证 110101900307123')).toBe('老身份证 110101******123');
  });

  it('leaves the numbers of the help desk alone', () => {
    for (const text of [
      'IT-20261123-0001 SQ-20261123-001',
      '2026-11-23 14:05 分机 8123',
      '资产号PC-0231，电话8123',
      '门诊3楼212诊室',
      '0571-87654321',
      '20261123001',
    ])
      expect(mask(text)).toBe(text);
  });

  it('masks a patient’s name after 患者 / 病人 / 病患, and leaves words alone', () => {
    expect(mask('患者王小明 身份证')).toBe('患者王* 身份证');
    expect(mask('病人李四的检验报告')).toBe('病人李*的检验报告');
    expect(mask('患者姓名：王小明')).toBe('患者姓名：王*');
    expect(mask('患者欧阳娜娜说')).toBe('患者欧阳*说');
    expect(mask('患者张三头疼')).toBe('患者张*头疼');
    expect(mask('病患王刚反映')).toBe('病患王*反映');
    for (const text of [
      '病人排长队',
      '患者身份证读不出',
      '患者姓名',
      '患者姓名写错了',
      '患者高烧不退',
      '患者于今日入院',
      '患者马上到',
      '患者向医生反映',
      '病人很多',
      '患者家属在等',
    ])
      expect(mask(text)).toBe(text);
  });
});
