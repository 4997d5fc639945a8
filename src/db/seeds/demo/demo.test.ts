import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets, type TestDatabase } from '../../../../test/helpers/db.ts';
import { parseIdNumber } from '../../../domain/idcard.ts';
import { DEMO_COUNTY_CODE, type DemoSummary, loadDemoCounty, planCounty } from './index.ts';
import { apportion, Rng, sampleWeighted } from './rng.ts';

describe('the demo generator without a database', () => {
  it('draws the same numbers from the same seed, and others from another', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => rng.int(0, 1e9));
    };
    const a = new Rng(7);
    const b = new Rng(7);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('splits a total exactly, keeping each minimum', () => {
    const parts = apportion(100, [1, 1, 1], [10, 0, 50]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(parts[0]).toBeGreaterThanOrEqual(10);
    expect(parts[2]).toBeGreaterThanOrEqual(50);
    expect(() => apportion(10, [1, 1], [6, 6])).toThrow();
  });

  it('samples exactly the asked number and never a zero weight', () => {
    const chosen = sampleWeighted(new Rng(3), [0, 1, 5, 0, 2, 9], 3);
    expect(chosen).toHaveLength(3);
    expect(chosen).not.toContain(0);
    expect(chosen).not.toContain(3);
  });

  it('plans the same county twice over', () => {
    const names = () =>
      planCounty(20260101, '2026-01-01', '2026-06-30').members.map(
        (m) => `${m.name} ${m.id_number} ${m.join_date}`,
      );
    expect(names()).toEqual(names());
  });
});

describe.each(dbTargets())('the demo county on the $name database', (target) => {
  let database: TestDatabase;
  let summary: DemoSummary;
  const steps = new Set<string>();

  beforeAll(async () => {
    database = await target.open();
    const started = performance.now();
    summary = await loadDemoCounty(database, { onProgress: (step) => steps.add(step) });
    console.info(
      `demo county loaded on the ${target.name} database in ${Math.round(performance.now() - started)} ms`,
    );
  });
  afterAll(() => database?.dispose());

  /** Runs a query scoped to the demo county and returns its rows. */
  const rows = async <T>(query: (county: number) => RawBuilder<T>) =>
    (await query(summary.countyId).execute(database.db)).rows;
  const count = async (query: (county: number) => RawBuilder<{ n: number }>) =>
    Number((await rows(query))[0]!.n);

  it('has the seed report figures in its summary', () => {
    expect(summary).toMatchObject({
      countyCode: DEMO_COUNTY_CODE,
      countyName: '青山县',
      townships: 15,
      villages: 124,
      committees: 29,
      branches: 344,
      villageBranches: 124,
      members: 8165,
      ruralMembers: 5165,
    });
    expect([...steps]).toEqual(['plan', 'places', 'orgs', 'members', 'households']);
  });

  it('has 9 towns and 6 townships, each with its own party committee under the root', async () => {
    const kinds = await rows<{ kind: string; n: number }>(
      (
        c,
      ) => sql`SELECT kind, count(*)::int AS n FROM places WHERE county_id = ${c} AND kind IN ('town', 'township')
                 GROUP BY kind ORDER BY kind`,
    );
    expect(kinds).toEqual([
      { kind: 'town', n: 9 },
      { kind: 'township', n: 6 },
    ]);
    const committees = await count(
      (
        c,
      ) => sql`SELECT count(DISTINCT p.id)::int AS n FROM orgs o JOIN places p ON p.county_id = o.county_id AND p.id = o.place_id
                 WHERE o.county_id = ${c} AND o.parent_id = ${summary.rootOrgId} AND o.kind = 'party_committee'
                   AND p.kind IN ('town', 'township')`,
    );
    expect(committees).toBe(15);
  });

  it('has 124 villages, each with exactly one village branch', async () => {
    const perVillage = await rows<{ branches: number }>(
      (c) => sql`SELECT count(o.id)::int AS branches FROM places p
                 LEFT JOIN orgs o ON o.county_id = p.county_id AND o.place_id = p.id AND o.kind = 'branch' AND o.sector = 'rural'
                 WHERE p.county_id = ${c} AND p.kind = 'village' GROUP BY p.id`,
    );
    expect(perVillage).toHaveLength(124);
    expect(perVillage.every((v) => v.branches === 1)).toBe(true);
    expect(
      await count(
        (c) => sql`SELECT count(*)::int AS n FROM orgs WHERE county_id = ${c} AND sector = 'rural'`,
      ),
    ).toBe(124);
  });

  it('has 29 committees below the root and 344 branches', async () => {
    const committees = await count(
      (c) => sql`SELECT count(*)::int AS n FROM orgs WHERE county_id = ${c} AND parent_id IS NOT NULL
                 AND kind IN ('party_committee', 'working_committee')`,
    );
    expect(committees).toBe(29);
    const direct = await count(
      (c) =>
        sql`SELECT count(*)::int AS n FROM orgs WHERE county_id = ${c} AND parent_id = ${summary.rootOrgId}`,
    );
    expect(direct).toBe(29);
    const branches = await count(
      (c) => sql`SELECT count(*)::int AS n FROM orgs WHERE county_id = ${c}
                 AND kind IN ('branch', 'joint_branch', 'temporary_branch')`,
    );
    expect(branches).toBe(344);
  });

  it('writes every org and place path as its parent path plus its own id', async () => {
    for (const table of ['orgs', 'places'] as const) {
      const wrong = await count(
        (c) => sql`SELECT count(*)::int AS n FROM ${sql.table(table)} t
                   LEFT JOIN ${sql.table(table)} p ON p.county_id = t.county_id AND p.id = t.parent_id
                   WHERE t.county_id = ${c}
                     AND t.path <> CASE WHEN p.id IS NULL THEN t.id::text::ltree ELSE p.path || t.id::text END`,
      );
      expect(wrong, table).toBe(0);
    }
  });

  it('has 8,165 party members, 5,165 of them in village branches', async () => {
    const members = await rows<{ all: number; rural: number; pipeline: number }>(
      (c) => sql`SELECT count(*) FILTER (WHERE m.is_party_member)::int AS all,
                        count(*) FILTER (WHERE m.is_party_member AND o.sector = 'rural')::int AS rural,
                        count(*) FILTER (WHERE NOT m.is_party_member)::int AS pipeline
                 FROM members m JOIN orgs o ON o.county_id = m.county_id AND o.id = m.org_id WHERE m.county_id = ${c}`,
    );
    expect(members[0]!.all).toBe(8165);
    expect(members[0]!.rural).toBe(5165);
    expect(members[0]!.pipeline).toBeGreaterThan(100);
  });

  it('has enough leaders and needy members and households for the seed pairings', async () => {
    const leaders = await count(
      (
        c,
      ) => sql`SELECT count(*)::int AS n FROM members m JOIN orgs o ON o.county_id = m.county_id AND o.id = m.org_id
                 WHERE m.county_id = ${c} AND m.is_party_member AND m.leader_rank IN ('county', 'section')
                   AND o.sector <> 'rural' AND m.leader_unit IS NOT NULL`,
    );
    expect(leaders).toBeGreaterThanOrEqual(111);
    expect(leaders).toBe(summary.leaders.county + summary.leaders.section);
    const needyRural = await count(
      (
        c,
      ) => sql`SELECT count(*)::int AS n FROM members m JOIN orgs o ON o.county_id = m.county_id AND o.id = m.org_id
                 WHERE m.county_id = ${c} AND m.is_party_member AND m.is_needy AND o.sector = 'rural'`,
    );
    expect(needyRural).toBeGreaterThanOrEqual(449);
    const needyHouseholds = await count(
      (
        c,
      ) => sql`SELECT count(*)::int AS n FROM households h JOIN household_categories k ON k.code = h.category
                 WHERE h.county_id = ${c} AND k.is_needy`,
    );
    expect(needyHouseholds).toBeGreaterThanOrEqual(418);
    expect(needyHouseholds).toBe(summary.needyHouseholds);
    const enterprises = await count(
      (c) => sql`SELECT count(*)::int AS n FROM orgs WHERE county_id = ${c}
                 AND sector IN ('state_enterprise', 'private_enterprise') AND kind IN ('branch', 'joint_branch')`,
    );
    expect(enterprises).toBeGreaterThanOrEqual(6);
  });

  it('puts every household in a group of its own village, under that village branch', async () => {
    const perVillage = await rows<{ n: number }>(
      (c) => sql`SELECT count(h.id)::int AS n FROM places v
                 LEFT JOIN households h ON h.county_id = v.county_id AND h.village_id = v.id
                 WHERE v.county_id = ${c} AND v.kind = 'village' GROUP BY v.id`,
    );
    expect(perVillage.every((v) => v.n >= 20 && v.n <= 45)).toBe(true);
    const misplaced = await count(
      (c) => sql`SELECT count(*)::int AS n FROM households h
                 JOIN places g ON g.county_id = h.county_id AND g.id = h.group_id
                 JOIN orgs o ON o.county_id = h.county_id AND o.id = h.org_id
                 WHERE h.county_id = ${c} AND (g.parent_id <> h.village_id OR o.place_id <> h.village_id)`,
    );
    expect(misplaced).toBe(0);
  });

  it('gives every member a valid ID number that agrees with the birth date and gender', async () => {
    const members = await rows<{ id_number: string; birth_date: string; gender: string }>(
      (c) => sql`SELECT id_number, birth_date, gender FROM members WHERE county_id = ${c}`,
    );
    const wrong = members.filter((m) => {
      const parsed = parseIdNumber(m.id_number);
      return !parsed.ok || parsed.value.birthDate !== m.birth_date || parsed.value.gender !== m.gender;
    });
    expect(wrong).toEqual([]);
  });

  it('dates joining at 18 or later, never in the future, full membership a year after', async () => {
    const wrong = await count(
      (c) => sql`SELECT count(*)::int AS n FROM members WHERE county_id = ${c} AND is_party_member AND (
                   join_date IS NULL OR join_date < birth_date + interval '18 years' OR join_date > current_date
                   OR (category = 'full' AND (full_member_date IS NULL OR full_member_date > current_date
                       OR full_member_date <> (join_date + interval '1 year')::date))
                   OR (category = 'probationary' AND (full_member_date IS NOT NULL OR join_date <= current_date - 366)))`,
    );
    expect(wrong).toBe(0);
  });

  it('shows fewer women and older members in the villages than elsewhere', async () => {
    const groups = await rows<{ rural: boolean; women: number; age: number }>(
      (c) => sql`SELECT o.sector = 'rural' AS rural,
                        avg(CASE WHEN m.gender = 'female' THEN 1 ELSE 0 END)::float8 AS women,
                        avg(date_part('year', age(m.birth_date)))::float8 AS age
                 FROM members m JOIN orgs o ON o.county_id = m.county_id AND o.id = m.org_id
                 WHERE m.county_id = ${c} AND m.is_party_member GROUP BY 1`,
    );
    const rural = groups.find((g) => g.rural)!;
    const others = groups.find((g) => !g.rural)!;
    expect(rural.women).toBeLessThan(others.women);
    expect(rural.women).toBeGreaterThan(0.15);
    expect(rural.women).toBeLessThan(0.3);
    expect(rural.age).toBeGreaterThan(others.age + 5);
  });

  it('refuses to load the demo county twice and leaves the first one as it was', async () => {
    await expect(loadDemoCounty(database)).rejects.toThrow(/演示县已存在/);
    const counties = await count(() => sql`SELECT count(*)::int AS n FROM counties`);
    expect(counties).toBe(1);
    const members = await count((c) => sql`SELECT count(*)::int AS n FROM members WHERE county_id = ${c}`);
    expect(members).toBeGreaterThan(8165);
  });

  // One more load is enough to show it, on the embedded database (no server round trips); the check
  // is defined there only, not skipped elsewhere.
  const onEmbedded = target.name === 'embedded' ? it : (((..._: unknown[]) => {}) as unknown as typeof it);
  onEmbedded('builds the same county from the same seed', async () => {
    const other = await target.open();
    try {
      await loadDemoCounty(other);
      const people = (d: TestDatabase) =>
        sql<{ name: string; id_number: string }>`SELECT name, id_number FROM members ORDER BY id`.execute(
          d.db,
        );
      const households = (d: TestDatabase) =>
        sql<{
          head_name: string;
          category: string;
        }>`SELECT head_name, category FROM households ORDER BY id`.execute(d.db);
      expect((await people(other)).rows).toEqual((await people(database)).rows);
      expect((await households(other)).rows).toEqual((await households(database)).rows);
    } finally {
      await other.dispose();
    }
  });
});
