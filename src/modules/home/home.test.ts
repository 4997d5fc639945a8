import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { loadDemoCounty } from '../../db/seeds/demo/index.ts';
import { createDemoAccounts } from '../users/demo.ts';

const PASSWORD = 'Home-test-pass-2026';

describe.each(dbTargets())('the home page (工作台) on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;

  beforeAll(async () => {
    database = await target.open();
    const demo = await loadDemoCounty(database);
    await createDemoAccounts(database.db, demo.countyId, PASSWORD);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const homeOf = async (account: string) => {
    const client = await signIn(app.raw, account, PASSWORD);
    const res = await client.inject({ method: 'GET', url: '/api/home' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('the county administrator sees the county figures the lists behind them give', async () => {
    const h = await homeOf('admin');
    const summary = (await app.inject({ method: 'GET', url: '/api/reports/summary' })).json();
    expect(h.compliance).toEqual({
      total: summary.compliance.total,
      onTrack: summary.compliance.on_track,
      behindPace: summary.compliance.behind_pace,
      short: summary.compliance.short,
    });
    const inbox = (await app.inject({ method: 'GET', url: '/api/plans?inbox=true' })).json();
    expect(h.reviews.waiting).toBe(inbox.total);
    const open = (await app.inject({ method: 'GET', url: '/api/notices?open=true&pageSize=500' })).json();
    expect(h.notices.open).toBe(open.total);
    expect(h.myPairings).toEqual([]); // the administrator's account is no member
  });

  it('a branch secretary sees the pairings of their branch, most urgent first, each with its next due date', async () => {
    const h = await homeOf('shuji');
    expect(h.reviews).toBeNull(); // a branch secretary does not review plans
    expect(h.myPairings.length).toBeGreaterThan(0);
    const user = await sql<{ org_id: number; member_id: number | null }>`
      SELECT org_id, member_id FROM users WHERE username = 'shuji'`.execute(database.db);
    const { org_id, member_id } = user.rows[0]!;
    for (const p of h.myPairings) {
      const carries =
        p.helper.memberId === member_id ||
        p.responsibleMemberId === member_id ||
        p.helper.orgId === org_id ||
        p.helped.orgId === org_id;
      expect(carries, `pairing ${p.id}`).toBe(true);
    }
    const rank = { short: 0, behind_pace: 1, on_track: 2, not_started: 3 } as Record<string, number>;
    const ranks = h.myPairings.map((p: { compliance: { level: string } }) => rank[p.compliance.level]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const owed = h.myPairings.find(
      (p: { compliance: { done: number; required: number } }) => p.compliance.done < p.compliance.required,
    );
    if (owed) expect(owed.compliance.nextDueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('a member sees only their own pairings and no county figures', async () => {
    const h = await homeOf('dangyuan');
    expect(h.compliance).toBeNull();
    expect(h.reviews).toBeNull();
    const user = await sql<{
      member_id: number;
    }>`SELECT member_id FROM users WHERE username = 'dangyuan'`.execute(database.db);
    const me = user.rows[0]!.member_id;
    for (const p of h.myPairings) expect([p.helper.memberId, p.responsibleMemberId]).toContain(me);
  });

  it('the township staff see their own township only', async () => {
    const h = await homeOf('zhen');
    const admin = await homeOf('admin');
    expect(h.compliance.total).toBeGreaterThan(0);
    expect(h.compliance.total).toBeLessThan(admin.compliance.total);
  });
});
