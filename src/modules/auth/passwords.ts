import { hash, verify } from '@node-rs/argon2';
import { COMMON_PASSWORDS } from './common-passwords.ts';

/** argon2id with OWASP's minimum: 19 MiB of memory, two passes, one lane. */
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows, verified for unknown accounts so their answer takes as long. */
let dummyHash: Promise<string> | undefined;
export const dummyVerify = async (password: string) => {
  dummyHash ??= hashPassword('gongjian-no-such-account-placeholder');
  await verifyPassword(await dummyHash, password);
  return false;
};

export type PasswordProblem = { zh: string; en: string };

/** At least 10 characters, not a common password, not built from the account name or phone. */
export function checkPasswordPolicy(
  password: string,
  account: { username?: string; phone?: string | null } = {},
): PasswordProblem | null {
  if ([...password].length < 10)
    return { zh: '密码至少10个字符', en: 'the password must have at least 10 characters' };
  if ([...password].length > 200) return { zh: '密码过长', en: 'the password is too long' };
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password) || isSequence(lower)) {
    return { zh: '密码太常见，容易被猜中，请换一个', en: 'the password is too common and easily guessed' };
  }
  for (const part of [account.username, account.phone]) {
    if (part && part.length >= 4 && lower.includes(part.toLowerCase())) {
      return {
        zh: '密码不能包含账号名或手机号',
        en: 'the password must not contain the account name or phone',
      };
    }
  }
  return null;
}

function isSequence(s: string): boolean {
  const rows = [
    '0123456789012345678901234567890',
    'abcdefghijklmnopqrstuvwxyz',
    'qwertyuiopasdfghjklzxcvbnm',
  ];
  return rows.some((r) => r.includes(s) || [...r].reverse().join('').includes(s));
}
