import { describe, expect, it } from 'vitest';
import { EDUCATION_LEVELS, HOUSEHOLD_CATEGORIES, lookupCode } from './codes.ts';
import { makeIdNumber } from './idcard.ts';
import { maskIdNumber, maskName, maskPhone } from './masking.ts';
import { checkIdentity, checkMemberDates, normalizePhone } from './members.ts';
import { ageBandOf, isVeteranMember } from './structure.ts';

const id = makeIdNumber('369901', '1968-03-15', 21); // a man born 1968-03-15

describe('member identity', () => {
  it('derives birth date and gender from the ID number when they are not given', () => {
    expect(checkIdentity({ idNumber: id })).toEqual({
      ok: true,
      value: { idNumber: id, birthDate: '1968-03-15', gender: 'male' },
    });
  });

  it('a birth date that disagrees with the ID number is an error naming birthDate', () => {
    const r = checkIdentity({ idNumber: id, birthDate: '1968-03-16' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.field)).toEqual(['birthDate']);
  });

  it('a gender that disagrees with the ID number is an error naming gender', () => {
    const r = checkIdentity({ idNumber: id, gender: 'female' });
    expect(!r.ok && r.problems[0]?.field).toBe('gender');
  });

  it('a wrong ID number is an error naming idNumber', () => {
    const r = checkIdentity({ idNumber: `${id.slice(0, 17)}${id[17] === '1' ? '2' : '1'}` });
    expect(!r.ok && r.problems[0]?.field).toBe('idNumber');
  });
});

describe('admission dates', () => {
  it('a member joins at 18 or older', () => {
    expect(
      checkMemberDates({ birthDate: '1990-05-01', joinDate: '2008-04-30' }, '2026-01-01')[0]?.field,
    ).toBe('joinDate');
    expect(checkMemberDates({ birthDate: '1990-05-01', joinDate: '2008-05-01' }, '2026-01-01')).toEqual([]);
  });

  it('full membership cannot precede joining or lie in the future', () => {
    expect(
      checkMemberDates(
        { birthDate: '1970-01-01', joinDate: '2000-01-01', fullMemberDate: '1999-12-31' },
        '2026-01-01',
      )[0]?.field,
    ).toBe('fullMemberDate');
    expect(
      checkMemberDates(
        { birthDate: '1970-01-01', joinDate: '2025-01-01', fullMemberDate: '2027-01-01' },
        '2026-01-01',
      )[0]?.field,
    ).toBe('fullMemberDate');
  });
});

describe('phones and masking', () => {
  it('keeps mobiles and landlines, drops separators', () => {
    expect(normalizePhone('138-0013-8000')).toEqual({ ok: true, value: '13800138000' });
    expect(normalizePhone('0791-86123456')).toEqual({ ok: true, value: '079186123456' });
    expect(normalizePhone('12345').ok).toBe(false);
  });

  it('masks ID numbers as first 6 and last 4, phones as 3 and 4, names as surname + 某', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskName('张三丰')).toBe('张某');
  });
});

describe('codes and structure', () => {
  it('reads education and household categories as sheets write them', () => {
    expect(lookupCode(EDUCATION_LEVELS, '大专')).toBe('college');
    expect(lookupCode(EDUCATION_LEVELS, '本科')).toBe('bachelor');
    expect(lookupCode(HOUSEHOLD_CATEGORIES, '专业户')).toBe('large_grower');
    expect(lookupCode(HOUSEHOLD_CATEGORIES, '富裕户')).toBeUndefined();
  });

  it('puts ages in the statistical bands, 30 in the youngest and 71 in the oldest', () => {
    expect(ageBandOf(30)).toBe('under_30');
    expect(ageBandOf(31)).toBe('31_40');
    expect(ageBandOf(70)).toBe('61_70');
    expect(ageBandOf(71)).toBe('over_70');
  });

  it('a member of fifty years standing is a veteran (老党员)', () => {
    expect(isVeteranMember('1976-11-22', '2026-11-22')).toBe(true);
    expect(isVeteranMember('1976-11-23', '2026-11-22')).toBe(false);
  });
});
