import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  idNumberFor,
  makeCounty,
  makeMember,
  makeTownship,
  signIn,
  TEST_PASSWORD,
  type TestClient,
  testApp,
} from '../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../test/helpers/db.ts';
import { createAccountWithPassword } from '../modules/users/service.ts';

/** A full ID number or mobile number anywhere in a text (masked ones hold asterisks). */
const FULL_ID = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])/;
const FULL_MOBILE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/;

function expectSecurityHeaders(res: LightMyRequestResponse, what: string) {
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp, what).toMatch(/frame-ancestors 'none'/);
  expect(csp, what).toMatch(/default-src 'self'/);
  expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  expect(res.headers['x-frame-options'], what).toBe('DENY');
}

describe.each(dbTargets())('HTTP security on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;
  /** A member of township a with a phone, and its stored identity. */
  let member: { id: number; idNumber: string; phone: string };

  const memberCount = async () =>
    Number(
      (
        await database.db
          .selectFrom('members')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const newMemberBody = () => ({
    orgId: a.villages[0]!.branch.id,
    name: '新党员',
    idNumber: idNumberFor('1981-03-09'),
    joinDate: '2005-07-01',
    fullMemberDate: '2006-07-01',
  });
  const auditRows = (action: string) =>
    database.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  const userIdOf = async (client: TestClient) =>
    ((await client.inject({ method: 'GET', url: '/api/auth/me' })).json() as { userId: number }).userId;

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369950', name: '安县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    const m = await makeMember(t.ctx, {
      orgId: a.villages[0]!.branch.id,
      phone: '13812345678',
      address: '安县甲镇一村3组15号',
    });
    const row = await database.db
      .selectFrom('members')
      .select(['id_number', 'phone'])
      .where('id', '=', m.id)
      .executeTakeFirstOrThrow();
    member = { id: m.id, idNumber: row.id_number, phone: row.phone! };
    for (const { branch } of [...a.villages, ...b.villages]) {
      await makeMember(t.ctx, { orgId: branch.id, phone: '15900001111' });
      await makeMember(t.ctx, { orgId: branch.id, phone: '0731-84441234', category: 'activist' });
    }
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  describe('security headers', () => {
    it('are on every response: JSON, 400, 401, 403, 404, the API documents', async () => {
      const cases: [string, InjectOptions, boolean][] = [
        ['health (JSON 200)', { method: 'GET', url: '/api/health' }, false],
        ['signed-in JSON', { method: 'GET', url: '/api/orgs/tree?depth=1' }, true],
        ['validation 400', { method: 'GET', url: '/api/members?pageSize=0' }, true],
        ['401', { method: 'GET', url: '/api/auth/me' }, false],
        ['404 route', { method: 'GET', url: '/api/no-such-route' }, false],
        ['404 record', { method: 'GET', url: '/api/orgs/999999' }, true],
        [
          '403 bad_origin',
          {
            method: 'POST',
            url: '/api/auth/sign-in',
            headers: { origin: 'https://evil.example' },
            payload: { account: 'x', password: 'y' },
          },
          false,
        ],
        ['/api/docs', { method: 'GET', url: '/api/docs' }, false],
        ['/api/openapi.json', { method: 'GET', url: '/api/openapi.json' }, false],
      ];
      for (const [what, request, signedIn] of cases) {
        const res = signedIn ? await app.inject(request) : await app.raw.inject(request);
        expect(res.statusCode, what).toBeLessThan(500);
        expectSecurityHeaders(res, what);
      }
      const docs = await app.raw.inject({ method: 'GET', url: '/api/docs' });
      if (docs.statusCode >= 300 && docs.statusCode < 400) {
        const page = await app.raw.inject({ method: 'GET', url: String(docs.headers.location) });
        expectSecurityHeaders(page, 'docs page');
      }
    });
  });

  describe('cross-site request forgery', () => {
    let admin: TestClient;
    beforeAll(async () => {
      admin = await app.as('county_admin');
    });

    it('refuses a POST carrying the session cookie without X-CSRF-Token (403 bad_csrf) and writes nothing', async () => {
      const before = await memberCount();
      const res = await app.raw.inject({
        method: 'POST',
        url: '/api/members',
        headers: { cookie: admin.cookie },
        payload: newMemberBody(),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('bad_csrf');
      expect(await memberCount()).toBe(before);
    });

    it('refuses the CSRF token of another session', async () => {
      const other = await app.as('county_admin');
      const before = await memberCount();
      const res = await app.raw.inject({
        method: 'POST',
        url: '/api/members',
        headers: { cookie: admin.cookie, 'x-csrf-token': other.csrfToken },
        payload: newMemberBody(),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('bad_csrf');
      expect(await memberCount()).toBe(before);
    });

    it('refuses a POST from a foreign Origin (403 bad_origin) even with the right token', async () => {
      const before = await memberCount();
      const res = await admin.inject({
        method: 'POST',
        url: '/api/members',
        headers: { host: 'gj.example.cn', origin: 'https://evil.example' },
        payload: newMemberBody(),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('bad_origin');
      expect(await memberCount()).toBe(before);
    });

    it('refuses a sign-in posted from a foreign Origin', async () => {
      const res = await app.raw.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        headers: { host: 'gj.example.cn', origin: 'http://evil.example' },
        payload: { account: 'whoever', password: TEST_PASSWORD },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('bad_origin');
    });

    it('lets the right token through with no Origin, and with our own Origin', async () => {
      const before = await memberCount();
      const noOrigin = await admin.inject({ method: 'POST', url: '/api/members', payload: newMemberBody() });
      expect(noOrigin.statusCode).toBe(201);
      const sameOrigin = await admin.inject({
        method: 'POST',
        url: '/api/members',
        headers: { host: 'gj.example.cn', origin: 'http://gj.example.cn' },
        payload: newMemberBody(),
      });
      expect(sameOrigin.statusCode).toBe(201);
      expect(await memberCount()).toBe(before + 2);
    });

    it('needs the token to sign out too (a forged sign-out leaves the session open)', async () => {
      const client = await app.as('auditor');
      const res = await app.raw.inject({
        method: 'POST',
        url: '/api/auth/sign-out',
        headers: { cookie: client.cookie },
      });
      expect(res.statusCode).toBe(403);
      expect((await client.inject({ method: 'GET', url: '/api/auth/me' })).statusCode).toBe(200);
    });

    it('cannot be sidestepped by percent-encoding the path (/%61pi/… routes to /api/…)', async () => {
      const before = await memberCount();
      const res = await app.raw.inject({
        method: 'POST',
        url: '/%61pi/members',
        headers: { cookie: admin.cookie, origin: 'https://evil.example' },
        payload: newMemberBody(),
      });
      expect(res.statusCode).toBe(403);
      expect(await memberCount()).toBe(before);
    });
  });

  describe('masking and unmasking', () => {
    it('never shows a full ID number or mobile number in member lists and details', async () => {
      const list = await app.inject({ method: 'GET', url: '/api/members?category=all&pageSize=500' });
      expect(list.statusCode).toBe(200);
      expect(list.json().total).toBeGreaterThanOrEqual(9);
      expect(list.body).not.toMatch(FULL_ID);
      expect(list.body).not.toMatch(FULL_MOBILE);
      expect(list.body).not.toContain(member.idNumber);
      for (const { id } of list.json().items as { id: number }[]) {
        const one = await app.inject({ method: 'GET', url: `/api/members/${id}` });
        expect(one.statusCode).toBe(200);
        expect(one.body, `member ${id}`).not.toMatch(FULL_ID);
        expect(one.body, `member ${id}`).not.toMatch(FULL_MOBILE);
      }
      const one = (await app.inject({ method: 'GET', url: `/api/members/${member.id}` })).json();
      expect(one.idNumber).toBe(`${member.idNumber.slice(0, 6)}********${member.idNumber.slice(-4)}`);
      expect(one.phone).toBe('138****5678');
      // The home address keeps the village and hides group and house number.
      expect(one.address).toBe('安县甲镇一村****');
      expect(list.body).not.toContain('3组15号');
    });

    it('never shows a full mobile number in the account list', async () => {
      await createAccountWithPassword(
        database.db,
        t.county.id,
        {
          username: `sec_${target.name.slice(0, 3)}_ph`,
          displayName: '有电话',
          orgId: a.committee.id,
          role: 'auditor',
          phone: '13698765432',
        },
        TEST_PASSWORD,
      );
      const list = await app.inject({ method: 'GET', url: '/api/users?pageSize=500' });
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain('136****5432');
      expect(list.body).not.toMatch(FULL_MOBILE);
    });

    it('unmasks for a county administrator and audits member.unmask', async () => {
      const admin = await app.as('county_admin');
      const adminId = await userIdOf(admin);
      const res = await admin.inject({ method: 'GET', url: `/api/members/${member.id}/unmasked` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        id: member.id,
        idNumber: member.idNumber,
        phone: member.phone,
        address: '安县甲镇一村3组15号',
      });
      const rows = (await auditRows('member.unmask')).filter((r) => r.user_id === adminId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ target_type: 'member', target_id: String(member.id), result: 'ok' });
      // The audit trail records who looked, never what they saw.
      expect(JSON.stringify(rows)).not.toContain(member.idNumber);
    });

    it('unmasks for committee staff of the member’s township, and audits it', async () => {
      const staff = await app.as('committee_staff', a.committee.id);
      const staffId = await userIdOf(staff);
      const res = await staff.inject({ method: 'GET', url: `/api/members/${member.id}/unmasked` });
      expect(res.statusCode).toBe(200);
      expect(res.json().idNumber).toBe(member.idNumber);
      expect((await auditRows('member.unmask')).filter((r) => r.user_id === staffId)).toHaveLength(1);
    });

    it('answers 404 to committee staff of another township, and records no unmasking', async () => {
      const staff = await app.as('committee_staff', b.committee.id);
      const staffId = await userIdOf(staff);
      const res = await staff.inject({ method: 'GET', url: `/api/members/${member.id}/unmasked` });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(member.idNumber);
      expect((await auditRows('member.unmask')).filter((r) => r.user_id === staffId)).toHaveLength(0);
    });

    it('refuses a branch secretary and an auditor (403), even in scope, and audits the denial', async () => {
      const secretary = await app.as('branch_secretary', a.villages[0]!.branch.id);
      const auditor = await app.as('auditor');
      for (const [who, client] of [
        ['branch secretary', secretary],
        ['auditor', auditor],
      ] as const) {
        const id = await userIdOf(client);
        const res = await client.inject({ method: 'GET', url: `/api/members/${member.id}/unmasked` });
        expect(res.statusCode, who).toBe(403);
        expect(res.body, who).not.toContain(member.idNumber);
        const denied = (await auditRows('access.denied')).filter((r) => r.user_id === id);
        expect(denied, who).toHaveLength(1);
        expect(denied[0]!.details, who).toMatchObject({ action: 'member.unmask' });
        expect(
          (await auditRows('member.unmask')).filter((r) => r.user_id === id),
          who,
        ).toHaveLength(0);
      }
    });
  });

  describe('strict bodies', () => {
    it('refuses unknown fields in POST /api/users, naming the field', async () => {
      for (const extra of [{ countyId: 99 }, { isAdmin: true }]) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/users',
          payload: {
            username: 'strict_x',
            displayName: '严格',
            orgId: a.committee.id,
            role: 'auditor',
            ...extra,
          },
        });
        const field = Object.keys(extra)[0]!;
        expect(res.statusCode, field).toBe(400);
        expect(res.json().error.field, field).toContain(field);
      }
      const made = await database.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'strict_x')
        .execute();
      expect(made).toHaveLength(0);
    });

    it('lets no /api/auth route set the caller’s role', async () => {
      const username = `sec_${target.name.slice(0, 3)}_role`;
      await createAccountWithPassword(
        database.db,
        t.county.id,
        { username, displayName: '想升级', orgId: a.villages[0]!.branch.id, role: 'branch_secretary' },
        TEST_PASSWORD,
      );
      const signInWithRole = await app.raw.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { account: username, password: TEST_PASSWORD, role: 'county_admin' },
      });
      expect(signInWithRole.statusCode).toBe(400);
      expect(signInWithRole.json().error.field).toContain('role');

      const client = await signIn(app.raw, username, TEST_PASSWORD);
      const attempts: InjectOptions[] = [
        {
          method: 'POST',
          url: '/api/auth/password',
          payload: {
            currentPassword: TEST_PASSWORD,
            newPassword: 'Upgrade-attempt-2026',
            role: 'county_admin',
          },
        },
        { method: 'POST', url: '/api/auth/totp/enable', payload: { code: '123456', role: 'county_admin' } },
        { method: 'PATCH', url: '/api/auth/me', payload: { role: 'county_admin' } },
        { method: 'POST', url: '/api/auth/me', payload: { role: 'county_admin' } },
      ];
      for (const request of attempts) {
        const res = await client.inject(request);
        expect(res.statusCode, `${request.method} ${request.url}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${request.method} ${request.url}`).toBeLessThan(500);
      }
      const me = (await client.inject({ method: 'GET', url: '/api/auth/me' })).json();
      expect(me.role).toBe('branch_secretary');
      expect(me.permissions).not.toContain('user.manage');
      const row = await database.db
        .selectFrom('users')
        .select(['role', 'password_hash'])
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      expect(row.role).toBe('branch_secretary');
      // The refused password change changed nothing either.
      expect(
        (
          await app.raw.inject({
            method: 'POST',
            url: '/api/auth/sign-in',
            payload: { account: username, password: TEST_PASSWORD },
          })
        ).statusCode,
      ).toBe(200);
    });
  });
});
