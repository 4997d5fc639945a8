import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  idNumberFor,
  makeCounty,
  makeTownship,
  TEST_PASSWORD,
  type TestClient,
  testApp,
} from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { enterScope } from '../../db/rls.ts';
import { checkCharFor } from '../../domain/idcard.ts';

interface AuditItem {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: string;
}

/** The rows of an exported sheet below its header, as cells. */
async function readExport(payload: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(1).values as unknown[]).slice(1);
  const rows: ExcelJS.Cell[][] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const cells: ExcelJS.Cell[] = [];
    for (let c = 1; c <= header.length; c++) cells.push(row.getCell(c));
    rows.push(cells);
  });
  return { ws, header, rows };
}

describe.each(dbTargets())('the audit trail on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  const COUNTY = '369960';

  const count = async (table: 'audit_log' | 'members', action?: string) => {
    let q = database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
    if (action) q = q.where('action' as never, '=', action as never);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const memberBody = (over: Record<string, unknown> = {}) => ({
    orgId: a.villages[0]!.branch.id,
    name: '审计党员',
    idNumber: idNumberFor('1979-09-21'),
    joinDate: '2003-07-01',
    fullMemberDate: '2004-07-01',
    ...over,
  });
  const userIdOf = async (client: TestClient) =>
    ((await client.inject({ method: 'GET', url: '/api/auth/me' })).json() as { userId: number }).userId;

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: COUNTY, name: '审县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    app = await testApp(database, { countyCode: COUNTY });
    // Something to refuse changing: a sign-in writes audit records.
    await app.inject({ method: 'GET', url: '/api/auth/me' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  describe('append only', () => {
    it('refuses UPDATE, DELETE and TRUNCATE even for the table owner', async () => {
      const before = await count('audit_log');
      expect(before).toBeGreaterThan(0);
      for (const statement of [
        sql`UPDATE audit_log SET action = 'tampered'`,
        sql`DELETE FROM audit_log`,
        sql`TRUNCATE audit_log`,
      ]) {
        await expect(statement.execute(database.db)).rejects.toThrow(/append-only/);
      }
      expect(await count('audit_log')).toBe(before);
      expect(await count('audit_log', 'tampered')).toBe(0);
    });

    it('refuses UPDATE and DELETE to the application role inside a request’s scope', async () => {
      const role = `gongjian_app_${
        (await sql<{ db: string }>`SELECT current_database() AS db`.execute(database.db)).rows[0]!.db
      }`;
      for (const statement of [sql`UPDATE audit_log SET action = 'tampered'`, sql`DELETE FROM audit_log`]) {
        await expect(
          database.db.transaction().execute(async (trx) => {
            await enterScope(trx, role, t.county.id, t.rootOrg.path);
            await statement.execute(trx);
          }),
        ).rejects.toThrow();
      }
      expect(await count('audit_log', 'tampered')).toBe(0);
    });
  });

  describe('acts are audited with them', () => {
    it('writes member.create when a member is registered, naming who and what', async () => {
      const admin = await app.as('county_admin');
      const adminId = await userIdOf(admin);
      const res = await admin.inject({ method: 'POST', url: '/api/members', payload: memberBody() });
      expect(res.statusCode).toBe(201);
      const rows = await database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'member.create')
        .where('target_id', '=', String(res.json().id))
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        county_id: t.county.id,
        user_id: adminId,
        target_type: 'member',
        result: 'ok',
        details: { orgId: a.villages[0]!.branch.id },
      });
    });

    it('writes no member.create for a refused registration (bad ID number)', async () => {
      const id = idNumberFor('1979-09-22');
      const wrong = id.slice(0, 17) + (checkCharFor(id.slice(0, 17)) === '0' ? '1' : '0');
      const [members, audits] = [await count('members'), await count('audit_log', 'member.create')];
      const res = await app.inject({
        method: 'POST',
        url: '/api/members',
        payload: memberBody({ idNumber: wrong }),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('idNumber');
      expect(await count('members')).toBe(members);
      expect(await count('audit_log', 'member.create')).toBe(audits);
    });

    it('keeps the act and its record together: when the record cannot be written, the member is not registered', async () => {
      await sql`CREATE FUNCTION test_refuse_member_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'test: audit record refused'; END $$`.execute(database.db);
      await sql`CREATE TRIGGER test_refuse_member_audit BEFORE INSERT ON audit_log FOR EACH ROW
        WHEN (NEW.action = 'member.create') EXECUTE FUNCTION test_refuse_member_audit()`.execute(database.db);
      try {
        const before = await count('members');
        const res = await app.inject({
          method: 'POST',
          url: '/api/members',
          payload: memberBody({ idNumber: idNumberFor('1979-09-23') }),
        });
        expect(res.statusCode).toBe(500);
        expect(await count('members')).toBe(before);
      } finally {
        await sql`DROP TRIGGER test_refuse_member_audit ON audit_log`.execute(database.db);
        await sql`DROP FUNCTION test_refuse_member_audit()`.execute(database.db);
      }
    });
  });

  describe('search and export', () => {
    let clerk: TestClient;
    let clerkId: number;
    let createdIds: number[];
    let start: string;

    beforeAll(async () => {
      clerk = await app.as('county_admin');
      clerkId = await userIdOf(clerk);
      start = new Date(Date.now() - 1000).toISOString();
      createdIds = [];
      for (const birth of ['1980-01-11', '1980-01-12', '1980-01-13']) {
        const res = await clerk.inject({
          method: 'POST',
          url: '/api/members',
          payload: memberBody({ idNumber: idNumberFor(birth) }),
        });
        expect(res.statusCode).toBe(201);
        createdIds.push(res.json().id);
      }
      const id = createdIds[0]!;
      expect(
        (await clerk.inject({ method: 'PATCH', url: `/api/members/${id}`, payload: { occupation: '农民' } }))
          .statusCode,
      ).toBe(200);
      // Someone else's act, to be filtered out.
      await app.inject({
        method: 'POST',
        url: '/api/members',
        payload: memberBody({ idNumber: idNumberFor('1980-01-14') }),
      });
    });

    it('names the act, the object and who acted in words (codes kept beside)', async () => {
      const list = await app.inject({
        method: 'GET',
        url: `/api/audit?action=member.update&user=${clerkId}`,
      });
      expect(list.statusCode).toBe(200);
      const [entry] = list.json().items;
      const member = (await clerk.inject({ method: 'GET', url: `/api/members/${createdIds[0]}` })).json();
      const me = (await clerk.inject({ method: 'GET', url: '/api/auth/me' })).json();
      expect(entry).toMatchObject({
        action: 'member.update',
        actionLabel: '修改党员信息',
        actionLabelEn: 'Member changed',
        targetType: 'member',
        targetId: String(createdIds[0]),
        targetLabel: `党员：${member.name}`,
        targetLabelEn: `Member: ${member.name}`,
        userName: me.displayName,
      });
    });

    it('filters by action prefix, user and time, newest first, in pages', async () => {
      const q = `action=member.&user=${clerkId}&from=${encodeURIComponent(start)}`;
      const first = await app.inject({ method: 'GET', url: `/api/audit?${q}&pageSize=3&page=1` });
      expect(first.statusCode).toBe(200);
      const body = first.json();
      expect(body).toMatchObject({ total: 4, page: 1, pageSize: 3 });
      expect(body.items).toHaveLength(3);
      const second = (await app.inject({ method: 'GET', url: `/api/audit?${q}&pageSize=3&page=2` })).json();
      expect(second.items).toHaveLength(1);
      const all: AuditItem[] = [...body.items, ...second.items];
      expect(new Set(all.map((i) => i.id)).size).toBe(4);
      expect(all.every((i) => i.userId === clerkId && i.action.startsWith('member.'))).toBe(true);
      expect(all.map((i) => i.action).sort()).toEqual([
        'member.create',
        'member.create',
        'member.create',
        'member.update',
      ]);
      const ats = all.map((i) => Date.parse(i.at));
      expect([...ats].sort((x, y) => y - x)).toEqual(ats);
      expect(
        all
          .filter((i) => i.action === 'member.create')
          .map((i) => Number(i.targetId))
          .sort(),
      ).toEqual([...createdIds].sort());

      const exact = (
        await app.inject({ method: 'GET', url: `/api/audit?action=member.update&user=${clerkId}` })
      ).json();
      expect(exact.total).toBe(1);
      const later = new Date(Date.now() + 60_000).toISOString();
      const none = await app.inject({
        method: 'GET',
        url: `/api/audit?action=member.&user=${clerkId}&from=${encodeURIComponent(later)}`,
      });
      expect(none.json().total).toBe(0);
      const before = await app.inject({
        method: 'GET',
        url: `/api/audit?action=member.&user=${clerkId}&to=${encodeURIComponent(start)}`,
      });
      expect(before.json().total).toBe(0);
    });

    it('a bare "to" date includes that whole day (China time), and the outcome filters', async () => {
      const todayCst = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const upToToday = (
        await app.inject({ method: 'GET', url: `/api/audit?action=member.&user=${clerkId}&to=${todayCst}` })
      ).json();
      const all = (
        await app.inject({ method: 'GET', url: `/api/audit?action=member.&user=${clerkId}` })
      ).json();
      expect(all.total).toBeGreaterThan(0);
      expect(upToToday.total).toBe(all.total);
      const fromToday = (
        await app.inject({ method: 'GET', url: `/api/audit?action=member.&user=${clerkId}&from=${todayCst}` })
      ).json();
      expect(fromToday.total).toBe(all.total);
      const denied = (await app.inject({ method: 'GET', url: '/api/audit?result=denied' })).json();
      expect(denied.items.every((e: { result: string }) => e.result === 'denied')).toBe(true);
      const ok = (
        await app.inject({ method: 'GET', url: `/api/audit?result=ok&action=member.&user=${clerkId}` })
      ).json();
      expect(ok.total).toBe(all.total);
      const bad = await app.inject({ method: 'GET', url: '/api/audit?result=maybe' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('result');
    });

    it('treats _ and % in the action filter as themselves, not as wildcards', async () => {
      const underscore = (await app.inject({ method: 'GET', url: '/api/audit?action=member_' })).json();
      expect(underscore.total).toBe(0);
      const percent = (await app.inject({ method: 'GET', url: '/api/audit?action=%25' })).json();
      expect(percent.total).toBe(0);
      const dotted = (await app.inject({ method: 'GET', url: '/api/audit?action=member.' })).json();
      expect(dotted.total).toBeGreaterThan(0);
    });

    it('may be read by a county administrator and an auditor only', async () => {
      const auditor = await app.as('auditor');
      const res = await auditor.inject({ method: 'GET', url: `/api/audit?user=${clerkId}` });
      expect(res.statusCode).toBe(200);
      expect(res.json().total).toBeGreaterThanOrEqual(4);
      for (const role of ['committee_staff', 'branch_secretary', 'member'] as const) {
        const client = await app.as(role, role === 'member' ? a.villages[0]!.branch.id : a.committee.id);
        for (const url of ['/api/audit', '/api/audit/export']) {
          const denied = await client.inject({ method: 'GET', url });
          expect(denied.statusCode, `${role} ${url}`).toBe(403);
          expect(denied.body, `${role} ${url}`).not.toContain('member.create');
        }
      }
    });

    it('exports an xlsx whose rows are the search results, oldest first, and audits the export', async () => {
      const q = `action=member.&user=${clerkId}&from=${encodeURIComponent(start)}`;
      const res = await app.inject({ method: 'GET', url: `/api/audit/export?${q}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/spreadsheetml/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const { header, rows } = await readExport(res.rawPayload);
      expect(header).toEqual(['时间', '用户', '动作', '对象类型', '对象', '结果', '来源地址', '详情']);
      const searched: AuditItem[] = (await app.inject({ method: 'GET', url: `/api/audit?${q}&pageSize=500` }))
        .json()
        .items.reverse();
      expect(rows.map((r) => r.map((c) => c.text))).toEqual(
        searched.map((i) => [
          i.at,
          i.username ?? '',
          i.action,
          i.targetType ?? '',
          i.targetId ?? '',
          i.result,
          expect.any(String),
          expect.any(String),
        ]),
      );
      const exports = await database.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'export.audit')
        .execute();
      expect(exports.length).toBeGreaterThanOrEqual(1);
      expect(exports.at(-1)!.details).toMatchObject({ rows: 4 });
    });

    it('writes a typed value that looks like a formula as text, never as a formula', async () => {
      const typed = '=HYPERLINK("http://evil.example","点我")';
      // An unknown account's name, as typed, is the one free text that reaches the audit trail.
      const signIn = await app.raw.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { account: typed, password: TEST_PASSWORD },
      });
      expect(signIn.statusCode).toBe(401);
      const recorded = await database.db
        .selectFrom('audit_log')
        .select('username')
        .where('action', '=', 'auth.sign_in')
        .where('username', '=', typed)
        .execute();
      expect(recorded).toHaveLength(1);

      const res = await app.inject({ method: 'GET', url: '/api/audit/export?action=auth.sign_in' });
      const { ws, rows } = await readExport(res.rawPayload);
      const cell = rows.map((r) => r[1]!).find((c) => String(c.value).includes('HYPERLINK'));
      expect(cell).toBeDefined();
      expect(cell!.type).toBe(ExcelJS.ValueType.String);
      expect(cell!.formula).toBeFalsy();
      expect(String(cell!.value)).toMatch(/^'?=HYPERLINK\("http:\/\/evil\.example","点我"\)$/);
      ws.eachRow((row) =>
        row.eachCell((c) => {
          expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
        }),
      );
    });
  });

  describe('counties', () => {
    it('shows a county administrator the audit trail of their own county only', async () => {
      const other = await makeCounty(database.db, { code: '369961', name: '邻县' });
      const otherApp = await testApp(database, { countyCode: '369961' });
      try {
        const res = await otherApp.inject({ method: 'GET', url: '/api/audit?pageSize=500' });
        expect(res.statusCode).toBe(200);
        const items: AuditItem[] = res.json().items;
        const theirs = await database.db
          .selectFrom('audit_log')
          .select('id')
          .where('county_id', '=', other.county.id)
          .execute();
        expect(res.json().total).toBe(theirs.length);
        expect(items.length).toBeGreaterThan(0);
        expect(items.some((i) => i.action.startsWith('member.'))).toBe(false);
        const ours = await database.db
          .selectFrom('audit_log')
          .select('id')
          .where('county_id', '=', t.county.id)
          .execute();
        const ourIds = new Set(ours.map((r) => r.id));
        expect(items.filter((i) => ourIds.has(i.id))).toEqual([]);
      } finally {
        await otherApp.close();
      }
    });
  });
});
