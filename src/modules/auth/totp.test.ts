import { describe, expect, it } from 'vitest';
import { newTotpSecret, otpauthUrl, totpAt, verifyTotp } from './totp.ts';

// RFC 6238 appendix B, SHA-1: the ASCII key "12345678901234567890", codes cut to 6 digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: [number, string][] = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
];

describe('TOTP', () => {
  it('gives the RFC 6238 test vectors', () => {
    for (const [seconds, code] of RFC_VECTORS)
      expect(totpAt(RFC_SECRET, seconds * 1000), String(seconds)).toBe(code);
  });

  it('accepts the step before, this one and the one after, and returns which', () => {
    const now = 1111111109_000;
    const step = Math.floor(now / 30_000);
    for (const offset of [-1, 0, 1]) {
      expect(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, now + offset * 30_000), now)).toBe(step + offset);
    }
    expect(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, now + 2 * 30_000), now)).toBeNull();
    expect(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, now - 2 * 30_000), now)).toBeNull();
  });

  it('refuses a step at or before the last one accepted (one use per code)', () => {
    const now = 1111111109_000;
    const step = Math.floor(now / 30_000);
    const code = totpAt(RFC_SECRET, now);
    expect(verifyTotp(RFC_SECRET, code, now, step - 1)).toBe(step);
    expect(verifyTotp(RFC_SECRET, code, now, step)).toBeNull();
    expect(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, now + 30_000), now, step)).toBe(step + 1);
  });

  it('makes 160-bit base32 secrets and an otpauth:// link an authenticator app reads', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(a);
    const url = new URL(otpauthUrl(a, 'admin'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(a);
    expect(url.searchParams.get('issuer')).toBe('共建 Gongjian');
    expect(decodeURIComponent(url.pathname)).toContain('admin');
  });
});
