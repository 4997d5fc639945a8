import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSecretKey } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * TOTP secrets are sealed with AES-256-GCM under a key the database does not hold, so a copy of
 * the database (a dump, a stolen backup of the tables) cannot mint one-time codes. The key comes
 * from GONGJIAN_SECRET_KEY, or on the embedded database from a key file made on first need in the
 * data directory (mode 0600). A server database has no data directory every process shares, so
 * there the key must be configured; without it 2FA set-up is refused (docs/SECURITY.md).
 */
export const KEY_FILE = 'secret.key';
const SEALED = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TotpKeyring {
  /** Where the key comes from, for messages: `env`, the key file's path, or null when none can be had. */
  readonly source: string | null;
  /** The key, making the key file if this keyring may and `create`; null when no key can be had. */
  key(create?: boolean): Buffer | null;
}

export interface KeyringOptions {
  /** GONGJIAN_SECRET_KEY, decoded. */
  configured?: Buffer | undefined;
  databaseKind: 'embedded' | 'server';
  dataDir: string;
}

export function totpKeyring({ configured, databaseKind, dataDir }: KeyringOptions): TotpKeyring {
  if (configured) return { source: 'GONGJIAN_SECRET_KEY', key: () => configured };
  if (databaseKind === 'server') return { source: null, key: () => null };
  const path = join(dataDir, KEY_FILE);
  let cached: Buffer | undefined;
  return {
    source: path,
    key(create = true) {
      cached ??= readOrCreateKeyFile(dataDir, path, create);
      return cached ?? null;
    },
  };
}

function readOrCreateKeyFile(dataDir: string, path: string, create: boolean): Buffer | undefined {
  try {
    return decodeSecretKey(readFileSync(path, 'utf8'), path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (!create) return undefined;
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    // 'wx': never overwrite a key another start made meanwhile; that one wins and is read back.
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return decodeSecretKey(readFileSync(path, 'utf8'), path);
  }
}

export const isSealed = (stored: string) => stored.startsWith(SEALED);

/** The owner of a secret, bound into the seal so a sealed secret copied to another account does not open. */
const aadOf = (countyId: number, userId: number) => Buffer.from(`gongjian totp ${countyId}:${userId}`);

export function sealSecret(key: Buffer, secret: string, countyId: number, userId: number): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadOf(countyId, userId));
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return SEALED + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

export const keyUnavailable = () =>
  new AppError(
    503,
    'totp_key_missing',
    '服务器未配置身份验证器密钥（GONGJIAN_SECRET_KEY），暂不能使用身份验证器，请联系系统管理员',
    'two-factor sign-in needs GONGJIAN_SECRET_KEY on a server database; ask the operator',
  );

/** The plain secret; a secret stored before sealing existed is returned as it is. */
export function openSecret(keyring: TotpKeyring, stored: string, countyId: number, userId: number): string {
  if (!isSealed(stored)) return stored;
  const key = keyring.key();
  if (!key) throw keyUnavailable();
  const raw = Buffer.from(stored.slice(SEALED.length), 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(aadOf(countyId, userId));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new AppError(
      503,
      'totp_key_wrong',
      '身份验证器密钥与数据库不符，请检查服务器的 GONGJIAN_SECRET_KEY 或密钥文件',
      'the stored two-factor secret does not open with this key; check GONGJIAN_SECRET_KEY or the key file',
    );
  }
}
