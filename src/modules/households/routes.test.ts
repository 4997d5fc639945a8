import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeCounty,
  makeHousehold,
  makeOrg,
  makePlace,
  makeTownship,
  testApp,
} from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { checkCharFor, makeIdNumber } from '../../domain/idcard.ts';

const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;
/** Heads' ID numbers: area 369902, born in 1960, so they never meet the factories' members. */
const headId = (seq: number) => makeIdNumber('369902', '1960-03-15', seq);

interface PlaceJson {
  id: number;
  parentId: number | null;
  kind: string;
  kindLabel: string;
  name: string;
  path: string;
}
interface HouseholdJson {
  id: number;
  orgId: number;
  orgName: string;
  villageId: number;
  groupId: number | null;
  headName: string;
  headIdNumber: string | null;
  category: string;
  isNeedy: boolean;
}

describe.each(dbTargets())('places and households API on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  /** Households registered through the API live here. */
  let a: Awaited<ReturnType<typeof makeTownship>>;
  /** Households only the list tests read, and a sibling township. */
  let c: Awaited<ReturnType<typeof makeTownship>>;
  let d: Awaited<ReturnType<typeof makeTownship>>;
  const groups: Record<string, number> = {};

  const countOf = async (table: 'places' | 'households') =>
    Number(
      (
        await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const postPlace = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/places', payload });
  const postHousehold = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/households', payload });
  const patchHousehold = (id: number, payload: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: `/api/households/${id}`, payload });
  const listHouseholds = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/households?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: HouseholdJson[]; total: number };
  };
  const listPlaces = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/places?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: PlaceJson[]; total: number };
  };
  const heads = (page: { items: HouseholdJson[] }) => page.items.map((h) => h.headName).sort();

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369932', name: '户县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    c = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '丙镇');
    d = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '丁镇');
    for (const [key, village] of [
      ['a0-1', a.villages[0]!.village],
      ['a0-2', a.villages[0]!.village],
      ['a1-1', a.villages[1]!.village],
      ['c0-1', c.villages[0]!.village],
      ['c1-1', c.villages[1]!.village],
    ] as const) {
      const g = await makePlace(t.ctx, { parentId: village.id, kind: 'group', name: `${key.slice(-1)}组` });
      groups[key] = g.id;
    }
    const [c0, c1] = [c.villages[0]!.village.id, c.villages[1]!.village.id];
    await makeHousehold(t.ctx, {
      villageId: c0,
      groupId: groups['c0-1']!,
      headName: '王大',
      category: 'poor',
    });
    await makeHousehold(t.ctx, { villageId: c0, headName: '王二', category: 'ordinary' });
    await makeHousehold(t.ctx, {
      villageId: c1,
      groupId: groups['c1-1']!,
      headName: '李三',
      category: 'subsistence',
    });
    await makeHousehold(t.ctx, { villageId: c1, headName: '李四', category: 'large_grower' });
    await makeHousehold(t.ctx, { villageId: c1, headName: '赵五', category: 'five_guarantee' });
    await makeHousehold(t.ctx, { villageId: d.villages[0]!.village.id, headName: '王六', category: 'poor' });
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  describe('places', () => {
    it('builds county → town → village → group, each path extending its parent’s', async () => {
      const town = await postPlace({ parentId: t.countyPlaceId, kind: 'town', name: '新镇' });
      expect(town.statusCode, town.body).toBe(201);
      expect(town.json()).toMatchObject({
        parentId: t.countyPlaceId,
        kind: 'town',
        kindLabel: '镇',
        name: '新镇',
      });
      const village = await postPlace({ parentId: town.json().id, kind: 'village', name: '新村' });
      expect(village.statusCode, village.body).toBe(201);
      expect(village.json()).toMatchObject({
        kindLabel: '行政村',
        path: `${town.json().path}.${village.json().id}`,
      });
      const group = await postPlace({ parentId: village.json().id, kind: 'group', name: '一组' });
      expect(group.statusCode, group.body).toBe(201);
      expect(group.json().path).toBe(`${village.json().path}.${group.json().id}`);
      expect(group.json().path.split('.')).toHaveLength(4);
      const again = await app.inject({ method: 'GET', url: `/api/places/${group.json().id}` });
      expect(again.json()).toEqual(group.json());
    });

    it('a village directly under the county is refused, names kind, and writes nothing', async () => {
      const before = await countOf('places');
      const res = await postPlace({ parentId: t.countyPlaceId, kind: 'village', name: '直属村' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('kind');
      expect(res.json().error.message).toBe('行政村不能设在县之下');
      expect(await countOf('places')).toBe(before);
    });

    it('a villager group under a town, and a second county, are refused naming kind', async () => {
      const group = await postPlace({ parentId: a.town.id, kind: 'group', name: '镇下小组' });
      expect(group.statusCode).toBe(400);
      expect(group.json().error.field).toBe('kind');
      const county = await postPlace({ parentId: t.countyPlaceId, kind: 'county', name: '县中县' });
      expect(county.statusCode).toBe(400);
      expect(county.json().error.field).toBe('kind');
    });

    it('a parent that does not exist is refused naming parentId', async () => {
      const res = await postPlace({ parentId: 987654, kind: 'town', name: '无根镇' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('parentId');
    });

    it('a second place of the same name under the same parent is 409 naming name (spaces trimmed); under another parent it is fine', async () => {
      const before = await countOf('places');
      const dup = await postPlace({ parentId: a.town.id, kind: 'village', name: ' 东山村 ' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().error).toMatchObject({ code: 'conflict', field: 'name' });
      expect(dup.json().error.message).toContain('东山村');
      expect(await countOf('places')).toBe(before);
      // 一组 exists under 甲镇东山村 already; under 甲镇西坪村 too; a new village may have its own.
      const other = await postPlace({ parentId: d.villages[1]!.village.id, kind: 'group', name: '一组' });
      expect(other.statusCode, other.body).toBe(201);
    });

    it('lists places by parent, by kind, and within a place (including itself)', async () => {
      const children = await listPlaces(`parent=${a.town.id}`);
      expect(children.items.map((p) => p.name).sort()).toEqual(['东山村', '西坪村']);
      expect(children.total).toBe(2);

      const groupsOfA = await listPlaces(`under=${a.town.id}&kind=group`);
      expect(groupsOfA.items.map((p) => p.id).sort()).toEqual(
        [groups['a0-1']!, groups['a0-2']!, groups['a1-1']!].sort(),
      );

      const within = await listPlaces(`under=${a.villages[0]!.village.id}`);
      expect(within.items.map((p) => p.name)).toEqual(['东山村', '1组', '2组']);

      const towns = await listPlaces('kind=town');
      expect(towns.items.map((p) => p.name)).toEqual(expect.arrayContaining(['甲镇', '丙镇', '丁镇']));
      expect(towns.items.every((p) => p.kind === 'town')).toBe(true);
    });

    it('an unknown place is 404, in `under` as well', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/places/987654' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/api/places?under=987654' })).statusCode).toBe(404);
    });

    it('simultaneous creations of one place give one place and 409 for the rest, never a 500', async () => {
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => postPlace({ parentId: c.town.id, kind: 'village', name: '同名村' })),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    });
  });

  describe('registering a household', () => {
    it('with a group of its village: 201, the village branch answers for it, the head’s ID and phone masked', async () => {
      const id = headId(11);
      const res = await postHousehold({
        villageId: a.villages[0]!.village.id,
        groupId: groups['a0-1'],
        headName: '张富',
        headIdNumber: id,
        phone: '13912345678',
        size: 4,
        category: 'poor',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        orgId: a.villages[0]!.branch.id,
        orgName: '甲镇东山村党支部',
        villageName: '东山村',
        groupId: groups['a0-1'],
        groupName: '1组',
        headIdNumber: masked(id),
        phone: '139****5678',
        size: 4,
        category: 'poor',
        categoryLabel: '贫困户',
        isNeedy: true,
      });
      const stored = await database.db
        .selectFrom('households')
        .select(['head_id_number', 'phone'])
        .where('id', '=', res.json().id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ head_id_number: id, phone: '13912345678' });
    });

    it('without a group, and without a head ID number: size 1 by default', async () => {
      const res = await postHousehold({
        villageId: a.villages[1]!.village.id,
        headName: '张贵',
        category: 'tech_demo',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        groupId: null,
        groupName: null,
        headIdNumber: null,
        size: 1,
        isNeedy: false,
        orgId: a.villages[1]!.branch.id,
      });
    });

    /** Posts, expects `status` naming `field`, and checks that nothing was written. */
    async function refused(payload: Record<string, unknown>, field: string, status = 400) {
      const before = await countOf('households');
      const res = await postHousehold({
        villageId: a.villages[0]!.village.id,
        headName: '错户',
        category: 'ordinary',
        ...payload,
      });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.field).toBe(field);
      expect(await countOf('households')).toBe(before);
      return res.json().error as { message: string };
    }

    it('a group of another village is refused and names groupId', async () => {
      const error = await refused({ groupId: groups['a1-1'] }, 'groupId');
      expect(error.message).toContain('东山村');
    });

    it('a town given as the village is refused and names villageId', async () => {
      await refused({ villageId: a.town.id }, 'villageId');
    });

    it('a head ID number with a wrong check digit is refused and names headIdNumber', async () => {
      const good = headId(13);
      const wrong = good.slice(0, 17) + (checkCharFor(good.slice(0, 17)) === '0' ? '1' : '0');
      await refused({ headIdNumber: wrong }, 'headIdNumber');
    });

    it('a head ID number already registered is 409 naming headIdNumber', async () => {
      await refused({ headIdNumber: headId(11) }, 'headIdNumber', 409);
    });

    it('a bad phone is refused naming phone; an unknown field is refused naming it', async () => {
      await refused({ phone: '88' }, 'phone');
      await refused({ countyId: 3 }, 'countyId');
      await refused({ category: 'rich' }, 'category');
    });

    it('an organisation that does not exist is refused naming orgId', async () => {
      await refused({ orgId: 987654 }, 'orgId');
    });

    it('a closed organisation cannot be made responsible for a household (orgId)', async () => {
      const closed = await makeOrg(t.ctx, {
        parentId: a.committee.id,
        name: '甲镇已撤党支部',
        sector: 'rural',
      });
      const close = await app.inject({
        method: 'POST',
        url: `/api/orgs/${closed.id}/close`,
        payload: { closedOn: '2025-06-30', reason: '撤并' },
      });
      expect(close.statusCode, close.body).toBe(200);
      await refused({ orgId: closed.id }, 'orgId');
    });
  });

  describe('a township’s staff name only their own township’s places and branches', () => {
    let staff: Awaited<ReturnType<typeof app.as>>;
    /** A village of the sibling township 丙镇 with a name found nowhere else, and its branch. */
    let far: { village: { id: number }; branch: { id: number } };
    beforeAll(async () => {
      staff = await app.as('committee_staff', a.committee.id);
      const village = await makePlace(t.ctx, { parentId: c.town.id, kind: 'village', name: '远山坳村' });
      const branch = await makeOrg(t.ctx, {
        parentId: c.committee.id,
        name: '丙镇远山坳村党支部',
        sector: 'rural',
        placeId: village.id,
      });
      far = { village, branch };
    });
    const post = (payload: Record<string, unknown>) =>
      staff.inject({
        method: 'POST',
        url: '/api/households',
        payload: { headName: '越界户', category: 'poor', ...payload },
      });
    /** The refusal for a reference that does not exist, which an out-of-reach one must match exactly. */
    const unknown = async (payload: Record<string, unknown>) => (await post(payload)).json();

    it('a sibling township’s village is refused as if it did not exist, with or without orgId, and nothing is stored', async () => {
      const before = await countOf('households');
      const nowhere = await unknown({ villageId: 987654 });
      expect(nowhere.error.field).toBe('villageId');
      for (const payload of [
        { villageId: far.village.id, orgId: a.villages[0]!.branch.id },
        { villageId: far.village.id },
        { villageId: c.villages[0]!.village.id, orgId: a.villages[0]!.branch.id },
      ]) {
        const res = await post(payload);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json()).toEqual(nowhere);
        expect(res.body).not.toContain('远山坳');
      }
      expect(await countOf('households')).toBe(before);
    });

    it('a sibling township’s branch is refused as if it did not exist', async () => {
      const before = await countOf('households');
      const own = { villageId: a.villages[0]!.village.id };
      const nowhere = await unknown({ ...own, orgId: 987654 });
      const res = await post({ ...own, orgId: far.branch.id });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toEqual(nowhere);
      expect(nowhere.error.field).toBe('orgId');
      expect(await countOf('households')).toBe(before);
    });

    it('a PATCH moving an own household to a sibling township’s village is refused and changes nothing', async () => {
      const created = await post({ villageId: a.villages[0]!.village.id });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id;
      const res = await staff.inject({
        method: 'PATCH',
        url: `/api/households/${id}`,
        payload: { villageId: far.village.id },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.field).toBe('villageId');
      const after = await database.db
        .selectFrom('households')
        .select(['village_id', 'org_id'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(after).toEqual({ village_id: a.villages[0]!.village.id, org_id: a.villages[0]!.branch.id });
    });
  });

  describe('listing households', () => {
    const underC = () => `under=${c.committee.id}`;

    it('`under` a township lists its subtree only, not a sibling township’s', async () => {
      const page = await listHouseholds(underC());
      expect(page.total).toBe(5);
      expect(heads(page)).toEqual(['李三', '李四', '王大', '王二', '赵五'].sort());
      expect(heads(await listHouseholds(`under=${d.committee.id}`))).toEqual(['王六']);
    });

    it('`needy=true` lists the needy categories (贫困, 特困, 低保, 五保, 困难) only', async () => {
      const page = await listHouseholds(`${underC()}&needy=true`);
      expect(heads(page)).toEqual(['李三', '王大', '赵五'].sort());
      expect(page.items.every((h) => h.isNeedy)).toBe(true);
      expect(heads(await listHouseholds(`${underC()}&needy=false`))).toEqual(['李四', '王二'].sort());
    });

    it('`category` lists one category', async () => {
      expect(heads(await listHouseholds(`${underC()}&category=poor`))).toEqual(['王大']);
      expect(heads(await listHouseholds(`category=poor&under=${d.committee.id}`))).toEqual(['王六']);
    });

    it('`village` lists one village', async () => {
      expect(heads(await listHouseholds(`village=${c.villages[1]!.village.id}`))).toEqual(
        ['李三', '李四', '赵五'].sort(),
      );
    });

    it('`q` finds households by the head’s name prefix; pages carry the whole total', async () => {
      expect(heads(await listHouseholds(`${underC()}&q=${encodeURIComponent('王')}`))).toEqual(
        ['王大', '王二'].sort(),
      );
      const p2 = await listHouseholds(`${underC()}&pageSize=2&page=3`);
      expect(p2.total).toBe(5);
      expect(p2.items).toHaveLength(1);
    });

    it('an unknown organisation in `under` is 404; an unknown category is 400 naming category', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/households?under=987654' })).statusCode).toBe(404);
      const bad = await app.inject({ method: 'GET', url: '/api/households?category=rich' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('category');
    });
  });

  describe('updating a household', () => {
    async function create(extra: Record<string, unknown> = {}) {
      const res = await postHousehold({
        villageId: a.villages[0]!.village.id,
        groupId: groups['a0-2'],
        headName: '改户',
        category: 'ordinary',
        ...extra,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as HouseholdJson;
    }

    it('a PATCH of the category makes it needy, and keeps everything else', async () => {
      const h = await create({ phone: '13700001111', size: 3 });
      const res = await patchHousehold(h.id, { category: 'extreme_poor' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        category: 'extreme_poor',
        categoryLabel: '特困户',
        isNeedy: true,
        size: 3,
        phone: '137****1111',
        groupId: groups['a0-2'],
        orgId: a.villages[0]!.branch.id,
      });
      const got = await app.inject({ method: 'GET', url: `/api/households/${h.id}` });
      expect(got.json().category).toBe('extreme_poor');
    });

    it('a PATCH to a group of another village is refused naming groupId, and changes nothing', async () => {
      const h = await create();
      const res = await patchHousehold(h.id, { groupId: groups['a1-1'] });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('groupId');
      const after = (await app.inject({ method: 'GET', url: `/api/households/${h.id}` })).json();
      expect(after.groupId).toBe(groups['a0-2']);
    });

    it('a PATCH can keep its own head ID number, and refuses another household’s (409 headIdNumber)', async () => {
      const own = headId(21);
      const h = await create({ headIdNumber: own });
      const same = await patchHousehold(h.id, { headIdNumber: own, headName: '改名户' });
      expect(same.statusCode, same.body).toBe(200);
      expect(same.json()).toMatchObject({ headName: '改名户', headIdNumber: masked(own) });
      const taken = await patchHousehold(h.id, { headIdNumber: headId(11) });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.field).toBe('headIdNumber');
      const cleared = await patchHousehold(h.id, { headIdNumber: null });
      expect(cleared.json().headIdNumber).toBeNull();
    });

    it('moving a household to another village drops its old group', async () => {
      const h = await create();
      const res = await patchHousehold(h.id, { villageId: a.villages[1]!.village.id });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ villageId: a.villages[1]!.village.id, groupId: null });
    });

    it('moving a household to another village hands it to that village’s branch unless a branch is given', async () => {
      const h = await create();
      const res = await patchHousehold(h.id, { villageId: c.villages[0]!.village.id });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        villageId: c.villages[0]!.village.id,
        orgId: c.villages[0]!.branch.id,
      });
      // Move it back so the 丙镇 list counts stay as they were, whatever the outcome above.
      await patchHousehold(h.id, { villageId: a.villages[0]!.village.id, orgId: a.villages[0]!.branch.id });
    });

    it('an unknown household is 404 for GET and PATCH', async () => {
      expect((await app.inject({ method: 'GET', url: '/api/households/987654' })).statusCode).toBe(404);
      expect((await patchHousehold(987654, { size: 2 })).statusCode).toBe(404);
    });
  });
});
