import { HOTP, Secret, TOTP } from 'otpauth';

/** RFC 6238 time-based one-time passwords (SHA-1, 6 digits, 30 s), as authenticator apps use. */
const PERIOD_MS = 30_000;
const ISSUER = '共建 Gongjian';

/** 160 random bits, as RFC 4226 recommends, in base32 (32 characters) for typing into an app. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export const totpAt = (secret: string, timeMs: number): string =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: timeMs });

/**
 * Accepts the code of this 30-second step or the one before or after (clock drift), but only a
 * step later than the last one accepted (RFC 6238 §5.2: a code is used once). Returns the step
 * matched, or null.
 */
export function verifyTotp(
  secret: string,
  code: string,
  nowMs = Date.now(),
  lastStep: number | null = null,
): number | null {
  const token = code.replace(/\s/g, '');
  const key = Secret.fromBase32(secret);
  const now = Math.floor(nowMs / PERIOD_MS);
  for (const offset of [-1, 0, 1]) {
    const step = now + offset;
    if (lastStep !== null && step <= lastStep) continue;
    // Each step on its own (window 0), so a code of a step already used never matches.
    if (HOTP.validate({ token, secret: key, counter: step, window: 0 }) === 0) return step;
  }
  return null;
}

export const otpauthUrl = (secret: string, account: string) =>
  new TOTP({ issuer: ISSUER, label: account, secret }).toString();
