import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, makeTownship, signIn, TEST_PASSWORD, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import type { Role } from '../../domain/access.ts';
import { createAccountWithPassword, issuePasswordReset } from './service.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
type Client = Awaited<ReturnType<typeof signIn>>;

describe.each(dbTargets())('accounts and roles on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;
  let seq = 0;
  const nextName = () => `us_${target.name.slice(0, 3)}_${++seq}`;

  /** An account with TEST_PASSWORD, made directly (not through the API under test). */
  async function account(role: Role = 'branch_secretary', orgId?: number) {
    const username = nextName();
    const id = await createAccountWithPassword(
      database.db,
      t.county.id,
      { username, displayName: `账号${seq}`, orgId: orgId ?? a.villages[0]!.branch.id, role },
      TEST_PASSWORD,
    );
    return { id, username };
  }
  const meOf = async (client: Client) =>
    (await client.inject({ method: 'GET', url: '/api/auth/me' })).json() as { userId: number; role: string };
  const userRow = (id: number) =>
    database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const countUsers = async () =>
    Number(
      (
        await database.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const audit = (action: string, targetId?: number) => {
    let q = database.db.selectFrom('audit_log').selectAll().where('action', '=', action);
    if (targetId !== undefined) q = q.where('target_id', '=', String(targetId));
    return q.orderBy('id').execute();
  };
  const me = (raw: FastifyInstance, cookie: string) =>
    raw.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369940', name: '户县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  describe('creating accounts', () => {
    it('lets a county administrator create an account and returns a one-time password once', async () => {
      const username = nextName();
      const res = await app.inject({
        method: 'POST',
        url: '/api/users',
        payload: {
          username,
          displayName: '王书记',
          phone: '139 1234 5601',
          orgId: a.villages[0]!.branch.id,
          role: 'branch_secretary',
        },
      });
      expect(res.statusCode).toBe(201);
      const { user, oneTimePassword } = res.json();
      expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{14}$/);
      expect(user).toMatchObject({
        username,
        role: 'branch_secretary',
        mustChangePassword: true,
        phone: '139****5601',
        orgId: a.villages[0]!.branch.id,
      });
      const row = await userRow(user.id);
      expect(row.must_change_password).toBe(true);
      expect(row.password_hash).not.toContain(oneTimePassword);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      const again = await app.inject({ method: 'GET', url: `/api/users/${user.id}` });
      expect(again.statusCode).toBe(200);
      expect(again.body).not.toContain(oneTimePassword);
      const created = await audit('user.create', user.id);
      expect(created).toHaveLength(1);
      expect(created[0]!.details).toMatchObject({ role: 'branch_secretary' });
      expect(JSON.stringify(created)).not.toContain(oneTimePassword);
    });

    it('makes the new user change the one-time password before anything else', async () => {
      const username = nextName();
      const created = await app.inject({
        method: 'POST',
        url: '/api/users',
        payload: { username, displayName: '李委员', orgId: a.committee.id, role: 'committee_staff' },
      });
      const { oneTimePassword } = created.json();
      const client = await signIn(app.raw, username, oneTimePassword);
      expect(await meOf(client)).toMatchObject({ mustChangePassword: true });
      for (const url of ['/api/orgs/tree?depth=1', '/api/members', '/api/users']) {
        const res = await client.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(403);
        expect(res.json().error.code, url).toBe('password_change_required');
      }
      const write = await client.inject({
        method: 'POST',
        url: '/api/orgs',
        payload: { parentId: a.committee.id, name: '未改密码党支部', kind: 'branch', sector: 'agency' },
      });
      expect(write.statusCode).toBe(403);
      expect(write.json().error.code).toBe('password_change_required');

      const changed = await client.inject({
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: oneTimePassword, newPassword: 'My-own-secret-2026' },
      });
      expect(changed.statusCode).toBe(200);
      expect((await client.inject({ method: 'GET', url: '/api/orgs/tree?depth=1' })).statusCode).toBe(200);
      expect(await meOf(client)).toMatchObject({ mustChangePassword: false });
    });

    it('refuses account creation to committee staff (403) and audits the denial as access.denied', async () => {
      const staff = await app.as('committee_staff', a.committee.id);
      const staffId = (await meOf(staff)).userId;
      const before = await countUsers();
      const res = await staff.inject({
        method: 'POST',
        url: '/api/users',
        payload: { username: nextName(), displayName: '越权', orgId: a.committee.id, role: 'county_admin' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
      expect(await countUsers()).toBe(before);
      const denied = (await audit('access.denied')).filter((r) => r.user_id === staffId);
      expect(denied).toHaveLength(1);
      expect(denied[0]!.result).toBe('denied');
      expect(denied[0]!.details).toMatchObject({ action: 'user.manage', route: '/api/users' });
    });

    it('answers 409 for a taken account name and creates nothing', async () => {
      const taken = await account();
      const before = await countUsers();
      const res = await app.inject({
        method: 'POST',
        url: '/api/users',
        payload: { username: taken.username, displayName: '重名', orgId: a.committee.id, role: 'auditor' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.field).toBe('username');
      expect(await countUsers()).toBe(before);
    });

    it('keeps an administrator of one township from creating accounts in another (400 orgId)', async () => {
      const townAdmin = await app.as('county_admin', a.committee.id);
      const before = await countUsers();
      const res = await townAdmin.inject({
        method: 'POST',
        url: '/api/users',
        payload: {
          username: nextName(),
          displayName: '越界',
          orgId: b.committee.id,
          role: 'committee_staff',
        },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('orgId');
      expect(await countUsers()).toBe(before);
    });

    it('answers 409 conflict (from the unique key) for an account name taken outside the creator’s subtree', async () => {
      const elsewhere = await account('branch_secretary', b.villages[0]!.branch.id);
      const townAdmin = await app.as('county_admin', a.committee.id);
      const res = await townAdmin.inject({
        method: 'POST',
        url: '/api/users',
        payload: {
          username: elsewhere.username,
          displayName: '同名',
          orgId: a.committee.id,
          role: 'auditor',
        },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('conflict');
      const rows = await database.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', elsewhere.username)
        .execute();
      expect(rows).toHaveLength(1);
    });

    it('refuses unknown fields such as countyId or isAdmin with 400 naming the field', async () => {
      for (const extra of [{ countyId: 99 }, { isAdmin: true }, { mustChangePassword: false }]) {
        const before = await countUsers();
        const res = await app.inject({
          method: 'POST',
          url: '/api/users',
          payload: {
            username: nextName(),
            displayName: '多字段',
            orgId: a.committee.id,
            role: 'auditor',
            ...extra,
          },
        });
        const field = Object.keys(extra)[0]!;
        expect(res.statusCode, field).toBe(400);
        expect(res.json().error.field, field).toContain(field);
        expect(await countUsers()).toBe(before);
      }
    });
  });

  describe('roles and status', () => {
    it('audits a role change as user.role_change with from and to, and the new role applies at once', async () => {
      const u = await account('branch_secretary');
      const client = await signIn(app.raw, u.username, TEST_PASSWORD);
      expect((await client.inject({ method: 'GET', url: '/api/users' })).statusCode).toBe(403);
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/users/${u.id}`,
        payload: { role: 'committee_staff' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().role).toBe('committee_staff');
      const changes = await audit('user.role_change', u.id);
      expect(changes).toHaveLength(1);
      expect(changes[0]!.details).toEqual({ from: 'branch_secretary', to: 'committee_staff' });
      // The running session reads the role afresh: committee staff may list accounts.
      expect((await client.inject({ method: 'GET', url: '/api/users' })).statusCode).toBe(200);
    });

    it('writes no user.role_change when only the display name changes', async () => {
      const u = await account('auditor', t.rootOrg.id);
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/users/${u.id}`,
        payload: { displayName: '新名字' },
      });
      expect(res.statusCode).toBe(200);
      expect(await audit('user.role_change', u.id)).toHaveLength(0);
      expect(await audit('user.update', u.id)).toHaveLength(1);
    });

    it('does not let a user change their own role or status', async () => {
      const admin = await app.as('county_admin');
      const adminId = (await meOf(admin)).userId;
      for (const payload of [{ role: 'auditor' }, { status: 'disabled' }]) {
        const res = await admin.inject({ method: 'PATCH', url: `/api/users/${adminId}`, payload });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.code).toBe('self_change');
      }
      const row = await userRow(adminId);
      expect(row.role).toBe('county_admin');
      expect(row.status).toBe('active');
      expect(await audit('user.role_change', adminId)).toHaveLength(0);
    });

    it('does not let committee staff or a branch secretary change anyone’s role, their own included', async () => {
      for (const role of ['committee_staff', 'branch_secretary'] as const) {
        const client = await app.as(role, a.committee.id);
        const self = (await meOf(client)).userId;
        const res = await client.inject({
          method: 'PATCH',
          url: `/api/users/${self}`,
          payload: { role: 'county_admin' },
        });
        expect(res.statusCode, role).toBe(403);
        expect((await userRow(self)).role).toBe(role);
      }
    });

    it('ends a disabled account’s session at once and answers its sign-in like a wrong password', async () => {
      const u = await account();
      const client = await signIn(app.raw, u.username, TEST_PASSWORD);
      const res = await app.inject({
        method: 'PATCH',
        url: `/api/users/${u.id}`,
        payload: { status: 'disabled' },
      });
      expect(res.statusCode).toBe(200);
      expect((await me(app.raw, client.cookie)).statusCode).toBe(401);
      const again = await app.raw.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { account: u.username, password: TEST_PASSWORD },
      });
      expect(again.statusCode).toBe(401);
      expect(again.json().error.code).toBe('bad_credentials');
    });

    it('shows committee staff the accounts of their own subtree only', async () => {
      const inA = await account('branch_secretary', a.villages[1]!.branch.id);
      const inB = await account('branch_secretary', b.villages[1]!.branch.id);
      const staff = await app.as('committee_staff', a.committee.id);
      const list = await staff.inject({ method: 'GET', url: '/api/users?pageSize=500' });
      expect(list.statusCode).toBe(200);
      const ids = list.json().items.map((u: { id: number }) => u.id);
      expect(ids).toContain(inA.id);
      expect(ids).not.toContain(inB.id);
      expect((await staff.inject({ method: 'GET', url: `/api/users/${inB.id}` })).statusCode).toBe(404);
      expect(list.body).not.toMatch(/password_?hash|totp_?secret|\$argon2/i);
    });
  });

  describe('password reset tokens', () => {
    /**
     * Issues a token with the service itself, outside a request's scoped transaction: issuing it
     * through the route deadlocks the embedded database (see the next describe), which would stall
     * every later test of the file.
     */
    const issue = async (id: number) => {
      const adminId = (
        await database.db
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'county_admin')
          .orderBy('id')
          .executeTakeFirstOrThrow()
      ).id;
      return issuePasswordReset(
        {
          db: database.db,
          countyId: t.county.id,
          actor: {
            userId: adminId,
            username: 'admin',
            role: 'county_admin',
            orgId: t.rootOrg.id,
            orgPath: t.rootOrg.path,
            memberId: null,
          },
        },
        id,
      );
    };
    const reset = (token: string, newPassword: string) =>
      app.raw.inject({ method: 'POST', url: '/api/auth/reset-password', payload: { token, newPassword } });
    const signInStatus = async (username: string, password: string) =>
      (
        await app.raw.inject({
          method: 'POST',
          url: '/api/auth/sign-in',
          payload: { account: username, password },
        })
      ).statusCode;

    beforeAll(async () => {
      await app.inject({ method: 'GET', url: '/api/auth/me' }); // the default administrator exists
    });

    it('a token valid 24 hours works once, ends the user’s sessions, and is stored only as a hash', async () => {
      const u = await account();
      const session = await signIn(app.raw, u.username, TEST_PASSWORD);
      const { token, expiresAt } = await issue(u.id);
      const hours = (Date.parse(expiresAt) - Date.now()) / 3600_000;
      expect(hours).toBeGreaterThan(23.9);
      expect(hours).toBeLessThanOrEqual(24);
      const stored = await database.db.selectFrom('password_reset_tokens').selectAll().execute();
      expect(JSON.stringify(stored)).not.toContain(token);
      expect(stored.map((r) => r.token_hash)).toContain(sha256(token));

      const used = await reset(token, 'Reset-by-token-2026');
      expect(used.statusCode).toBe(200);
      expect((await me(app.raw, session.cookie)).statusCode).toBe(401);
      expect(await signInStatus(u.username, TEST_PASSWORD)).toBe(401);
      expect(await signInStatus(u.username, 'Reset-by-token-2026')).toBe(200);
      expect(await audit('auth.password_reset', u.id)).toHaveLength(1);

      const twice = await reset(token, 'Second-use-of-token-1');
      expect(twice.statusCode).toBe(400);
      expect(twice.json().error.code).toBe('bad_token');
      expect(await signInStatus(u.username, 'Second-use-of-token-1')).toBe(401);
    });

    it('refuses an expired token and changes nothing', async () => {
      const u = await account();
      const { token } = await issue(u.id);
      await sql`UPDATE password_reset_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = ${sha256(token)}`.execute(
        database.db,
      );
      const res = await reset(token, 'Too-late-password-1');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('bad_token');
      expect(await signInStatus(u.username, TEST_PASSWORD)).toBe(200);
    });

    it('refuses a weak new password without using up the token', async () => {
      const u = await account();
      const { token } = await issue(u.id);
      const weak = await reset(token, 'password123');
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error.code).toBe('weak_password');
      expect((await reset(token, 'Strong-enough-pass-9')).statusCode).toBe(200);
    });

    it('clears a lock when the password is reset', async () => {
      const u = await account();
      await sql`UPDATE users SET locked_until = now() + interval '10 minutes' WHERE id = ${u.id}`.execute(
        database.db,
      );
      const { token } = await issue(u.id);
      expect((await reset(token, 'Unlocked-again-2026')).statusCode).toBe(200);
      expect((await userRow(u.id)).locked_until).toBeNull();
      expect(await signInStatus(u.username, 'Unlocked-again-2026')).toBe(200);
    });

    it('lets a token be used once even when two requests race with it', async () => {
      const u = await account();
      const { token } = await issue(u.id);
      const answers = await Promise.all([
        reset(token, 'Racing-password-one1'),
        reset(token, 'Racing-password-two2'),
      ]);
      expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 400]);
      expect(await audit('auth.password_reset', u.id)).toHaveLength(1);
    });

    it('does not let committee staff issue reset tokens', async () => {
      const u = await account('branch_secretary', a.villages[0]!.branch.id);
      const staff = await app.as('committee_staff', a.committee.id);
      const res = await staff.inject({ method: 'POST', url: `/api/users/${u.id}/password-reset` });
      expect(res.statusCode).toBe(403);
      const tokens = await database.db
        .selectFrom('password_reset_tokens')
        .select('token_hash')
        .where('user_id', '=', u.id)
        .execute();
      expect(tokens).toHaveLength(0);
    });
  });
});

/**
 * Issuing a token through POST /api/users/:id/password-reset, on a database of its own: on the
 * embedded database the route deadlocks (a query on the privileged handle waits for the request's
 * own open transaction), and a deadlocked database must not stall the other tests.
 */
describe.each(dbTargets())('issuing a reset token through the API on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  const within = <T>(ms: number, p: Promise<T>) =>
    Promise.race([
      p,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)),
    ]);

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369941', name: '重置县' });
    app = await testApp(database);
  });
  afterAll(async () => {
    // A deadlocked embedded database never closes; do not wait for it.
    await within(
      3000,
      (async () => {
        await app?.close();
        await database?.dispose();
      })(),
    ).catch(() => {});
  });

  it('answers the administrator with a token that then resets the password once, and audits the issue', async () => {
    const username = `reset_${target.name.slice(0, 3)}`;
    const id = await createAccountWithPassword(
      database.db,
      t.county.id,
      { username, displayName: '待重置', orgId: t.rootOrg.id, role: 'auditor' },
      TEST_PASSWORD,
    );
    await app.inject({ method: 'GET', url: '/api/auth/me' });
    const issued = await within(5000, app.inject({ method: 'POST', url: `/api/users/${id}/password-reset` }));
    expect(issued.statusCode).toBe(200);
    const { token } = issued.json();
    const used = await app.raw.inject({
      method: 'POST',
      url: '/api/auth/reset-password',
      payload: { token, newPassword: 'Issued-by-admin-2026' },
    });
    expect(used.statusCode).toBe(200);
    const issues = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'user.password_reset_issue')
      .where('target_id', '=', String(id))
      .execute();
    expect(issues).toHaveLength(1);
  });
});
