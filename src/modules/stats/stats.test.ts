import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeCounty,
  makeHousehold,
  makeMember,
  makeOrg,
  makeTownship,
  testApp,
} from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { type DemoSummary, loadDemoCounty } from '../../db/seeds/demo/index.ts';
import type { StructureStats } from './service.ts';

type Bucket = { code: string; label: string; count: number };
const byCode = (buckets: Bucket[]) => Object.fromEntries(buckets.map((b) => [b.code, b.count]));
const sum = (buckets: Bucket[]) => buckets.reduce((s, b) => s + b.count, 0);

/** The fixed date every small-county figure is computed on. */
const AS_OF = '2025-06-30';

describe.each(dbTargets())('structure statistics on the $name database', (target) => {
  let database: TestDatabase;
  let small: Awaited<ReturnType<typeof testApp>>;
  let demoApp: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;
  let demo: DemoSummary;

  const statsOf = async (app: typeof small, query = '') => {
    const res = await app.inject({ method: 'GET', url: `/api/stats/structure${query ? `?${query}` : ''}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as StructureStats;
  };

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369941', name: '统县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    const agency = await makeOrg(t.ctx, {
      parentId: a.committee.id,
      name: '甲镇机关党支部',
      kind: 'branch',
      sector: 'agency',
    });
    const [v0, v1] = [a.villages[0]!.branch.id, a.villages[1]!.branch.id];
    const people = [
      // Ages as of 2025-06-30: 30, 29, 40, 41, 70, 75.
      { orgId: v0, gender: 'male', birthDate: '1995-06-30', education: 'bachelor', joinDate: '2025-07-01' },
      {
        orgId: v0,
        gender: 'female',
        birthDate: '1995-07-01',
        education: 'college',
        joinDate: '2025-03-01',
        category: 'probationary',
      },
      {
        orgId: v1,
        gender: 'female',
        birthDate: '1985-06-30',
        education: 'high_school',
        joinDate: '2024-12-31',
        isNeedy: true,
      },
      {
        orgId: agency.id,
        gender: 'male',
        birthDate: '1984-06-30',
        education: null,
        joinDate: '2025-06-30',
        leaderRank: 'section',
        leaderUnit: '甲镇人民政府',
      },
      { orgId: v1, gender: 'male', birthDate: '1955-01-01', education: 'primary', joinDate: '1975-07-01' },
      {
        orgId: v1,
        gender: 'female',
        birthDate: '1950-01-01',
        education: 'junior_high',
        joinDate: '1970-01-01',
        status: 'mobile',
        mobileTo: '浙江省义乌市',
      },
      // The pipeline, and a member who has died: none of them in members.total.
      { orgId: v0, gender: 'female', birthDate: '2000-01-01', category: 'activist', joinDate: null },
      { orgId: v0, gender: 'male', birthDate: '1998-02-02', category: 'development_target', joinDate: null },
      { orgId: v1, gender: 'male', birthDate: '1940-01-01', joinDate: '1960-01-01', status: 'deceased' },
      // The sibling township.
      { orgId: b.villages[0]!.branch.id, gender: 'male', birthDate: '1970-01-01', joinDate: '1995-01-01' },
      {
        orgId: b.villages[1]!.branch.id,
        gender: 'female',
        birthDate: '1972-01-01',
        joinDate: '1995-01-01',
        isNeedy: true,
      },
    ] as const;
    for (const p of people) {
      await makeMember(t.ctx, { fullMemberDate: null, ...(p as Parameters<typeof makeMember>[1]) });
    }
    const [p0, p1] = [a.villages[0]!.village.id, a.villages[1]!.village.id];
    await makeHousehold(t.ctx, { villageId: p0, category: 'poor' });
    await makeHousehold(t.ctx, { villageId: p0, category: 'ordinary' });
    await makeHousehold(t.ctx, { villageId: p1, category: 'subsistence' });
    await makeHousehold(t.ctx, { villageId: p1, category: 'large_grower' });
    await makeHousehold(t.ctx, { villageId: b.villages[0]!.village.id, category: 'poor' });

    const started = performance.now();
    demo = await loadDemoCounty(database);
    console.info(
      `demo county loaded on the ${target.name} database in ${Math.round(performance.now() - started)} ms`,
    );
    // Two counties in one database: each app serves one, by its code.
    small = await testApp(database, '369941');
    demoApp = await testApp(database, demo.countyCode);
  });
  afterAll(async () => {
    await small?.close();
    await demoApp?.close();
    await database?.dispose();
  });

  describe('a small county built by the factories', () => {
    it('counts a township’s committee, branches and village branches', async () => {
      const s = await statsOf(small, `org=${a.committee.id}&asOf=${AS_OF}`);
      expect(s.org).toEqual({ id: a.committee.id, name: '中共甲镇委员会' });
      expect(s.asOf).toBe(AS_OF);
      expect(s.orgs).toMatchObject({ committees: 1, branches: 3, villageBranches: 2 });
      expect(byCode(s.orgs.byKind)).toMatchObject({ party_committee: 1, branch: 3, general_branch: 0 });
    });

    it('counts party members only: activists and development targets in the pipeline, the dead nowhere', async () => {
      const s = await statsOf(small, `org=${a.committee.id}&asOf=${AS_OF}`);
      expect(s.members).toMatchObject({ total: 6, full: 5, probationary: 1 });
      expect(s.pipeline).toEqual({ developmentTargets: 1, activists: 1, applicants: 0 });
    });

    it('splits the members by gender, with the share of women', async () => {
      const s = await statsOf(small, `org=${a.committee.id}&asOf=${AS_OF}`);
      expect(byCode(s.members.byGender)).toEqual({ male: 3, female: 3 });
      expect(s.members).toMatchObject({ women: 3, womenPercent: 50 });
    });

    it('computes ages on asOf: 30 is still “30 and under”, 41 is “41-50”, and the average age', async () => {
      const s = await statsOf(small, `org=${a.committee.id}&asOf=${AS_OF}`);
      expect(byCode(s.members.byAgeBand)).toEqual({
        under_30: 2,
        '31_40': 1,
        '41_50': 1,
        '51_60': 0,
        '61_70': 1,
        over_70: 1,
      });
      expect(s.members.averageAge).toBe(47.5);
    });

    it('moves members between age bands when asOf moves a day back', async () => {
      const s = await statsOf(small, `org=${a.committee.id}&asOf=2025-06-29`);
      expect(byCode(s.members.byAgeBand)).toMatchObject({ under_30: 2, '31_40': 2, '41_50': 0 });
      expect(s.members.averageAge).toBe(47); // 29, 29, 39, 40, 70, 75
    });

    it('puts every education level in its bucket, and a missing one under 未填写', async () => {
      const s = await statsOf(small, `org=${a.committee.id}&asOf=${AS_OF}`);
      expect(byCode(s.members.byEducation)).toEqual({
        postgraduate: 0,
        bachelor: 1,
        college: 1,
        secondary_vocational: 0,
        high_school: 1,
        junior_high: 1,
        primary: 1,
        unknown: 1,
      });
      expect(s.members.byEducation.find((e) => e.code === 'unknown')!.label).toBe('未填写');
    });

    it('counts as new this year those who joined from 1 January up to asOf, not after it', async () => {
      expect((await statsOf(small, `org=${a.committee.id}&asOf=${AS_OF}`)).members.newThisYear).toBe(2);
      expect((await statsOf(small, `org=${a.committee.id}&asOf=2025-06-29`)).members.newThisYear).toBe(1);
      expect((await statsOf(small, `org=${a.committee.id}&asOf=2024-12-31`)).members.newThisYear).toBe(1);
      expect((await statsOf(small, `org=${a.committee.id}&asOf=2025-12-31`)).members.newThisYear).toBe(3);
    });

    it('counts rural members as the members of rural-sector organisations', async () => {
      const s = await statsOf(small, `org=${a.committee.id}&asOf=${AS_OF}`);
      expect(s.members.rural).toBe(5);
      expect(byCode(s.members.bySector)).toMatchObject({ rural: 5, agency: 1, community: 0 });
    });

    it('counts needy and mobile members, section-level leaders, and needy households', async () => {
      const s = await statsOf(small, `org=${a.committee.id}&asOf=${AS_OF}`);
      expect(s.members).toMatchObject({ needy: 1, mobile: 1 });
      expect(s.leaders).toEqual({ county: 0, section: 1, other: 0 });
      expect(s.households).toMatchObject({ total: 4, needy: 2 });
      expect(byCode(s.households.byCategory)).toMatchObject({
        poor: 1,
        subsistence: 1,
        large_grower: 1,
        ordinary: 1,
        extreme_poor: 0,
      });
    });

    it('the whole county (no org) adds the sibling township', async () => {
      const s = await statsOf(small, `asOf=${AS_OF}`);
      expect(s.org.id).toBe(t.rootOrg.id);
      expect(s.orgs).toMatchObject({ committees: 2, branches: 5, villageBranches: 4 });
      expect(s.members).toMatchObject({ total: 8, rural: 7, women: 4, needy: 2 });
      expect(s.households).toMatchObject({ total: 5, needy: 3 });
    });

    it('one branch counts no committee and only its own members', async () => {
      const s = await statsOf(small, `org=${a.villages[1]!.branch.id}&asOf=${AS_OF}`);
      expect(s.orgs).toMatchObject({ committees: 0, branches: 1, villageBranches: 1 });
      expect(s.members).toMatchObject({ total: 3, women: 2, rural: 3 });
    });

    it('the organisation page and the statistics give the same number of members', async () => {
      const s = await statsOf(small, `org=${a.committee.id}&asOf=${AS_OF}`);
      const org = (await small.inject({ method: 'GET', url: `/api/orgs/${a.committee.id}` })).json();
      expect(org.counts.members).toBe(s.members.total);
    });

    it('an unknown organisation is 404; an impossible asOf or an unknown parameter is 400 naming it', async () => {
      expect((await small.inject({ method: 'GET', url: '/api/stats/structure?org=987654' })).statusCode).toBe(
        404,
      );
      const bad = await small.inject({ method: 'GET', url: '/api/stats/structure?asOf=2025-02-30' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('asOf');
      const unknown = await small.inject({ method: 'GET', url: '/api/stats/structure?year=2025' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.field).toBe('year');
    });

    it('never counts another county’s organisations, even when asked for one by id', async () => {
      // Org ids come from one sequence, so the demo county's root is no org of this county.
      const other = await small.inject({ method: 'GET', url: `/api/stats/structure?org=${demo.rootOrgId}` });
      expect(other.statusCode).toBe(404);
      expect((await statsOf(small)).members.total).toBe(8);
    });
  });

  describe('the demo county 青山县', () => {
    it('reports the seed figures for the whole county', async () => {
      const s = await statsOf(demoApp);
      expect(s.orgs).toMatchObject({ committees: 29, branches: 344, villageBranches: 124 });
      expect(s.members).toMatchObject({ total: 8165, rural: 5165 });
      expect(s.members.full + s.members.probationary).toBe(8165);
    });

    it('every breakdown of the county adds up to the total', async () => {
      const s = await statsOf(demoApp);
      for (const key of ['byGender', 'byAgeBand', 'byEducation', 'bySector'] as const) {
        expect(sum(s.members[key]), key).toBe(8165);
      }
      expect(s.members.women).toBe(byCode(s.members.byGender).female);
      expect(sum(s.households.byCategory)).toBe(s.households.total);
    });

    it('the 15 township subtrees sum consistently: 5,165 rural members and 124 village branches between them', async () => {
      const placesOf = async (kind: string) =>
        (await demoApp.inject({ method: 'GET', url: `/api/places?kind=${kind}&pageSize=100` })).json()
          .items as { kind: string; name: string }[];
      const townships = [...(await placesOf('town')), ...(await placesOf('township'))];
      expect(townships).toHaveLength(15);
      const committees = (
        await demoApp.inject({ method: 'GET', url: `/api/orgs?parent=${demo.rootOrgId}&pageSize=100` })
      ).json().items as { id: number; name: string }[];
      const townshipCommittees = townships.map((p) => {
        const c = committees.find((o) => o.name === `中共青山县${p.name}委员会`);
        expect(c, p.name).toBeDefined();
        return c!;
      });
      const stats = await Promise.all(townshipCommittees.map((c) => statsOf(demoApp, `org=${c.id}`)));
      expect(stats.reduce((n, s) => n + s.members.rural, 0)).toBe(5165);
      expect(stats.reduce((n, s) => n + s.orgs.villageBranches, 0)).toBe(124);
      for (const s of stats) {
        expect(s.orgs.committees, s.org.name).toBe(1);
        expect(s.members.rural, s.org.name).toBeLessThanOrEqual(s.members.total);
        expect(sum(s.members.byGender), s.org.name).toBe(s.members.total);
        expect(sum(s.members.byAgeBand), s.org.name).toBe(s.members.total);
        expect(byCode(s.members.bySector).rural, s.org.name).toBe(s.members.rural);
      }
      // One township's total is what the member list finds under it.
      const first = townshipCommittees[0]!;
      const listed = (
        await demoApp.inject({ method: 'GET', url: `/api/members?under=${first.id}&pageSize=1` })
      ).json();
      expect(listed.total).toBe(stats[0]!.members.total);
    });

    it('the subtrees of the root’s children add up to the whole county', async () => {
      const children = (
        await demoApp.inject({ method: 'GET', url: `/api/orgs?parent=${demo.rootOrgId}&pageSize=100` })
      ).json().items as { id: number }[];
      const stats = await Promise.all(children.map((c) => statsOf(demoApp, `org=${c.id}`)));
      expect(stats.reduce((n, s) => n + s.members.total, 0)).toBe(8165);
      expect(stats.reduce((n, s) => n + s.orgs.branches, 0)).toBe(344);
      expect(stats.reduce((n, s) => n + s.orgs.committees, 0)).toBe(29);
    });

    it('women are a smaller share among rural members than among the others', async () => {
      const total = async (query: string) =>
        (await demoApp.inject({ method: 'GET', url: `/api/members?pageSize=1&${query}` })).json()
          .total as number;
      const [all, allWomen, rural, ruralWomen] = await Promise.all([
        total(''),
        total('gender=female'),
        total('sector=rural'),
        total('sector=rural&gender=female'),
      ]);
      expect(rural).toBe(5165);
      expect(all).toBe(8165);
      const ruralShare = ruralWomen / rural;
      const otherShare = (allWomen - ruralWomen) / (all - rural);
      expect(ruralShare).toBeLessThan(otherShare);
      expect(ruralShare).toBeGreaterThan(0);
    });
  });
});
