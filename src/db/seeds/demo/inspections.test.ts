import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp } from '../../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../../test/helpers/db.ts';
import { todayIso } from '../../../domain/dates.ts';
import { createDemoAccounts } from '../../../modules/users/demo.ts';
import { type DemoSummary, loadDemoCounty } from './index.ts';

/**
 * The demo county's first half-year of checks (督查): two county rounds, checks in every township
 * by each method, problems found, rectifications closed with evidence, still open, and overdue —
 * and the demo accounts of the first township see theirs on their home page.
 */
describe.each(dbTargets())('the demo county’s checks and rectifications on the $name database', (target) => {
  let database: TestDatabase;
  let summary: DemoSummary;
  const asOf = todayIso();
  const year = Number(asOf.slice(0, 4));

  beforeAll(async () => {
    database = await target.open();
    summary = await loadDemoCounty(database);
  });
  afterAll(() => database?.dispose());

  const rows = async <T>(q: ReturnType<typeof sql<T>>) => (await q.execute(database.db)).rows;

  it('has a first- and a second-quarter round of the county, and 30–60 checks done in them', async () => {
    const rounds = await rows(
      sql<{ id: number; quarter: number; year: number; org_id: number; title: string }>`
        SELECT id, quarter, year, org_id, title FROM inspection_rounds WHERE county_id = ${summary.countyId} ORDER BY quarter`,
    );
    expect(rounds.map((r) => [r.year, r.quarter, r.org_id])).toEqual([
      [year, 1, summary.rootOrgId],
      [year, 2, summary.rootOrgId],
    ]);
    expect(rounds[0]!.title).toBe(`${year}年第一季度“三联共建”工作督查`);
    const checks = await rows(
      sql<{
        round_id: number;
        status: string;
        method: string;
        conclusion: string;
        checked_on: string;
        findings: string;
      }>`
        SELECT round_id, status, method, conclusion, checked_on, findings FROM inspections WHERE county_id = ${summary.countyId}`,
    );
    expect(checks.length).toBeGreaterThanOrEqual(30);
    expect(checks.length).toBeLessThanOrEqual(60);
    expect(new Set(checks.map((c) => c.status))).toEqual(new Set(['done']));
    expect(new Set(checks.map((c) => c.method))).toEqual(new Set(['phone', 'on_site', 'records']));
    expect(new Set(checks.map((c) => c.conclusion))).toEqual(new Set(['good', 'fair', 'problems']));
    for (const c of checks) {
      const q = c.round_id === rounds[0]!.id ? 1 : 2;
      expect(c.checked_on >= `${year}-${q === 1 ? '01' : '04'}-01`).toBe(true);
      expect(c.checked_on <= `${year}-${q === 1 ? '03-31' : '06-30'}`).toBe(true);
      expect(c.findings).toMatch(/^[\u4e00-\u9fff]/);
      expect(c.findings).not.toMatch(/undefined|null|NaN/);
    }
  });

  it('checks every township in each quarter, pairings and village branches alike', async () => {
    const perTownship = await rows(
      sql<{ township: number; quarter: number; n: number }>`
        SELECT t.id AS township, r.quarter, count(*)::int AS n
        FROM inspections i
        JOIN inspection_rounds r ON r.county_id = i.county_id AND r.id = i.round_id
        LEFT JOIN pairings p ON p.county_id = i.county_id AND p.id = i.pairing_id
        JOIN orgs o ON o.county_id = i.county_id AND o.id = coalesce(p.helped_org_id, i.org_id)
        JOIN orgs t ON t.county_id = o.county_id AND t.parent_id = ${summary.rootOrgId} AND o.path <@ t.path
        WHERE i.county_id = ${summary.countyId} AND t.place_id IS NOT NULL AND t.sector = 'agency'
        GROUP BY 1, 2`,
    );
    const townships = new Set(perTownship.map((r) => r.township));
    expect(townships.size).toBeGreaterThanOrEqual(summary.townships);
    for (const q of [1, 2]) {
      expect(perTownship.filter((r) => r.quarter === q).length).toBe(townships.size);
    }
    const kinds = await rows(
      sql<{ kind: string }>`SELECT DISTINCT coalesce(p.kind, 'branch') AS kind FROM inspections i
        LEFT JOIN pairings p ON p.county_id = i.county_id AND p.id = i.pairing_id WHERE i.county_id = ${summary.countyId}`,
    );
    expect(new Set(kinds.map((k) => k.kind))).toEqual(
      new Set(['leader_contact', 'branch_cobuild', 'branch']),
    );
  });

  it('has rectifications closed with evidence, still open, and overdue as of today', async () => {
    const rects = await rows(
      sql<{
        status: string;
        due_on: string;
        evidence: string | null;
        closed_on: string | null;
        closed_by_name: string | null;
        checked_on: string;
        conclusion: string;
      }>`SELECT f.status, f.due_on, f.evidence, f.closed_on, f.closed_by_name, i.checked_on, i.conclusion
         FROM rectifications f JOIN inspections i ON i.county_id = f.county_id AND i.id = f.inspection_id
         WHERE f.county_id = ${summary.countyId}`,
    );
    const closed = rects.filter((r) => r.status === 'closed');
    const open = rects.filter((r) => r.status === 'open');
    const overdue = open.filter((r) => r.due_on < asOf);
    expect(closed.length).toBeGreaterThan(rects.length / 3);
    expect(open.length - overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(rects.length / 3);
    for (const r of closed) {
      expect(r.evidence).toMatch(/^[\u4e00-\u9fff]/);
      expect(r.closed_by_name).toBeTruthy();
      expect(r.closed_on! >= r.checked_on && r.closed_on! <= asOf).toBe(true);
    }
    for (const r of rects) expect(r.due_on >= r.checked_on).toBe(true);
    // A check concluded good found nothing to put right; each that found problems has one at least.
    expect(rects.filter((r) => r.conclusion === 'good')).toEqual([]);
    const [noRects] = await rows(
      sql<{ n: number }>`SELECT count(*)::int AS n FROM inspections i WHERE i.county_id = ${summary.countyId}
        AND i.conclusion = 'problems' AND NOT EXISTS (SELECT 1 FROM rectifications f WHERE f.county_id = i.county_id AND f.inspection_id = i.id)`,
    );
    expect(noRects!.n).toBe(0);
  });

  it('the first township’s organiser and its village secretary find an open rectification on their home page', async () => {
    const password = 'Demo-checks-2026';
    await createDemoAccounts(database.db, summary.countyId, password);
    const app = await testApp(database);
    try {
      for (const account of ['zhen', 'shuji']) {
        const client = await signIn(app.raw, account, password);
        const mine = await client.inject({ method: 'GET', url: '/api/rectifications/mine' });
        expect(mine.statusCode, mine.body).toBe(200);
        expect(mine.json().open, account).toBeGreaterThan(0);
      }
      const admin = await signIn(app.raw, 'admin', password);
      const dashboard = (await admin.inject({ method: 'GET', url: '/api/rectifications/dashboard' })).json();
      const [counts] = await rows(
        sql<{ open: number; overdue: number }>`SELECT count(*) FILTER (WHERE status = 'open')::int AS open,
            count(*) FILTER (WHERE status = 'open' AND due_on < ${asOf}::date)::int AS overdue
          FROM rectifications WHERE county_id = ${summary.countyId}`,
      );
      expect(dashboard.total).toMatchObject({ open: counts!.open });
      expect(dashboard.byTownship.length).toBeGreaterThan(5);
    } finally {
      await app.close();
    }
  });
});
