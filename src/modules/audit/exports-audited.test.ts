import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countyRowCount, type TestClient, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { exportMembers } from '../imports/service.ts';
import { prepareLedger, writeLedger } from '../ledgers/export.ts';
import { ledgerNamed } from '../ledgers/registry.ts';
import { bulletin } from '../reports/service.ts';
import { type BulletinCounty, bulletinCounty, Y } from '../reports/test-fixtures.ts';

/**
 * Every way personal data leaves as a file — from the CLI or the web — leaves exactly one audit
 * record naming who (the user, or "cli" and the operating-system account), what (which export, its
 * filter and organisation scope) and how many rows.
 */
describe.each(dbTargets())('every export is audited, on the $name database', (target) => {
  let database: TestDatabase;
  let w: BulletinCounty;
  let app: Awaited<ReturnType<typeof testApp>>;
  let admin: TestClient;
  let adminName: string;
  let dir: string;
  const COUNTY = '369971';

  /** Runs the export and returns the one record it added for `action` (fails on none or several). */
  async function onlyRecord(action: string, act: () => Promise<unknown>) {
    const before = await records(action);
    await act();
    const after = await records(action);
    expect(after.length - before.length, `${action} records added`).toBe(1);
    return after.at(-1)!;
  }
  const records = (action: string) =>
    database.db
      .selectFrom('audit_log')
      .select(['username', 'user_id', 'target_type', 'target_id', 'result', 'details'])
      .where('county_id', '=', w.county.id)
      .where('action', '=', action)
      .orderBy('id')
      .execute();
  const details = (r: { details: unknown }) => r.details as Record<string, unknown>;

  beforeAll(async () => {
    database = await target.open();
    w = await bulletinCounty(database, COUNTY, '导出县');
    app = await testApp(database, COUNTY);
    admin = await app.as('county_admin');
    adminName = ((await admin.inject({ method: 'GET', url: '/api/auth/me' })).json() as { username: string })
      .username;
    dir = await mkdtemp(join(tmpdir(), 'gongjian-export-audit-'));
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gongjian export members: the whole county, full ID numbers — audited as the CLI with its OS account', async () => {
    const file = join(dir, 'members.xlsx');
    const members = await countyRowCount(database.db, w.county.id, 'members');
    expect(members).toBeGreaterThan(0);
    let result: { rows: number } | undefined;
    const r = await onlyRecord('export.members', async () => {
      result = await exportMembers(database, w.county.id, file);
    });
    expect(result).toEqual({ rows: members });
    expect(r).toMatchObject({ username: 'cli', user_id: null, result: 'ok', target_type: 'county' });
    expect(r.target_id).toBe(String(w.county.id));
    expect(details(r)).toEqual({ orgId: null, file, rows: members, osUser: userInfo().username });
  });

  it('gongjian export members --org: the subtree is the record’s target', async () => {
    const file = join(dir, 'members-a.xlsx');
    const r = await onlyRecord('export.members', () =>
      exportMembers(database, w.county.id, file, { underOrgId: w.a.committee.id }),
    );
    expect(r).toMatchObject({ target_type: 'org', target_id: String(w.a.committee.id) });
    expect(details(r)).toMatchObject({ orgId: w.a.committee.id, rows: 2 });
  });

  it('a ledger exported on the web: the user, the ledger, its filter, the organisation and the rows', async () => {
    const r = await onlyRecord('ledger.export', async () => {
      const started = await admin.inject({
        method: 'POST',
        url: '/api/ledgers/visits/exports',
        payload: { year: Y },
      });
      expect(started.statusCode, started.body).toBe(202);
      let job = started.json();
      for (let i = 0; i < 400 && job.status === 'running'; i++) {
        await new Promise((done) => setTimeout(done, 25));
        job = (await admin.inject({ method: 'GET', url: `/api/ledgers/exports/${job.id}` })).json();
      }
      expect(job.status, JSON.stringify(job)).toBe('done');
      expect((await admin.inject({ method: 'GET', url: job.fileUrl })).statusCode).toBe(200);
    });
    expect(r).toMatchObject({ username: adminName, target_id: 'visits', result: 'ok' });
    const visits = await countyRowCount(database.db, w.county.id, 'visits');
    expect(details(r)).toEqual({ filter: { year: Y }, orgId: w.rootOrg.id, rows: visits });
  });

  it('gongjian ledger export: the same record, as the CLI', async () => {
    const x = { db: database.db, countyId: w.county.id, def: ledgerNamed('pairings')!, filter: { year: Y } };
    const prepared = await prepareLedger(x);
    const r = await onlyRecord('ledger.export', () =>
      writeLedger(x, { file: join(dir, 'pairings.xlsx'), prepared }),
    );
    expect(r).toMatchObject({ username: 'cli', target_id: 'pairings' });
    expect(details(r)).toEqual({
      filter: { year: Y },
      orgId: w.rootOrg.id,
      rows: prepared.rowsTotal,
      osUser: userInfo().username,
    });
  });

  it('the bulletin downloaded from the web, and written by gongjian report bulletin', async () => {
    const web = await onlyRecord('report.bulletin', async () => {
      const res = await admin.inject({ method: 'GET', url: `/api/reports/bulletin?year=${Y}&half=1` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain('attachment');
    });
    expect(web).toMatchObject({ username: adminName, target_type: 'org', target_id: String(w.rootOrg.id) });
    const pairings = details(web).pairings as number;
    expect(pairings).toBeGreaterThan(0);
    expect(details(web)).toMatchObject({ year: Y, half: 1, names: false, rows: pairings });

    const cli = await onlyRecord('report.bulletin', () =>
      bulletin({ db: database.db, countyId: w.county.id }, { year: Y, half: 1, orgId: w.a.committee.id }),
    );
    expect(cli).toMatchObject({ username: 'cli', target_id: String(w.a.committee.id) });
    expect(details(cli)).toMatchObject({ osUser: userInfo().username });
    expect(details(cli).rows).toBe(details(cli).pairings);
  });

  it('the audit trail exported as xlsx: its filter and the rows written', async () => {
    let written = -1;
    const r = await onlyRecord('export.audit', async () => {
      const res = await admin.inject({ method: 'GET', url: '/api/audit/export?action=ledger.' });
      expect(res.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      written = wb.worksheets[0]!.actualRowCount - 1;
    });
    expect(written).toBe(2);
    expect(r).toMatchObject({ username: adminName, result: 'ok' });
    expect(details(r)).toEqual({ rows: 2, filters: { action: 'ledger.' } });
  });
});
