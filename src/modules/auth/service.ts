import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Role } from '../../domain/access.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAuditAlone } from '../audit/service.ts';
import type { Actor } from '../context.ts';
import { checkPasswordPolicy, dummyVerify, hashPassword, verifyPassword } from './passwords.ts';
import * as repo from './repository.ts';
import { newTotpSecret, otpauthUrl, verifyTotp } from './totp.ts';
import { isSealed, keyUnavailable, openSecret, sealSecret, type TotpKeyring } from './totp-key.ts';

/** Sign-in, sessions and the account's own settings. Times are rules of the access issue. */
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 12;
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

const BAD_CREDENTIALS = () =>
  new AppError(401, 'bad_credentials', '账号或密码错误', 'wrong account or password');
const locked = (until: Date, now: number) => {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now) / 60000));
  return new AppError(
    423,
    'locked',
    `连续输错${MAX_FAILURES}次，账号已锁定，请${minutes}分钟后再试`,
    `locked after ${MAX_FAILURES} failures; try again in ${minutes} minutes`,
  );
};

/**
 * Unknown accounts get the same answers as known ones, including a lock after five tries, so an
 * attacker cannot tell which account names exist. Kept in memory; it resets with the process.
 */
const unknownFailures = new Map<string, { count: number; lockedUntil: number }>();

export interface SignInInput {
  account: string;
  password: string;
  totpCode?: string | undefined;
  ip: string;
  userAgent?: string | undefined;
}

export interface SessionInfo {
  token: string;
  csrfToken: string;
  countyId: number;
  /** The county's code, for links to its public pages. */
  countyCode: string;
  actor: Actor;
  displayName: string;
  orgName: string;
  mustChangePassword: boolean;
  totpEnabled: boolean;
}

/**
 * Checks the password (argon2id), counts failures and locks after five, asks for the second factor
 * when the account has one, and opens a new session (a new id at every sign-in).
 */
export async function signIn(
  db: Kysely<DB>,
  keyring: TotpKeyring,
  fallbackCountyId: number | undefined,
  input: SignInInput,
  now = Date.now(),
): Promise<SessionInfo> {
  const account = input.account.trim();
  const [user] = await repo.findUserForSignIn(db, account);
  const who = { ip: input.ip, username: account.slice(0, 40) };
  if (!user) {
    const entry = unknownFailures.get(account);
    if (entry && entry.lockedUntil > now) throw locked(new Date(entry.lockedUntil), now);
    await dummyVerify(input.password);
    const count = (entry?.count ?? 0) + 1;
    unknownFailures.set(
      account,
      count >= MAX_FAILURES
        ? { count: 0, lockedUntil: now + LOCK_MINUTES * 60000 }
        : { count, lockedUntil: 0 },
    );
    // Old entries go first when the map is full, so spraying names cannot wipe current locks.
    if (unknownFailures.size > 50_000) {
      for (const [k, v] of unknownFailures) if (v.lockedUntil <= now) unknownFailures.delete(k);
    }
    if (fallbackCountyId !== undefined) {
      await recordAuditAlone(db, fallbackCountyId, who, {
        action: 'auth.sign_in',
        result: 'failed',
        details: { reason: 'unknown_account' },
      });
    }
    // The fifth failure answers "locked", exactly as for an account that exists.
    if (count >= MAX_FAILURES) throw locked(new Date(now + LOCK_MINUTES * 60000), now);
    throw BAD_CREDENTIALS();
  }
  const audit = (action: string, result: 'ok' | 'failed' | 'denied', details?: Record<string, unknown>) =>
    recordAuditAlone(
      db,
      user.county_id,
      { ...who, userId: user.id, username: user.username },
      {
        action,
        targetType: 'user',
        targetId: user.id,
        result,
        ...(details && { details }),
      },
    );

  if (user.locked_until && user.locked_until.getTime() > now) {
    await audit('auth.sign_in', 'denied', { reason: 'locked' });
    throw locked(user.locked_until, now);
  }
  const fail = async (reason: string) => {
    const lockNow = user.failed_attempts + 1 >= MAX_FAILURES;
    const until = lockNow ? new Date(now + LOCK_MINUTES * 60000) : null;
    await db.transaction().execute(async (trx) => {
      await repo.recordFailure(trx, user.county_id, user.id, until);
      await recordAuditAlone(
        trx,
        user.county_id,
        { ...who, userId: user.id, username: user.username },
        {
          action: 'auth.sign_in',
          targetType: 'user',
          targetId: user.id,
          result: 'failed',
          details: { reason },
        },
      );
      if (until) {
        await recordAuditAlone(
          trx,
          user.county_id,
          { ...who, userId: user.id, username: user.username },
          {
            action: 'auth.lockout',
            targetType: 'user',
            targetId: user.id,
            result: 'ok',
            details: { until: until.toISOString() },
          },
        );
      }
    });
    if (until) throw locked(until, now);
  };
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await fail('password');
    throw BAD_CREDENTIALS();
  }
  if (user.totp_enabled && user.totp_secret) {
    if (!input.totpCode) {
      throw new AppError(
        401,
        'totp_required',
        '请输入身份验证器中的6位动态码',
        'enter the 6-digit code from your authenticator app',
        'totpCode',
      );
    }
    const secret = openSecret(keyring, user.totp_secret, user.county_id, user.id);
    const step = verifyTotp(secret, input.totpCode, now, user.totp_last_step);
    if (step === null) {
      await fail('totp');
      throw new AppError(401, 'bad_totp', '动态码错误', 'wrong one-time code', 'totpCode');
    }
    await repo.updateUserRow(db, user.county_id, user.id, { totp_last_step: step });
  }
  const token = newToken();
  const csrfToken = newToken();
  await db.transaction().execute(async (trx) => {
    await repo.clearFailures(trx, user.county_id, user.id);
    await repo.insertSession(trx, {
      county_id: user.county_id,
      token_hash: hashToken(token),
      user_id: user.id,
      csrf_token: csrfToken,
      expires_at: new Date(now + ABSOLUTE_HOURS * 3600_000),
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    });
    await recordAuditAlone(
      trx,
      user.county_id,
      { ...who, userId: user.id, username: user.username },
      {
        action: 'auth.sign_in',
        targetType: 'user',
        targetId: user.id,
        result: 'ok',
      },
    );
  });
  return sessionInfo(user, token, csrfToken);
}

function sessionInfo(user: repo.UserWithOrg, token: string, csrfToken: string): SessionInfo {
  return {
    token,
    csrfToken,
    countyId: user.county_id,
    countyCode: user.county_code,
    actor: {
      userId: user.id,
      username: user.username,
      role: user.role as Role,
      orgId: user.org_id,
      orgPath: user.org_path,
      memberId: user.member_id,
    },
    displayName: user.display_name,
    orgName: user.org_name,
    mustChangePassword: user.must_change_password,
    totpEnabled: user.totp_enabled,
  };
}

/** The session a token opens, or null when unknown, idle for 30 minutes, or past 12 hours. */
export async function getSession(
  db: Kysely<DB>,
  token: string,
  now = Date.now(),
): Promise<SessionInfo | null> {
  const tokenHash = hashToken(token);
  const s = await repo.findSession(db, tokenHash);
  if (!s) return null;
  const lastSeen = new Date(s.last_seen_at).getTime();
  if (s.expires_at.getTime() <= now || lastSeen + IDLE_MINUTES * 60000 <= now) {
    await repo.deleteSession(db, tokenHash);
    return null;
  }
  const user = await repo.findUser(db, s.county_id, s.user_id);
  if (!user || user.status !== 'active') {
    await repo.deleteSession(db, tokenHash);
    return null;
  }
  if (now - lastSeen > TOUCH_EVERY_MS) await repo.touchSession(db, s.county_id, tokenHash, new Date(now));
  return sessionInfo(user, token, s.csrf_token);
}

export async function signOut(db: Kysely<DB>, session: SessionInfo, ip: string) {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, hashToken(session.token));
    await recordAuditAlone(
      trx,
      session.countyId,
      { userId: session.actor.userId, username: session.actor.username, ip },
      {
        action: 'auth.sign_out',
        targetType: 'user',
        targetId: session.actor.userId,
      },
    );
  });
}

function policyError(problem: { zh: string; en: string }, field: string) {
  return new AppError(400, 'weak_password', problem.zh, problem.en, field);
}

/** Changes one's own password; other sessions of the account end. */
export async function changePassword(
  db: Kysely<DB>,
  session: SessionInfo,
  input: { currentPassword: string; newPassword: string },
  ip: string,
) {
  const user = await repo.findUser(db, session.countyId, session.actor.userId);
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError(
      400,
      'bad_password',
      '当前密码不正确',
      'the current password is wrong',
      'currentPassword',
    );
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError(
      400,
      'same_password',
      '新密码不能与当前密码相同',
      'the new password must differ',
      'newPassword',
    );
  }
  const problem = checkPasswordPolicy(input.newPassword, user);
  if (problem) throw policyError(problem, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    await repo.updateUserRow(trx, user.county_id, user.id, {
      password_hash: passwordHash,
      must_change_password: false,
    });
    await repo.deleteUserSessions(trx, user.county_id, user.id, hashToken(session.token));
    await recordAuditAlone(
      trx,
      user.county_id,
      { userId: user.id, username: user.username, ip },
      {
        action: 'auth.password_change',
        targetType: 'user',
        targetId: user.id,
      },
    );
  });
}

/** Sets a new password with a one-time reset token an administrator issued. */
export async function resetPassword(
  db: Kysely<DB>,
  input: { token: string; newPassword: string },
  ip: string,
  now = Date.now(),
) {
  const tokenHash = hashToken(input.token);
  const t = await repo.findResetToken(db, tokenHash);
  // Checked here for a clear answer; the conditional update below is what makes it one use only.
  if (!t || t.used_at || t.expires_at.getTime() <= now) {
    throw new AppError(
      400,
      'bad_token',
      '重置链接无效或已过期，请联系管理员重新发放',
      'the reset token is invalid or expired',
      'token',
    );
  }
  const user = await repo.findUser(db, t.county_id, t.user_id);
  if (!user) throw new AppError(400, 'bad_token', '重置链接无效', 'the reset token is invalid', 'token');
  const problem = checkPasswordPolicy(input.newPassword, user);
  if (problem) throw policyError(problem, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    if (!(await repo.useResetToken(trx, t.county_id, tokenHash, new Date(now)))) {
      throw new AppError(
        400,
        'bad_token',
        '重置链接已被使用或已过期',
        'the reset token was used or expired',
        'token',
      );
    }
    await repo.updateUserRow(trx, user.county_id, user.id, {
      password_hash: passwordHash,
      must_change_password: false,
    });
    await repo.clearFailures(trx, user.county_id, user.id);
    await repo.deleteUserSessions(trx, user.county_id, user.id);
    await recordAuditAlone(
      trx,
      user.county_id,
      { userId: user.id, username: user.username, ip },
      {
        action: 'auth.password_reset',
        targetType: 'user',
        targetId: user.id,
      },
    );
  });
}

/**
 * Starts TOTP enrolment: a new secret, required only once a code from it is confirmed. Refused
 * while 2FA is on, so a stolen session alone cannot switch it off; an administrator's password
 * reset is the way back for a lost phone.
 */
export async function beginTotp(db: Kysely<DB>, keyring: TotpKeyring, session: SessionInfo, ip: string) {
  const user = await repo.findUser(db, session.countyId, session.actor.userId);
  if (user?.totp_enabled) {
    throw new AppError(
      409,
      'totp_enabled',
      '已启用身份验证器；如需更换请联系管理员',
      'two-factor sign-in is already on; ask an administrator to reset it',
    );
  }
  const key = keyring.key();
  if (!key) throw keyUnavailable();
  const secret = newTotpSecret();
  await db.transaction().execute(async (trx) => {
    await repo.updateUserRow(trx, session.countyId, session.actor.userId, {
      totp_secret: sealSecret(key, secret, session.countyId, session.actor.userId),
      totp_enabled: false,
      totp_last_step: null,
    });
    await recordAuditAlone(
      trx,
      session.countyId,
      { userId: session.actor.userId, username: session.actor.username, ip },
      {
        action: 'auth.totp_setup',
        targetType: 'user',
        targetId: session.actor.userId,
      },
    );
  });
  return { secret, otpauthUrl: otpauthUrl(secret, session.actor.username) };
}

export async function enableTotp(
  db: Kysely<DB>,
  keyring: TotpKeyring,
  session: SessionInfo,
  code: string,
  ip: string,
) {
  const user = await repo.findUser(db, session.countyId, session.actor.userId);
  const step = user?.totp_secret
    ? verifyTotp(
        openSecret(keyring, user.totp_secret, user.county_id, user.id),
        code,
        Date.now(),
        user.totp_last_step,
      )
    : null;
  if (!user || step === null) {
    throw new AppError(400, 'bad_totp', '动态码错误，请核对手机时间后重试', 'wrong one-time code', 'code');
  }
  await db.transaction().execute(async (trx) => {
    await repo.updateUserRow(trx, user.county_id, user.id, { totp_enabled: true, totp_last_step: step });
    await recordAuditAlone(
      trx,
      user.county_id,
      { userId: user.id, username: user.username, ip },
      {
        action: 'auth.totp_enable',
        targetType: 'user',
        targetId: user.id,
      },
    );
  });
}

/**
 * At start: seals the TOTP secrets earlier versions stored in plain text. Refuses to start when
 * sealed secrets exist but no key can be had (their accounts could not sign in), or when 2FA is
 * required of some role but no key is configured (those accounts could do nothing). Returns how
 * many were sealed and how many stay plain (a server database without a key).
 */
export async function prepareTotpSecrets(
  db: Kysely<DB>,
  keyring: TotpKeyring,
  required: boolean,
): Promise<{ sealed: number; plainLeft: number }> {
  const rows = await repo.listTotpSecrets(db);
  const plain = rows.filter((r) => !isSealed(r.totp_secret));
  if (!keyring.source) {
    if (rows.length > plain.length) {
      throw new Error(
        '数据库中有已加密的身份验证器密钥，但未配置 GONGJIAN_SECRET_KEY / the database holds sealed TOTP secrets but GONGJIAN_SECRET_KEY is not set',
      );
    }
    if (required) {
      throw new Error(
        '已要求身份验证器（GONGJIAN_REQUIRE_2FA），服务器数据库还须配置 GONGJIAN_SECRET_KEY / GONGJIAN_REQUIRE_2FA on a server database needs GONGJIAN_SECRET_KEY',
      );
    }
    return { sealed: 0, plainLeft: plain.length };
  }
  const anySealed = rows.find((r) => isSealed(r.totp_secret));
  if (anySealed) {
    // A lost or changed key shows now, not as every such account failing to sign in.
    if (!keyring.key(false)) {
      throw new Error(
        `身份验证器密钥文件不见了 / the key file ${keyring.source} is missing but the database holds sealed TOTP secrets`,
      );
    }
    try {
      openSecret(keyring, anySealed.totp_secret, anySealed.county_id, anySealed.id);
    } catch {
      throw new Error(
        `身份验证器密钥与数据库不符 / the key (${keyring.source}) does not open the sealed TOTP secrets`,
      );
    }
  }
  if (!plain.length) return { sealed: 0, plainLeft: 0 };
  const key = keyring.key();
  if (!key) throw keyUnavailable();
  let sealed = 0;
  await db.transaction().execute(async (trx) => {
    for (const r of plain) {
      sealed += await repo.replaceTotpSecret(
        trx,
        r.county_id,
        r.id,
        r.totp_secret,
        sealSecret(key, r.totp_secret, r.county_id, r.id),
      );
    }
  });
  return { sealed, plainLeft: plain.length - sealed };
}
