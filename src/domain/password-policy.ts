import { COMMON_PASSWORDS } from './common-passwords.ts';

/** The password rule, shared by the server and the web app's forms so both say the same thing. */
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
