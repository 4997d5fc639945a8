import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { isSealed, KEY_FILE, openSecret, sealSecret, totpKeyring } from './totp-key.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'gongjian-totp-key-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('sealing TOTP secrets', () => {
  const key = randomBytes(32);
  const keyring = totpKeyring({ configured: key, databaseKind: 'server', dataDir: '/nonexistent' });

  it('seals with a fresh IV each time, shows nothing of the secret, and opens back', () => {
    const a = sealSecret(key, SECRET, 1, 7);
    const b = sealSecret(key, SECRET, 1, 7);
    expect(isSealed(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SECRET);
    expect(openSecret(keyring, a, 1, 7)).toBe(SECRET);
  });

  it('does not open under another key, for another account, or when altered', () => {
    const sealed = sealSecret(key, SECRET, 1, 7);
    const other = totpKeyring({
      configured: randomBytes(32),
      databaseKind: 'server',
      dataDir: '/nonexistent',
    });
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof AppError ? err.code : String(err);
      }
      return 'opened';
    };
    expect(code(() => openSecret(other, sealed, 1, 7))).toBe('totp_key_wrong');
    expect(code(() => openSecret(keyring, sealed, 1, 8))).toBe('totp_key_wrong');
    expect(code(() => openSecret(keyring, sealed, 2, 7))).toBe('totp_key_wrong');
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(code(() => openSecret(keyring, flipped, 1, 7))).toBe('totp_key_wrong');
  });

  it('passes a secret stored before sealing existed through as it is', () => {
    expect(openSecret(keyring, SECRET, 1, 7)).toBe(SECRET);
  });

  it('on the embedded database makes a 0600 key file in the data directory on first need, and reads it back', () => {
    const dataDir = join(tempDir(), 'data');
    const ring = totpKeyring({ databaseKind: 'embedded', dataDir });
    expect(ring.source).toBe(join(dataDir, KEY_FILE));
    const made = ring.key()!;
    expect(made).toHaveLength(32);
    const path = join(dataDir, KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64').equals(made)).toBe(true);
    const again = totpKeyring({ databaseKind: 'embedded', dataDir }).key()!;
    expect(again.equals(made)).toBe(true);
  });

  it('on a server database without GONGJIAN_SECRET_KEY has no key and makes no file', () => {
    const dataDir = tempDir();
    const ring = totpKeyring({ databaseKind: 'server', dataDir });
    expect(ring.source).toBeNull();
    expect(ring.key()).toBeNull();
    expect(() => statSync(join(dataDir, KEY_FILE))).toThrow();
  });
});
