import { describe, expect, it } from 'vitest';
import { checkCharFor, makeIdNumber, parseIdNumber } from './idcard.ts';

describe('ID card numbers (GB 11643)', () => {
  it('accepts the standard example 11010519491231002X and reads birth date and gender', () => {
    const r = parseIdNumber('11010519491231002X');
    expect(r).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', gender: 'female' },
    });
  });

  it('takes a lowercase x as X', () => {
    const r = parseIdNumber('11010519491231002x');
    expect(r.ok && r.value.idNumber).toBe('11010519491231002X');
  });

  it('normalises full-width digits and stray spaces', () => {
    const r = parseIdNumber(' １１０１０５ １９４９１２３１００２Ｘ ');
    expect(r.ok && r.value.idNumber).toBe('11010519491231002X');
  });

  it('refuses a wrong check digit and names the expected one', () => {
    const r = parseIdNumber('110105194912310021');
    expect(r).toMatchObject({ ok: false, problem: 'check_digit' });
    expect(!r.ok && r.message).toContain('X');
  });

  it('refuses an impossible birth date even with a matching check digit', () => {
    const first17 = '11010519490231002';
    const r = parseIdNumber(first17 + checkCharFor(first17));
    expect(r).toMatchObject({ ok: false, problem: 'birth_date' });
  });

  it('refuses a birth date in the future', () => {
    const id = makeIdNumber('110105', '2030-01-01', 11);
    expect(parseIdNumber(id, new Date('2026-11-22'))).toMatchObject({ ok: false, problem: 'birth_date' });
  });

  it('refuses 15-digit and malformed numbers', () => {
    expect(parseIdNumber('110105491231002')).toMatchObject({ ok: false, problem: 'format' });
    expect(parseIdNumber('11010519491231002Y')).toMatchObject({ ok: false, problem: 'format' });
  });

  it('odd sequence digits are men, even are women', () => {
    const man = parseIdNumber(makeIdNumber('369901', '1970-05-06', 13));
    const woman = parseIdNumber(makeIdNumber('369901', '1970-05-06', 14));
    expect(man.ok && man.value.gender).toBe('male');
    expect(woman.ok && woman.value.gender).toBe('female');
  });
});
