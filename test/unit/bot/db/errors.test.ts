import { describe, expect, it } from 'vitest';
import { isRecordGone, isUniqueViolation, isWriteConflict, prismaCode } from '../../../../bot/db/errors.js';

const prismaError = (code: string, meta?: object) => Object.assign(new Error(code), { code, meta });

describe('Prisma error questions', () => {
  it('read the code of a Prisma error only', () => {
    expect(prismaCode(prismaError('P2002'))).toBe('P2002');
    expect(prismaCode(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBeUndefined();
    expect(prismaCode(Object.assign(new Error('x'), { code: 99991400 }))).toBeUndefined();
    expect(prismaCode(null)).toBeUndefined();
    expect(prismaCode('P2002')).toBeUndefined();
  });

  it('tell a taken unique key, optionally of one model', () => {
    const taken = prismaError('P2002', { modelName: 'ScheduledFire', target: ['job', 'fireAt'] });
    expect(isUniqueViolation(taken)).toBe(true);
    expect(isUniqueViolation(taken, 'ScheduledFire')).toBe(true);
    expect(isUniqueViolation(taken, 'InboundEvent')).toBe(false);
    expect(isUniqueViolation(prismaError('P2025'))).toBe(false);
  });

  it('tell a lost serializable transaction and a row that moved on', () => {
    expect(isWriteConflict(prismaError('P2034'))).toBe(true);
    expect(isWriteConflict(prismaError('P2002'))).toBe(false);
    expect(isRecordGone(prismaError('P2025'))).toBe(true);
    expect(isRecordGone(new Error('P2025'))).toBe(false);
  });
});
