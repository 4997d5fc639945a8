import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets, type TestDatabase } from '../../../../test/helpers/db.ts';
import { checkScheme, type SchemeContent } from '../../../domain/assessment.ts';
import { runScoring } from '../../../modules/assessment/service.ts';
import { countyToday } from '../../../modules/plans/clock.ts';
import { bulletin } from '../../../modules/reports/service.ts';
import { firstHalfFigures, readDocx } from '../../../modules/reports/test-fixtures.ts';
import { type DemoSummary, loadDemoCounty } from './index.ts';

const today = countyToday();
const year = Number(today.slice(0, 4));
/** The demo year's first half is over (the demo runs up to today). */
const firstHalfOver = today >= `${year}-07-01`;

describe.each(dbTargets())('the demo county’s assessment and bulletin on the $name database', (target) => {
  let database: TestDatabase;
  let demo: DemoSummary;

  beforeAll(async () => {
    database = await target.open();
    demo = await loadDemoCounty(database);
  });
  afterAll(() => database?.dispose());

  it('has one active scheme for the year: weights summing to 100, bands 优秀/良好/一般/较差', async () => {
    const { rows } = await sql<{ version: number; active: boolean; content: SchemeContent }>`
      SELECT version, active, content FROM assessment_schemes WHERE county_id = ${demo.countyId} AND year = ${year}`.execute(
      database.db,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ version: 1, active: true });
    const content = rows[0]!.content;
    expect(checkScheme(content)).toEqual([]);
    expect(content.bands.map((b) => b.zh)).toEqual(['优秀', '良好', '一般', '较差']);
    expect(content.indicators.find((i) => i.method === 'satisfaction')?.weight).toBe(20);
  });

  it('has one village survey open today, with answers dated within it and none after now', async () => {
    const { rows } = await sql<{
      id: number;
      opens_on: string;
      closes_on: string;
      token: string;
      sector: string;
      n: number;
    }>`
      SELECT s.id, s.opens_on, s.closes_on, s.token, o.sector,
             (SELECT count(*)::int FROM survey_responses r WHERE r.county_id = s.county_id AND r.survey_id = s.id) AS n
      FROM satisfaction_surveys s JOIN orgs o ON o.county_id = s.county_id AND o.id = s.org_id
      WHERE s.county_id = ${demo.countyId}`.execute(database.db);
    expect(rows).toHaveLength(1);
    const s = rows[0]!;
    expect(s.opens_on <= today && today <= s.closes_on).toBe(true);
    expect(s.sector).toBe('rural');
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(s.n).toBeGreaterThanOrEqual(18);
    const { rows: bad } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM survey_responses
      WHERE county_id = ${demo.countyId} AND (created_at > now() OR created_at < ${`${s.opens_on}T00:00:00+08:00`}::timestamptz)`.execute(
      database.db,
    );
    expect(bad[0]!.n).toBe(0);
  });

  it('scores its year with the active scheme', async () => {
    const run = await runScoring({ db: database.db, countyId: demo.countyId }, { year });
    expect(run.pairings).toBeGreaterThan(1000);
    expect(run.scored).toBeGreaterThan(0);
    const bands = run.bands!.pairing!;
    expect(bands.reduce((n, b) => n + b.count, 0)).toBe(run.pairings);
  });

  it.runIf(firstHalfOver)(
    'writes a first-half bulletin whose headline and township rows agree with SQL',
    async () => {
      const r = await bulletin({ db: database.db, countyId: demo.countyId }, { year, half: 1 });
      const doc = await readDocx(r.buffer);
      const f = await firstHalfFigures(database, demo.countyId);
      expect(doc.text).toContain(
        `共有${f.leaders}名党员领导干部参与“领导联点”，联系农村党支部${f.ruralBranches}个`,
      );
      expect(doc.text).toContain(
        `${f.cobuildBranches}个党支部参与“支部联建”；${f.assistMembers}名党员参与“党员联帮”`,
      );
      expect(doc.text).toContain(`上半年各结对共开展活动${f.visits}次`);
      // The seed report's 867 members and 70 branches ran all year; two contact points began in July.
      expect(f.assistMembers).toBe(867);
      expect(f.cobuildBranches).toBe(70);
      const { rows: towns } = await sql<{ id: number; short_name: string; path: string }>`
      SELECT o.id, o.short_name, o.path::text AS path FROM orgs o JOIN places p ON p.county_id = o.county_id AND p.id = o.place_id
      WHERE o.county_id = ${demo.countyId} AND o.kind = 'party_committee' AND p.kind IN ('town', 'township') ORDER BY o.id LIMIT 1`.execute(
        database.db,
      );
      const town = towns[0]!;
      const row = doc.tables[1]!.find((cells) => cells[0] === town.short_name)!;
      const t = await f.township(town.path);
      expect([Number(row[1]), Number(row[6])]).toEqual([t.pairings, t.visits]);
    },
  );
});
