import { createHash, randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, makeTownship, signIn, TEST_PASSWORD, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { buildApp } from '../../app.ts';
import { ACTIONS, can, ROLE_LABELS, type Role } from '../../domain/access.ts';
import { createAccountWithPassword } from '../users/service.ts';
import { ABSOLUTE_HOURS, getSession, IDLE_MINUTES } from './service.ts';
import { newTotpSecret, totpAt } from './totp.ts';

const MINUTE = 60_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The `gj_session=…` pair of a sign-in answer, and its value alone. */
const cookieOf = (res: LightMyRequestResponse) => String(res.headers['set-cookie']).split(';')[0]!;
const tokenOf = (res: LightMyRequestResponse) => cookieOf(res).slice('gj_session='.length);

const postSignIn = (
  raw: FastifyInstance,
  payload: { account: string; password: string; totpCode?: string },
  extra: Partial<InjectOptions> = {},
) => raw.inject({ method: 'POST', url: '/api/auth/sign-in', payload, ...extra } as InjectOptions);

describe.each(dbTargets())('sign-in, sessions, passwords and 2FA on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let town: Awaited<ReturnType<typeof makeTownship>>;
  let seq = 0;

  /** A fresh account with TEST_PASSWORD, named so that no two targets or tests share it. */
  async function account(role: Role = 'branch_secretary', phone: string | null = null) {
    const username = `au_${target.name.slice(0, 3)}_${++seq}`;
    const orgId = role === 'county_admin' ? t.rootOrg.id : town.villages[0]!.branch.id;
    const id = await createAccountWithPassword(
      database.db,
      t.county.id,
      { username, displayName: `测试${seq}`, orgId, role, phone },
      TEST_PASSWORD,
    );
    return { id, username };
  }

  const userRow = (id: number) =>
    database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const sessionCount = async (userId: number) =>
    Number(
      (
        await database.db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('user_id', '=', userId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const auditOf = (userId: number, action: string) =>
    database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('user_id', '=', userId)
      .where('action', '=', action)
      .orderBy('id')
      .execute();
  const me = (raw: FastifyInstance, cookie: string) =>
    raw.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369930', name: '登县' });
    town = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '登镇');
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  describe('sign-in', () => {
    it('signs in by account name and by phone; /api/auth/me shows the user and its permissions', async () => {
      const u = await account('branch_secretary', '13912345670');
      const byName = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      expect(byName.statusCode).toBe(200);
      expect(byName.json()).toMatchObject({ userId: u.id, username: u.username, role: 'branch_secretary' });
      const byPhone = await postSignIn(app.raw, { account: '13912345670', password: TEST_PASSWORD });
      expect(byPhone.statusCode).toBe(200);
      expect(byPhone.json().userId).toBe(u.id);

      const res = await me(app.raw, cookieOf(byPhone));
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        userId: u.id,
        username: u.username,
        role: 'branch_secretary',
        orgId: town.villages[0]!.branch.id,
        mustChangePassword: false,
      });
      expect(body.permissions).toEqual(ACTIONS.filter((a) => can('branch_secretary', a)));
      expect(body.permissions).toContain('member.write');
      expect(body.permissions).not.toContain('user.manage');
      expect(body.permissions).not.toContain('member.unmask');

      // The web app's start: the session answers 200 signed in or not (no 401 before sign-in).
      const session = await app.raw.inject({
        method: 'GET',
        url: '/api/auth/session',
        headers: { cookie: cookieOf(byPhone) },
      });
      expect(session.statusCode).toBe(200);
      expect(session.json().user).toMatchObject({ userId: u.id, csrfToken: body.csrfToken });
      const none = await app.raw.inject({ method: 'GET', url: '/api/auth/session' });
      expect(none.statusCode).toBe(200);
      expect(none.json()).toEqual({ user: null });
      expect((await app.raw.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(401);
    });

    it('answers an unknown account and a wrong password with the same status, code and message', async () => {
      const u = await account();
      const wrong = await postSignIn(app.raw, { account: u.username, password: 'not-the-password-1' });
      const unknown = await postSignIn(app.raw, {
        account: `nobody_${target.name}`,
        password: 'not-the-password-1',
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(wrong.statusCode);
      expect(wrong.json().error.code).toBe('bad_credentials');
      expect(unknown.json()).toEqual(wrong.json());
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('sets gj_session HttpOnly, SameSite=Lax, Path=/ and not Secure over plain http', async () => {
      const u = await account();
      const res = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      const header = String(res.headers['set-cookie']);
      expect(header).toMatch(/^gj_session=[A-Za-z0-9_-]{40,};/);
      const attrs = header.split(';').map((s) => s.trim().toLowerCase());
      expect(attrs).toContain('httponly');
      expect(attrs).toContain('samesite=lax');
      expect(attrs).toContain('path=/');
      expect(attrs).not.toContain('secure');
    });

    it('over https behind a trusted proxy: __Host-gj_session, Secure, HttpOnly, Path=/, SameSite, no Domain; read back and cleared under that name', async () => {
      const proxied = await buildApp({
        database,
        config: {
          countyCode: undefined,
          logLevel: 'silent',
          dataDir: join(tmpdir(), `gongjian-auth-proxy-${process.pid}`),
          require2fa: false,
          signInPerMinute: 1000,
          trustProxy: true,
        },
      });
      const https = {
        'x-forwarded-proto': 'https',
        host: 'gj.example.cn',
        origin: 'https://gj.example.cn',
      };
      try {
        const u = await account();
        const res = await postSignIn(
          proxied,
          { account: u.username, password: TEST_PASSWORD },
          { headers: https },
        );
        expect(res.statusCode).toBe(200);
        const header = String(res.headers['set-cookie']);
        expect(header).toMatch(/^__Host-gj_session=[A-Za-z0-9_-]{40,};/);
        const attrs = header.split(';').map((s) => s.trim().toLowerCase());
        expect(attrs).toContain('secure');
        expect(attrs).toContain('httponly');
        expect(attrs).toContain('path=/');
        expect(attrs.some((a) => a === 'samesite=lax' || a === 'samesite=strict')).toBe(true);
        expect(attrs.some((a) => a.startsWith('domain'))).toBe(false);

        const pair = header.split(';')[0]!;
        const token = pair.slice('__Host-gj_session='.length);
        const csrf = res.json().csrfToken as string;
        const meOver = (cookie: string) =>
          proxied.inject({ method: 'GET', url: '/api/auth/me', headers: { ...https, cookie } });
        expect((await meOver(pair)).statusCode).toBe(200);
        // Over https only the __Host- name counts: a plain-named cookie may have been planted by a sibling host.
        expect((await meOver(`gj_session=${token}`)).statusCode).toBe(401);

        const out = await proxied.inject({
          method: 'POST',
          url: '/api/auth/sign-out',
          headers: { ...https, cookie: pair, 'x-csrf-token': csrf },
        });
        expect(out.statusCode).toBe(200);
        const cleared = String(out.headers['set-cookie']);
        expect(cleared).toMatch(/^__Host-gj_session=;/);
        expect(cleared.toLowerCase()).toContain('max-age=0');
        expect(cleared.toLowerCase()).toContain('secure');
        expect((await meOver(pair)).statusCode).toBe(401);
      } finally {
        await proxied.close();
      }
    });

    it('reads the plain gj_session name over http, and ignores a __Host- cookie there', async () => {
      const u = await account();
      const res = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      expect((await me(app.raw, cookieOf(res))).statusCode).toBe(200);
      expect((await me(app.raw, `__Host-gj_session=${tokenOf(res)}`)).statusCode).toBe(401);
    });

    it('treats a malformed session cookie as no session: 401 on /me, 200 on public and health routes, never 500', async () => {
      for (const cookie of [
        'gj_session=%E0%A4%A',
        'gj_session=%',
        'gj_session="%ZZ',
        '=%E0; gj_session=%E0%A4%A',
      ]) {
        const mine = await me(app.raw, cookie);
        expect(mine.statusCode, cookie).toBe(401);
        expect(mine.json().error.code, cookie).toBe('unauthenticated');
        const health = await app.raw.inject({ method: 'GET', url: '/api/health', headers: { cookie } });
        expect(health.statusCode, cookie).toBe(200);
        const notices = await app.raw.inject({
          method: 'GET',
          url: '/api/public/notices?county=369930',
          headers: { cookie },
        });
        expect(notices.statusCode, cookie).toBe(200);
      }
    });

    it('opens a new session (new cookie value) at every sign-in and stores only its hash', async () => {
      const u = await account();
      const first = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      const second = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      expect(tokenOf(first)).not.toBe(tokenOf(second));
      expect(await sessionCount(u.id)).toBe(2);
      const rows = await database.db.selectFrom('sessions').selectAll().where('user_id', '=', u.id).execute();
      const stored = JSON.stringify(rows);
      for (const res of [first, second]) {
        expect(stored).not.toContain(tokenOf(res));
        expect(rows.map((r) => r.token_hash)).toContain(sha256(tokenOf(res)));
      }
    });

    it('sign-out ends the session on the server: the old cookie gets 401 and its row is gone', async () => {
      const u = await account();
      const client = await signIn(app.raw, u.username, TEST_PASSWORD);
      expect((await me(app.raw, client.cookie)).statusCode).toBe(200);
      const before = await sessionCount(u.id);
      const out = await client.inject({ method: 'POST', url: '/api/auth/sign-out' });
      expect(out.statusCode).toBe(200);
      expect(String(out.headers['set-cookie'])).toMatch(/^gj_session=;.*Max-Age=0/);
      expect(await sessionCount(u.id)).toBe(before - 1);
      const after = await me(app.raw, client.cookie);
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('unauthenticated');
      expect(await auditOf(u.id, 'auth.sign_out')).toHaveLength(1);
    });

    it('answers /api/auth/me without a session, or with a made-up cookie, 401 unauthenticated', async () => {
      const none = await app.raw.inject({ method: 'GET', url: '/api/auth/me' });
      expect(none.statusCode).toBe(401);
      expect(none.json().error.code).toBe('unauthenticated');
      const forged = await me(app.raw, 'gj_session=made-up-token-0000000000000000000000000');
      expect(forged.statusCode).toBe(401);
    });
  });

  describe('lockout', () => {
    const attempts = async (accountName: string, n: number, password = 'wrong-password-xyz') => {
      const out: { status: number; body: unknown }[] = [];
      for (let i = 0; i < n; i++) {
        const res = await postSignIn(app.raw, { account: accountName, password });
        out.push({ status: res.statusCode, body: res.json() });
      }
      return out;
    };

    it('locks after five wrong passwords (423 locked), refuses the right one while locked, and audits auth.lockout', async () => {
      const u = await account();
      const answers = await attempts(u.username, 6);
      expect(answers.slice(0, 4).map((a) => a.status)).toEqual([401, 401, 401, 401]);
      expect(answers[5]!.status).toBe(423);
      expect((answers[5]!.body as { error: { code: string } }).error.code).toBe('locked');
      const right = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      expect(right.statusCode).toBe(423);
      expect(right.json().error.code).toBe('locked');
      expect(right.headers['set-cookie']).toBeUndefined();
      const row = await userRow(u.id);
      expect(row.locked_until!.getTime()).toBeGreaterThan(Date.now() + 14 * MINUTE);
      const lockouts = await auditOf(u.id, 'auth.lockout');
      expect(lockouts).toHaveLength(1);
      expect(lockouts[0]!.details).toMatchObject({ until: expect.any(String) });
    });

    it('gives an unknown account exactly the same sequence of answers as a known one', async () => {
      const u = await account();
      const known = await attempts(u.username, 6);
      const unknown = await attempts(`ghost_${target.name}_${seq}`, 6);
      // Statuses and bodies must agree at every step, or the 5th answer tells which names exist.
      expect(unknown.map((a) => a.status)).toEqual(known.map((a) => a.status));
      expect(unknown.map((a) => a.body)).toEqual(known.map((a) => a.body));
      expect(unknown[5]!.status).toBe(423);
    });

    it('unlocks once locked_until has passed: the right password works and the count restarts', async () => {
      const u = await account();
      await attempts(u.username, 5);
      expect((await userRow(u.id)).locked_until).not.toBeNull();
      await sql`UPDATE users SET locked_until = now() - interval '1 minute' WHERE id = ${u.id}`.execute(
        database.db,
      );
      const ok = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      expect(ok.statusCode).toBe(200);
      const row = await userRow(u.id);
      expect(row.locked_until).toBeNull();
      expect(row.failed_attempts).toBe(0);
      // A fresh count: four more wrong answers do not lock it again.
      expect((await attempts(u.username, 4)).map((a) => a.status)).toEqual([401, 401, 401, 401]);
    });

    it('a successful sign-in resets the failure count', async () => {
      const u = await account();
      await attempts(u.username, 4);
      expect((await userRow(u.id)).failed_attempts).toBe(4);
      expect((await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD })).statusCode).toBe(
        200,
      );
      expect((await userRow(u.id)).failed_attempts).toBe(0);
      expect((await attempts(u.username, 1))[0]!.status).toBe(401);
    });
  });

  describe('rate limiting', () => {
    let limited: Awaited<ReturnType<typeof testApp>>;
    beforeAll(async () => {
      limited = await testApp(database, { signInPerMinute: 3 });
    });
    afterAll(async () => {
      await limited?.close();
    });

    it('answers the 4th attempt from one address 429 with Retry-After, fast, without touching the account or the audit log', async () => {
      const u = await account();
      const from = { remoteAddress: '10.9.0.1' };
      const durations: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        const res = await postSignIn(
          limited.raw,
          { account: u.username, password: 'wrong-password-1' },
          from,
        );
        durations.push(performance.now() - start);
        expect(res.statusCode).toBe(401);
      }
      expect((await userRow(u.id)).failed_attempts).toBe(3);
      const auditBefore = (await auditOf(u.id, 'auth.sign_in')).length;

      const start = performance.now();
      const fourth = await postSignIn(limited.raw, { account: u.username, password: TEST_PASSWORD }, from);
      const elapsed = performance.now() - start;
      expect(fourth.statusCode).toBe(429);
      expect(fourth.json().error.code).toBe('rate_limited');
      const retryAfter = Number(fourth.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(fourth.headers['set-cookie']).toBeUndefined();
      // No password was checked: no failure counted, no audit record, and far quicker than argon2.
      expect((await userRow(u.id)).failed_attempts).toBe(3);
      expect((await auditOf(u.id, 'auth.sign_in')).length).toBe(auditBefore);
      expect(elapsed).toBeLessThan(Math.min(...durations));
    });

    it('counts each client address apart', async () => {
      const u = await account();
      for (let i = 0; i < 4; i++) {
        await postSignIn(
          limited.raw,
          { account: u.username, password: 'wrong-password-2' },
          {
            remoteAddress: '10.9.0.2',
          },
        );
      }
      const other = await postSignIn(
        limited.raw,
        { account: u.username, password: TEST_PASSWORD },
        { remoteAddress: '10.9.0.3' },
      );
      expect(other.statusCode).toBe(200);
    });

    it('every 429 carries Retry-After, the reset-password route included', async () => {
      const from = { remoteAddress: '10.9.0.4' };
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i < 4; i++) {
        last = await limited.raw.inject({
          method: 'POST',
          url: '/api/auth/reset-password',
          payload: { token: 'no-such-token-0000000', newPassword: 'Another-pass-2026!' },
          ...from,
        });
      }
      expect(last!.statusCode).toBe(429);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });
  });

  describe('session expiry', () => {
    it('refuses and removes a session idle for 31 minutes', async () => {
      const u = await account();
      const res = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      await sql`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE token_hash = ${sha256(tokenOf(res))}`.execute(
        database.db,
      );
      const after = await me(app.raw, cookieOf(res));
      expect(after.statusCode).toBe(401);
      expect(await sessionCount(u.id)).toBe(0);
    });

    it('keeps a session used 29 minutes ago', async () => {
      const u = await account();
      const res = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      await sql`UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE token_hash = ${sha256(tokenOf(res))}`.execute(
        database.db,
      );
      expect((await me(app.raw, cookieOf(res))).statusCode).toBe(200);
    });

    it('refuses a session past its absolute expiry even though it was just used', async () => {
      const u = await account();
      const res = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      expect((await me(app.raw, cookieOf(res))).statusCode).toBe(200);
      await sql`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = ${sha256(tokenOf(res))}`.execute(
        database.db,
      );
      expect((await me(app.raw, cookieOf(res))).statusCode).toBe(401);
      expect(await sessionCount(u.id)).toBe(0);
    });

    it('getSession: valid for 30 minutes of idleness, and for 12 hours at most however active', async () => {
      const u = await account();
      const t0 = Date.now();
      const res = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      const token = tokenOf(res);
      // Used every 29 minutes, it lives until the absolute limit…
      let at = t0;
      while (at + 29 * MINUTE < t0 + ABSOLUTE_HOURS * 3600_000 - MINUTE) {
        at += 29 * MINUTE;
        expect(await getSession(database.db, token, at), `at +${(at - t0) / MINUTE} min`).not.toBeNull();
      }
      // …and no further.
      expect(await getSession(database.db, token, t0 + ABSOLUTE_HOURS * 3600_000 + 1000)).toBeNull();
      expect(await sessionCount(u.id)).toBe(0);

      // Idleness counts from the last use: 29 minutes later still open, 31 minutes later closed.
      const a = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      const b = await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD });
      const t1 = Date.now();
      expect(await getSession(database.db, tokenOf(a), t1 + (IDLE_MINUTES - 1) * MINUTE)).not.toBeNull();
      expect(await getSession(database.db, tokenOf(b), t1 + (IDLE_MINUTES + 1) * MINUTE)).toBeNull();
    });
  });

  describe('passwords', () => {
    const change = (
      client: Awaited<ReturnType<typeof signIn>>,
      currentPassword: string,
      newPassword: string,
    ) =>
      client.inject({ method: 'POST', url: '/api/auth/password', payload: { currentPassword, newPassword } });

    it('requires the current password to change it; then only the new one signs in', async () => {
      const u = await account();
      const client = await signIn(app.raw, u.username, TEST_PASSWORD);
      const bad = await change(client, 'not-my-password-1', 'Brand-new-pass-77');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error).toMatchObject({ code: 'bad_password', field: 'currentPassword' });
      const ok = await change(client, TEST_PASSWORD, 'Brand-new-pass-77');
      expect(ok.statusCode).toBe(200);
      expect((await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD })).statusCode).toBe(
        401,
      );
      expect(
        (await postSignIn(app.raw, { account: u.username, password: 'Brand-new-pass-77' })).statusCode,
      ).toBe(200);
      expect(await auditOf(u.id, 'auth.password_change')).toHaveLength(1);
    });

    it('refuses a new password under 10 characters, a common one, or one containing the account name', async () => {
      const u = await account();
      const client = await signIn(app.raw, u.username, TEST_PASSWORD);
      for (const weak of ['Short-1a', '1234567890', 'password123', 'Password123', `x${u.username}2026!`]) {
        const res = await change(client, TEST_PASSWORD, weak);
        expect(res.statusCode, weak).toBe(400);
        expect(res.json().error, weak).toMatchObject({ code: 'weak_password', field: 'newPassword' });
      }
      const hash = (await userRow(u.id)).password_hash;
      expect((await postSignIn(app.raw, { account: u.username, password: TEST_PASSWORD })).statusCode).toBe(
        200,
      );
      expect((await userRow(u.id)).password_hash).toBe(hash);
    });

    it('ends the other sessions of the account after a change, and keeps this one', async () => {
      const u = await account();
      const a = await signIn(app.raw, u.username, TEST_PASSWORD);
      const b = await signIn(app.raw, u.username, TEST_PASSWORD);
      expect(await sessionCount(u.id)).toBe(2);
      expect((await change(a, TEST_PASSWORD, 'Other-strong-pass-88')).statusCode).toBe(200);
      expect((await me(app.raw, b.cookie)).statusCode).toBe(401);
      expect((await me(app.raw, a.cookie)).statusCode).toBe(200);
      expect(await sessionCount(u.id)).toBe(1);
    });

    it('stores argon2id hashes with m=19456, t=2, p=1', async () => {
      const u = await account();
      const client = await signIn(app.raw, u.username, TEST_PASSWORD);
      expect((await userRow(u.id)).password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await change(client, TEST_PASSWORD, 'Changed-pass-2026#');
      const hash = (await userRow(u.id)).password_hash;
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(hash).not.toContain('Changed-pass-2026#');
    });
  });

  describe('two-factor sign-in (require2fa)', () => {
    let strict: Awaited<ReturnType<typeof testApp>>;
    beforeAll(async () => {
      strict = await testApp(database, { require2fa: true });
    });
    afterAll(async () => {
      await strict?.close();
    });

    /** A county administrator who has set up and enabled TOTP; returns the secret. */
    async function adminWithTotp() {
      const u = await account('county_admin');
      const client = await signIn(strict.raw, u.username, TEST_PASSWORD);
      const setup = await client.inject({ method: 'POST', url: '/api/auth/totp/setup' });
      const { secret } = setup.json() as { secret: string };
      const enable = await client.inject({
        method: 'POST',
        url: '/api/auth/totp/enable',
        payload: { code: totpAt(secret, Date.now()) },
      });
      expect(enable.statusCode).toBe(200);
      return { ...u, secret, client };
    }

    it('holds a county administrator without TOTP at 403 totp_setup_required; /me says so', async () => {
      const u = await account('county_admin');
      const client = await signIn(strict.raw, u.username, TEST_PASSWORD);
      for (const url of ['/api/orgs/tree?depth=1', '/api/members', '/api/users', '/api/audit']) {
        const res = await client.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(403);
        expect(res.json().error.code, url).toBe('totp_setup_required');
      }
      expect((await client.inject({ method: 'GET', url: '/api/auth/me' })).json()).toMatchObject({
        totpEnabled: false,
        totpSetupRequired: true,
      });
    });

    it('lets the administrator set up and enable TOTP with a current code, which lifts the restriction', async () => {
      const u = await account('county_admin');
      const client = await signIn(strict.raw, u.username, TEST_PASSWORD);
      const setup = await client.inject({ method: 'POST', url: '/api/auth/totp/setup' });
      expect(setup.statusCode).toBe(200);
      const { secret, otpauthUrl } = setup.json();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(otpauthUrl).toContain(`secret=${secret}`);
      const near = new Set([-1, 0, 1].map((step) => totpAt(secret, Date.now() + step * 30_000)));
      const wrongCode = ['000000', '111111', '222222', '333333'].find((c) => !near.has(c))!;
      const wrong = await client.inject({
        method: 'POST',
        url: '/api/auth/totp/enable',
        payload: { code: wrongCode },
      });
      expect(wrong.statusCode).toBe(400);
      expect((await userRow(u.id)).totp_enabled).toBe(false);
      const ok = await client.inject({
        method: 'POST',
        url: '/api/auth/totp/enable',
        payload: { code: totpAt(secret, Date.now()) },
      });
      expect(ok.statusCode).toBe(200);
      expect((await userRow(u.id)).totp_enabled).toBe(true);
      expect((await client.inject({ method: 'GET', url: '/api/orgs/tree?depth=1' })).statusCode).toBe(200);
      expect(await auditOf(u.id, 'auth.totp_enable')).toHaveLength(1);
    });

    it('then asks every sign-in for the code: none → 401 totp_required, wrong → 401 counted as a failure, right → 200', async () => {
      const u = await adminWithTotp();
      const none = await postSignIn(strict.raw, { account: u.username, password: TEST_PASSWORD });
      expect(none.statusCode).toBe(401);
      expect(none.json().error).toMatchObject({ code: 'totp_required', field: 'totpCode' });
      expect(none.headers['set-cookie']).toBeUndefined();

      const now = Date.now();
      const valid = new Set([-1, 0, 1].map((s) => totpAt(u.secret, now + s * 30_000)));
      let wrongCode = '000000';
      while (valid.has(wrongCode)) wrongCode = String(Number(wrongCode) + 1).padStart(6, '0');
      const before = (await userRow(u.id)).failed_attempts;
      const wrong = await postSignIn(strict.raw, {
        account: u.username,
        password: TEST_PASSWORD,
        totpCode: wrongCode,
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      expect((await userRow(u.id)).failed_attempts).toBe(before + 1);

      const right = await postSignIn(strict.raw, {
        account: u.username,
        password: TEST_PASSWORD,
        // The next step's code: the one used to enable 2FA may not be used again (RFC 6238 §5.2).
        totpCode: totpAt(u.secret, Date.now() + 30_000),
      });
      expect(right.statusCode).toBe(200);
      expect(right.json()).toMatchObject({ totpEnabled: true, totpSetupRequired: false });
      expect((await me(strict.raw, cookieOf(right))).statusCode).toBe(200);
    });

    it('does not force other roles to set up TOTP', async () => {
      for (const role of ['committee_staff', 'branch_secretary', 'auditor'] as const) {
        const client = await strict.as(role, role === 'auditor' ? undefined : town.committee.id);
        const res = await client.inject({ method: 'GET', url: '/api/orgs/tree?depth=1' });
        expect(res.statusCode, role).toBe(200);
      }
    });

    it('forces the roles GONGJIAN_REQUIRE_2FA lists, and only those', async () => {
      const perRole = await testApp(database, { require2fa: ['committee_staff', 'auditor'] });
      try {
        for (const role of ['committee_staff', 'auditor'] as const) {
          const client = await perRole.as(role, role === 'auditor' ? undefined : town.committee.id);
          const res = await client.inject({ method: 'GET', url: '/api/orgs/tree?depth=1' });
          expect(res.statusCode, role).toBe(403);
          expect(res.json().error.code, role).toBe('totp_setup_required');
          expect(res.json().error.message, role).toContain(ROLE_LABELS[role].zh);
          const mine = await client.inject({ method: 'GET', url: '/api/auth/me' });
          expect(mine.json().totpSetupRequired, role).toBe(true);
          // Set-up itself stays open to them.
          expect((await client.inject({ method: 'POST', url: '/api/auth/totp/setup' })).statusCode).toBe(200);
        }
        for (const role of ['county_admin', 'branch_secretary'] as const) {
          const client = await perRole.as(
            role,
            role === 'county_admin' ? undefined : town.villages[0]!.branch.id,
          );
          const res = await client.inject({ method: 'GET', url: '/api/orgs/tree?depth=1' });
          expect(res.statusCode, role).toBe(200);
        }
      } finally {
        await perRole.close();
      }
    });

    it('does not let a session alone switch enabled 2FA off by starting set-up again', async () => {
      const u = await adminWithTotp();
      // A stolen session cookie must not be enough to drop or replace the second factor.
      await u.client.inject({ method: 'POST', url: '/api/auth/totp/setup' });
      expect((await userRow(u.id)).totp_enabled).toBe(true);
      const withoutCode = await postSignIn(strict.raw, { account: u.username, password: TEST_PASSWORD });
      expect(withoutCode.statusCode).toBe(401);
      expect(withoutCode.json().error.code).toBe('totp_required');
      const oldAuthenticator = await postSignIn(strict.raw, {
        account: u.username,
        password: TEST_PASSWORD,
        totpCode: totpAt(u.secret, Date.now() + 30_000),
      });
      expect(oldAuthenticator.statusCode).toBe(200);
    });

    it('stores the TOTP secret sealed (AES-256-GCM), never as the secret itself', async () => {
      const u = await adminWithTotp();
      const stored = (await userRow(u.id)).totp_secret!;
      expect(stored).toMatch(/^v1:/);
      expect(stored).not.toContain(u.secret);
      expect(JSON.stringify(await userRow(u.id))).not.toContain(u.secret);
    });

    const noKeyConfig = (dataDir: string, require2fa: boolean) => ({
      countyCode: undefined,
      logLevel: 'silent',
      dataDir,
      require2fa,
      signInPerMinute: 1000,
      trustProxy: false,
    });

    it('seals plain secrets of earlier versions at start; those accounts still sign in with their codes', async () => {
      const u = await account('county_admin');
      const secret = newTotpSecret();
      await database.db
        .updateTable('users')
        .set({ totp_secret: secret, totp_enabled: true, totp_last_step: null })
        .where('id', '=', u.id)
        .execute();
      const restarted = await testApp(database);
      try {
        const stored = (await userRow(u.id)).totp_secret!;
        expect(stored).toMatch(/^v1:/);
        expect(stored).not.toContain(secret);
        const res = await postSignIn(restarted.raw, {
          account: u.username,
          password: TEST_PASSWORD,
          totpCode: totpAt(secret, Date.now()),
        });
        expect(res.statusCode).toBe(200);
      } finally {
        await restarted.close();
      }
      // A key that does not open the sealed secrets stops the start, instead of failing every such sign-in.
      const wrongKey = { ...noKeyConfig(join(tmpdir(), `gongjian-auth-wrongkey-${process.pid}`), false) };
      await expect(
        buildApp({ database, config: { ...wrongKey, secretKey: randomBytes(32) } }),
      ).rejects.toThrow(/does not open/);
    });

    if (target.name === 'embedded') {
      it('on the embedded database without GONGJIAN_SECRET_KEY seals with a 0600 key file in the data directory', async () => {
        const dataDir = join(tmpdir(), `gongjian-auth-key-${process.pid}-${seq}`);
        rmSync(dataDir, { recursive: true, force: true });
        // Sealed under the test key, these secrets do not open without it: a missing key file stops the start.
        await expect(buildApp({ database, config: noKeyConfig(dataDir, false) })).rejects.toThrow(/missing/);
        expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
        await database.db.updateTable('users').set({ totp_secret: null, totp_enabled: false }).execute();
        const keyed = await buildApp({ database, config: noKeyConfig(dataDir, false) });
        try {
          const u = await account('county_admin');
          const client = await signIn(keyed, u.username, TEST_PASSWORD);
          const setup = await client.inject({ method: 'POST', url: '/api/auth/totp/setup' });
          expect(setup.statusCode).toBe(200);
          const keyFile = join(dataDir, 'secret.key');
          expect(statSync(keyFile).mode & 0o777).toBe(0o600);
          expect((await userRow(u.id)).totp_secret).toMatch(/^v1:/);
          const enable = await client.inject({
            method: 'POST',
            url: '/api/auth/totp/enable',
            payload: { code: totpAt(setup.json().secret, Date.now()) },
          });
          expect(enable.statusCode).toBe(200);
        } finally {
          await keyed.close();
          rmSync(dataDir, { recursive: true, force: true });
        }
      });
    } else {
      it('on a server database without GONGJIAN_SECRET_KEY refuses 2FA set-up with a clear message, and refuses to start when 2FA is required or secrets are sealed', async () => {
        const dataDir = join(tmpdir(), `gongjian-auth-nokey-${process.pid}`);
        // Sealed secrets from the other tests are in this database: a start without the key must stop.
        await expect(buildApp({ database, config: noKeyConfig(dataDir, false) })).rejects.toThrow(
          /GONGJIAN_SECRET_KEY/,
        );
        await database.db.updateTable('users').set({ totp_secret: null, totp_enabled: false }).execute();
        await expect(buildApp({ database, config: noKeyConfig(dataDir, true) })).rejects.toThrow(
          /GONGJIAN_SECRET_KEY/,
        );
        const keyless = await buildApp({ database, config: noKeyConfig(dataDir, false) });
        try {
          const u = await account('county_admin');
          const client = await signIn(keyless, u.username, TEST_PASSWORD);
          const setup = await client.inject({ method: 'POST', url: '/api/auth/totp/setup' });
          expect(setup.statusCode).toBe(503);
          expect(setup.json().error.code).toBe('totp_key_missing');
          expect(setup.json().error.message).toContain('GONGJIAN_SECRET_KEY');
          expect((await userRow(u.id)).totp_secret).toBeNull();
          expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
        } finally {
          await keyless.close();
        }
      });
    }

    it('accepts a one-time code once only (RFC 6238 §5.2: no replay within its window)', async () => {
      const u = await adminWithTotp();
      // The next step's code: valid (clock drift) and not the one used to enable.
      const code = totpAt(u.secret, Date.now() + 30_000);
      const first = await postSignIn(strict.raw, {
        account: u.username,
        password: TEST_PASSWORD,
        totpCode: code,
      });
      expect(first.statusCode).toBe(200);
      const replay = await postSignIn(strict.raw, {
        account: u.username,
        password: TEST_PASSWORD,
        totpCode: code,
      });
      expect(replay.statusCode).toBe(401);
    });
  });
});
