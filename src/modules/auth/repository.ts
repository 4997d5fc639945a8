import { type Kysely, sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import type { DB } from '../../db/schema.ts';

/**
 * All SQL of accounts and sessions. Sign-in and session look-ups run before anyone's scope is
 * known, so they use the privileged handle; user management runs in the admin's scoped transaction.
 */
const USER_COLUMNS = [
  'u.county_id',
  'u.id',
  'u.org_id',
  'u.member_id',
  'u.username',
  'u.display_name',
  'u.phone',
  'u.role',
  'u.password_hash',
  'u.must_change_password',
  'u.totp_secret',
  'u.totp_enabled',
  'u.totp_last_step',
  'u.failed_attempts',
  'u.locked_until',
  'u.status',
] as const;

const withOrg = (db: Executor) =>
  db
    .selectFrom('users as u')
    .innerJoin('orgs as o', (j) => j.onRef('o.county_id', '=', 'u.county_id').onRef('o.id', '=', 'u.org_id'))
    .innerJoin('counties as c', 'c.id', 'u.county_id')
    .select(USER_COLUMNS)
    .select(['o.path as org_path', 'o.name as org_name', 'c.code as county_code']);

export const findUserForSignIn = (db: Kysely<DB>, account: string) =>
  withOrg(db)
    .where((eb) => eb.or([eb('u.username', '=', account), eb('u.phone', '=', account)]))
    .where('u.status', '=', 'active')
    .orderBy('u.id')
    .execute();

export type UserWithOrg = Awaited<ReturnType<typeof findUserForSignIn>>[number];

export const findUser = (db: Executor, countyId: number, id: number) =>
  withOrg(db).where('u.county_id', '=', countyId).where('u.id', '=', id).executeTakeFirst();

export const usernameTaken = async (db: Executor, username: string) =>
  (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) !==
  undefined;

export const phoneTaken = async (db: Executor, phone: string) =>
  (await db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst()) !== undefined;

export const recordFailure = (db: Executor, countyId: number, id: number, lockUntil: Date | null) =>
  db
    .updateTable('users')
    .set(
      lockUntil
        ? { failed_attempts: 0, locked_until: lockUntil }
        : { failed_attempts: sql<number>`failed_attempts + 1` },
    )
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .execute();

export const clearFailures = (db: Executor, countyId: number, id: number) =>
  db
    .updateTable('users')
    .set({ failed_attempts: 0, locked_until: null })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .execute();

export const insertUser = async (
  db: Executor,
  row: {
    county_id: number;
    org_id: number;
    member_id: number | null;
    username: string;
    display_name: string;
    phone: string | null;
    role: string;
    password_hash: string;
    must_change_password: boolean;
  },
) => (await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow()).id;

export const updateUserRow = (
  db: Executor,
  countyId: number,
  id: number,
  patch: Partial<{
    org_id: number;
    member_id: number | null;
    display_name: string;
    phone: string | null;
    role: string;
    status: 'active' | 'disabled';
    password_hash: string;
    must_change_password: boolean;
    totp_secret: string | null;
    totp_enabled: boolean;
    totp_last_step: number | null;
  }>,
) =>
  db
    .updateTable('users')
    .set({ ...patch, updated_at: new Date() })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .execute();

export async function listUsers(
  db: Executor,
  countyId: number,
  f: { underPath?: string; role?: string; limit: number; offset: number },
) {
  let q = db
    .selectFrom('users as u')
    .innerJoin('orgs as o', (j) => j.onRef('o.county_id', '=', 'u.county_id').onRef('o.id', '=', 'u.org_id'))
    .where('u.county_id', '=', countyId);
  if (f.underPath) q = q.where(sql<boolean>`o.path <@ ${f.underPath}::ltree`);
  if (f.role) q = q.where('u.role', '=', f.role);
  const [items, total] = await Promise.all([
    q
      .innerJoin('counties as c', 'c.id', 'u.county_id')
      .select(USER_COLUMNS)
      .select(['o.path as org_path', 'o.name as org_name', 'c.code as county_code'])
      .orderBy('u.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

// Sessions: only hashes of tokens are stored, so a copy of the database opens no session.
export const insertSession = (
  db: Kysely<DB>,
  row: {
    county_id: number;
    token_hash: string;
    user_id: number;
    csrf_token: string;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  },
) => db.insertInto('sessions').values(row).execute();

export const findSession = (db: Kysely<DB>, tokenHash: string) =>
  db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

export const touchSession = (db: Kysely<DB>, countyId: number, tokenHash: string, at: Date) =>
  db
    .updateTable('sessions')
    .set({ last_seen_at: at })
    .where('county_id', '=', countyId)
    .where('token_hash', '=', tokenHash)
    .execute();

export const deleteSession = (db: Kysely<DB>, tokenHash: string) =>
  db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();

export const deleteUserSessions = (db: Kysely<DB>, countyId: number, userId: number, exceptHash?: string) => {
  let q = db.deleteFrom('sessions').where('county_id', '=', countyId).where('user_id', '=', userId);
  if (exceptHash) q = q.where('token_hash', '<>', exceptHash);
  return q.execute();
};

export const insertResetToken = (
  db: Executor,
  row: { county_id: number; token_hash: string; user_id: number; expires_at: Date },
) => db.insertInto('password_reset_tokens').values(row).execute();

export const findResetToken = (db: Kysely<DB>, tokenHash: string) =>
  db.selectFrom('password_reset_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();

/** Marks a token used if it is still unused and unexpired; false when another request got there first. */
export const useResetToken = async (db: Kysely<DB>, countyId: number, tokenHash: string, now: Date) =>
  (
    await db
      .updateTable('password_reset_tokens')
      .set({ used_at: now })
      .where('county_id', '=', countyId)
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst()
  ).numUpdatedRows === 1n;

/** Every stored TOTP secret (sealed or, from before sealing existed, plain), for sealing at start. */
export const listTotpSecrets = async (db: Kysely<DB>) =>
  (await db
    .selectFrom('users')
    .select(['county_id', 'id', 'totp_secret'])
    .where('totp_secret', 'is not', null)
    .execute()) as { county_id: number; id: number; totp_secret: string }[];

/** Replaces a secret only if it is still the one read, so a set-up meanwhile is not overwritten. */
export const replaceTotpSecret = async (
  db: Executor,
  countyId: number,
  id: number,
  was: string,
  sealed: string,
) =>
  Number(
    (
      await db
        .updateTable('users')
        .set({ totp_secret: sealed })
        .where('county_id', '=', countyId)
        .where('id', '=', id)
        .where('totp_secret', '=', was)
        .executeTakeFirst()
    ).numUpdatedRows,
  );
