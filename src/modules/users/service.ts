import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ROLE_LABELS, type Role } from '../../domain/access.ts';
import { normalizePhone } from '../../domain/members.ts';
import { AppError, conflict, fieldError, invalid, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords.ts';
import * as authRepo from '../auth/repository.ts';
import { hashToken, newToken } from '../auth/service.ts';
import { type ServiceContext, withTransaction } from '../context.ts';
import { findCountyByCode } from '../counties/repository.ts';
import { findOrg, findRootOrg } from '../orgs/repository.ts';
import type { CreateUserInput, UpdateUserInput, UserListQuery } from './schemas.ts';

const RESET_HOURS = 24;
const READABLE = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';

/** A one-time password the administrator hands over; it must be changed at first sign-in. */
export function oneTimePassword(length = 14): string {
  let out = '';
  for (let i = 0; i < length; i++) out += READABLE[randomInt(READABLE.length)];
  return out;
}

export const presentUser = (u: authRepo.UserWithOrg) => ({
  id: u.id,
  username: u.username,
  displayName: u.display_name,
  phone: u.phone ? `${u.phone.slice(0, 3)}****${u.phone.slice(-4)}` : null,
  role: u.role,
  roleLabel: ROLE_LABELS[u.role as Role]?.zh ?? u.role,
  orgId: u.org_id,
  orgName: u.org_name,
  memberId: u.member_id,
  status: u.status,
  mustChangePassword: u.must_change_password,
  totpEnabled: u.totp_enabled,
  lockedUntil: u.locked_until ? u.locked_until.toISOString() : null,
});

export async function listUsers(ctx: ServiceContext, q: UserListQuery) {
  const under = q.under === undefined ? undefined : await findOrg(ctx.db, ctx.countyId, q.under);
  if (q.under !== undefined && !under) throw notFound('组织', 'Organisation');
  const { items, total } = await authRepo.listUsers(ctx.db, ctx.countyId, {
    underPath: under?.path,
    role: q.role,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { items: items.map(presentUser), total, page: q.page, pageSize: q.pageSize };
}

export async function getUser(ctx: ServiceContext, id: number) {
  const u = await authRepo.findUser(ctx.db, ctx.countyId, id);
  if (!u) throw notFound('账号', 'Account');
  return presentUser(u);
}

async function insertAccount(
  db: Kysely<DB>,
  countyId: number,
  input: {
    username: string;
    displayName: string;
    phone?: string | null;
    orgId: number;
    memberId?: number | null;
    role: Role;
  },
  password: string,
  mustChange: boolean,
) {
  if (await authRepo.usernameTaken(db, input.username))
    throw conflict('账号名已被使用', 'the account name is taken', 'username');
  let phone: string | null = null;
  if (input.phone) {
    const p = normalizePhone(input.phone);
    if (!p.ok) throw fieldError([{ field: 'phone', message: p.message }]);
    phone = p.value;
    if (await authRepo.phoneTaken(db, phone))
      throw conflict('该手机号已绑定其他账号', 'the phone is bound to another account', 'phone');
  }
  return authRepo.insertUser(db, {
    county_id: countyId,
    org_id: input.orgId,
    member_id: input.memberId ?? null,
    username: input.username,
    display_name: input.displayName,
    phone,
    role: input.role,
    password_hash: await hashPassword(password),
    must_change_password: mustChange,
  });
}

/** An administrator creates an account in their subtree; it starts with a one-time password. */
export async function createUser(ctx: ServiceContext, input: CreateUserInput) {
  return withTransaction(ctx.db, async (db) => {
    const org = await findOrg(db, ctx.countyId, input.orgId);
    if (!org)
      throw invalid(
        'orgId',
        '所属组织不存在或不在管理范围内',
        'the organisation does not exist or is outside your scope',
      );
    if (input.memberId != null) {
      const m = await db
        .selectFrom('members')
        .select('id')
        .where('county_id', '=', ctx.countyId)
        .where('id', '=', input.memberId)
        .executeTakeFirst();
      if (!m) throw invalid('memberId', '对应的党员不存在', 'the member does not exist');
    }
    const password = oneTimePassword();
    const id = await insertAccount(db, ctx.countyId, input, password, true);
    await recordAudit(
      { ...ctx, db },
      {
        action: 'user.create',
        targetType: 'user',
        targetId: id,
        details: { role: input.role, orgId: input.orgId },
      },
    );
    return { user: presentUser((await authRepo.findUser(db, ctx.countyId, id))!), oneTimePassword: password };
  });
}

/** Changes an account's role, organisation or status; a role change is audited as such. */
export async function updateUser(ctx: ServiceContext, id: number, input: UpdateUserInput) {
  return withTransaction(ctx.db, async (db) => {
    const u = await authRepo.findUser(db, ctx.countyId, id);
    if (!u) throw notFound('账号', 'Account');
    if (ctx.actor?.userId === id && (input.role !== undefined || input.status !== undefined)) {
      throw new AppError(
        400,
        'self_change',
        '不能修改自己的角色或状态',
        'you cannot change your own role or status',
        'role',
      );
    }
    if (input.orgId !== undefined && !(await findOrg(db, ctx.countyId, input.orgId))) {
      throw invalid(
        'orgId',
        '所属组织不存在或不在管理范围内',
        'the organisation does not exist or is outside your scope',
      );
    }
    await authRepo.updateUserRow(db, ctx.countyId, id, {
      ...(input.role !== undefined && { role: input.role }),
      ...(input.orgId !== undefined && { org_id: input.orgId }),
      ...(input.status !== undefined && { status: input.status }),
      ...(input.displayName !== undefined && { display_name: input.displayName }),
    });
    if (input.role !== undefined && input.role !== u.role) {
      await recordAudit(
        { ...ctx, db },
        {
          action: 'user.role_change',
          targetType: 'user',
          targetId: id,
          details: { from: u.role, to: input.role },
        },
      );
    }
    await recordAudit(
      { ...ctx, db },
      { action: 'user.update', targetType: 'user', targetId: id, details: { fields: Object.keys(input) } },
    );
    return presentUser((await authRepo.findUser(db, ctx.countyId, id))!);
  });
}

/** A one-time reset token, valid 24 hours, for the administrator to hand to the user. */
export async function issuePasswordReset(ctx: ServiceContext, id: number) {
  const u = await authRepo.findUser(ctx.db, ctx.countyId, id);
  if (!u) throw notFound('账号', 'Account');
  const token = newToken();
  const expiresAt = new Date(Date.now() + RESET_HOURS * 3600_000);
  // In the administrator's own transaction (PGlite has one connection: a second handle would wait on
  // it for ever). The application role may insert tokens but never read them.
  await authRepo.insertResetToken(ctx.db, {
    county_id: ctx.countyId,
    token_hash: hashToken(token),
    user_id: id,
    expires_at: expiresAt,
  });
  await recordAudit(ctx, { action: 'user.password_reset_issue', targetType: 'user', targetId: id });
  return { token, expiresAt: expiresAt.toISOString() };
}

/**
 * The first administrator of a county on a server database (CLI). Prints a one-time password
 * that must be changed at first sign-in.
 */
export async function createFirstAdmin(
  db: Kysely<DB>,
  input: { countyCode: string; name: string; username?: string; phone?: string },
) {
  const county = await findCountyByCode(db, input.countyCode);
  if (!county)
    throw invalid('org', `未找到县代码${input.countyCode}`, `no county with code ${input.countyCode}`);
  const root = await findRootOrg(db, county.id);
  if (!root) throw invalid('org', '该县没有根组织', 'the county has no root organisation');
  const password = oneTimePassword();
  const username = input.username ?? 'admin';
  const id = await db.transaction().execute(async (trx) => {
    const userId = await insertAccount(
      trx,
      county.id,
      { username, displayName: input.name, phone: input.phone, orgId: root.id, role: 'county_admin' },
      password,
      true,
    );
    await recordAudit(
      { db: trx, countyId: county.id },
      {
        action: 'user.create',
        targetType: 'user',
        targetId: userId,
        details: { role: 'county_admin', via: 'cli' },
      },
    );
    return userId;
  });
  return { id, username, password, county };
}

/** Demo and test accounts with a known password (no forced change). */
export async function createAccountWithPassword(
  db: Kysely<DB>,
  countyId: number,
  input: {
    username: string;
    displayName: string;
    orgId: number;
    memberId?: number | null;
    role: Role;
    phone?: string | null;
  },
  password: string,
) {
  const problem = checkPasswordPolicy(password, input);
  if (problem) throw new AppError(400, 'weak_password', problem.zh, problem.en, 'password');
  return insertAccount(db, countyId, input, password, false);
}
