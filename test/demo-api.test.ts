import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COUNTY_CODE, loadDemoCounty } from '../src/db/seeds/demo/index.ts';
import { testApp } from './factories.ts';
import { dbTargets, type TestDatabase } from './helpers/db.ts';

/**
 * The demo county through the API, as a user meets it: every main read answers (its response
 * schema holds for real data), and the summary says what seed 000 says.
 */
const embedded = dbTargets().filter((t) => t.name === 'embedded');

describe.each(embedded)('the demo county through the API on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;

  beforeAll(async () => {
    database = await target.open();
    await loadDemoCounty(database);
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('the summary reproduces seed 000’s headline exactly', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/reports/summary' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().headline).toBe(
      '111名党员领导干部参与“领导联点”，联系农村党支部105个，企业党支部6个；70个党支部参与“支部联建”；867名党员参与“党员联帮”，帮扶农村和企业困难党员449名，农村和社区困难户418户',
    );
    expect(res.json().compliance.behind_pace).toBeGreaterThan(0);
  });

  it('names every township of the summary by name for township and branch users, and offers only their own to narrow to', async () => {
    const orgNamed = (name: string) =>
      database.db
        .selectFrom('orgs')
        .select(['id', 'name'])
        .where('name', 'like', `%${name}%`)
        .executeTakeFirstOrThrow();
    const town = await orgNamed('城关镇');
    const branch = await orgNamed('长寿村');
    for (const [role, org] of [
      ['committee_staff', town],
      ['branch_secretary', branch],
    ] as const) {
      const client = await app.as(role, org.id);
      const res = await client.inject({ method: 'GET', url: '/api/reports/summary' });
      expect(res.statusCode, res.body).toBe(200);
      const rows: { orgId: number | null; name: string; inScope: boolean }[] = res.json().byTownship;
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.name, `${role}: township ${r.orgId}`).not.toMatch(/^#|^—$|^$/);
      const own = rows.filter((r) => r.inScope).map((r) => r.orgId);
      // A township's staff may narrow to their township; a village branch to none (it sits below).
      expect(own).toEqual(role === 'committee_staff' ? [town.id] : []);
      for (const id of own) {
        const narrowed = await client.inject({ method: 'GET', url: `/api/reports/summary?org=${id}` });
        expect(narrowed.statusCode, narrowed.body).toBe(200);
      }
    }
  });

  it('lists pairings, plans waiting for review, and open public notices', async () => {
    const pairings = await app.inject({ method: 'GET', url: '/api/pairings?kind=leader_contact&pageSize=5' });
    expect(pairings.statusCode, pairings.body).toBe(200);
    expect(pairings.json().total).toBe(111);
    const inbox = await app.inject({ method: 'GET', url: '/api/plans?inbox=true' });
    expect(inbox.statusCode, inbox.body).toBe(200);
    const notices = await app.raw.inject({
      method: 'GET',
      url: `/api/public/notices?county=${DEMO_COUNTY_CODE}`,
    });
    expect(notices.statusCode, notices.body).toBe(200);
    const open = notices.json().items.filter((n: { open: boolean }) => n.open);
    expect(open.length).toBeGreaterThan(0);
    const id = open[0].id;
    const detail = await app.raw.inject({
      method: 'GET',
      url: `/api/public/notices/${id}?county=${DEMO_COUNTY_CODE}`,
    });
    expect(detail.statusCode, detail.body).toBe(200);
    const page = await app.raw.inject({
      method: 'GET',
      url: `/public/notices/${id}?county=${DEMO_COUNTY_CODE}`,
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('公示');
  });

  it('opens a contact point’s register and its printable card', async () => {
    const first = (
      await app.inject({ method: 'GET', url: '/api/pairings?kind=leader_contact&pageSize=1' })
    ).json().items[0];
    const register = await app.inject({ method: 'GET', url: `/api/pairings/${first.id}/register` });
    expect(register.statusCode, register.body).toBe(200);
    const card = await app.inject({ method: 'GET', url: `/cards/${first.id}` });
    expect(card.statusCode).toBe(200);
    expect(card.body).not.toContain('<script');
  });
});
