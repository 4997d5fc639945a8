import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, makeMember, makeOrg, makeTownship, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { checkCharFor, makeIdNumber } from '../../domain/idcard.ts';

/**
 * A valid ID number in area 369901 ending in `ending` (3 sequence digits, then the check character),
 * born in May 1980 (a birth month the factories never use, so no number repeats).
 */
function idEndingIn(ending: string, month = '05'): string {
  for (let day = 1; day <= 28; day++) {
    const id = makeIdNumber(
      '369901',
      `1980-${month}-${String(day).padStart(2, '0')}`,
      Number(ending.slice(0, 3)),
    );
    if (id.endsWith(ending)) return id;
  }
  throw new Error(`no ID number ending in ${ending} in 1980-${month}`);
}

/** The same number with its check character replaced by a wrong one. */
const withWrongCheck = (id: string) => {
  const right = checkCharFor(id.slice(0, 17));
  return id.slice(0, 17) + (right === '0' ? '1' : '0');
};

const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;

interface MemberJson {
  id: number;
  name: string;
  orgId: number;
  gender: string;
  birthDate: string;
  idNumber: string;
  phone: string | null;
  category: string;
  status: string;
}

describe.each(dbTargets())('members API on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  /** Where members are registered through the API. */
  let a: Awaited<ReturnType<typeof makeTownship>>;
  /** A township whose members only the list tests read. */
  let c: Awaited<ReturnType<typeof makeTownship>>;
  /** Its sibling, whose members must never show under c. */
  let d: Awaited<ReturnType<typeof makeTownship>>;
  let cAgency: Awaited<ReturnType<typeof makeOrg>>;
  const listed: Record<string, { id: number; idNumber: string }> = {};

  const count = async () =>
    Number(
      (
        await database.db
          .selectFrom('members')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const post = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/members', payload });
  const patch = (id: number, payload: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: `/api/members/${id}`, payload });
  const list = async (query: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/members?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: MemberJson[]; total: number; page: number; pageSize: number };
  };
  const namesOf = (page: { items: MemberJson[] }) => page.items.map((m) => m.name).sort();

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369931', name: '员县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    c = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '丙镇');
    d = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '丁镇');
    cAgency = await makeOrg(t.ctx, {
      parentId: c.committee.id,
      name: '丙镇机关党支部',
      kind: 'branch',
      sector: 'agency',
    });
    const [c0, c1] = [c.villages[0]!.branch.id, c.villages[1]!.branch.id];
    const people = [
      {
        key: 'zhangSanfeng',
        orgId: c0,
        name: '张三丰',
        gender: 'male',
        birthDate: '1970-03-01',
        isNeedy: true,
      },
      { key: 'zhangXiaohong', orgId: c0, name: '张晓红', gender: 'female', birthDate: '1982-04-02' },
      {
        key: 'liMei',
        orgId: c1,
        name: '李梅',
        gender: 'female',
        birthDate: '1990-06-03',
        status: 'mobile',
        mobileTo: '广东省东莞市',
        joinDate: '2012-07-01',
        fullMemberDate: '2013-07-01',
      },
      { key: 'wangGang', orgId: cAgency.id, name: '王刚', gender: 'male', birthDate: '1978-07-04' },
      {
        key: 'zhaoLei',
        orgId: c1,
        name: '赵磊',
        gender: 'male',
        birthDate: '1999-08-05',
        category: 'probationary',
        joinDate: '2024-06-01',
        fullMemberDate: null,
      },
      {
        key: 'zhangActivist',
        orgId: c1,
        name: '张积极',
        gender: 'male',
        birthDate: '2001-09-06',
        category: 'activist',
        joinDate: null,
        fullMemberDate: null,
      },
      // The sibling township: same surname, must never come up under 丙镇.
      {
        key: 'zhangD',
        orgId: d.villages[0]!.branch.id,
        name: '张丁',
        gender: 'male',
        birthDate: '1975-10-07',
      },
      {
        key: 'femaleD',
        orgId: d.villages[1]!.branch.id,
        name: '周丁',
        gender: 'female',
        birthDate: '1976-11-08',
        isNeedy: true,
      },
    ] as const;
    for (const { key, ...p } of people) {
      const m = await makeMember(t.ctx, p as Parameters<typeof makeMember>[1]);
      const row = await database.db
        .selectFrom('members')
        .select('id_number')
        .where('id', '=', m.id)
        .executeTakeFirstOrThrow();
      listed[key] = { id: m.id, idNumber: row.id_number };
    }
    app = await testApp(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  describe('registering a member', () => {
    it('answers 201 with the ID number and phone masked, and stores them whole', async () => {
      const idNumber = idEndingIn('1234');
      const res = await post({
        orgId: a.villages[0]!.branch.id,
        name: '刘洋',
        idNumber,
        phone: '138-1234-1234',
        joinDate: '2005-07-01',
        fullMemberDate: '2006-07-01',
        education: 'college',
      });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json();
      expect(body.idNumber).toBe(`369901********1234`);
      expect(body.phone).toBe('138****1234');
      expect(body).toMatchObject({
        name: '刘洋',
        orgId: a.villages[0]!.branch.id,
        orgName: '甲镇东山村党支部',
        category: 'full',
        categoryLabel: '正式党员',
        status: 'normal',
        statusLabel: '正常',
        educationLabel: '大学专科',
        ethnicity: '汉族',
        isPartyMember: true,
      });
      const stored = await database.db
        .selectFrom('members')
        .select(['id_number', 'phone'])
        .where('id', '=', body.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ id_number: idNumber, phone: '13812341234' });
    });

    it('derives birth date and gender from the ID number when they are omitted', async () => {
      const female = makeIdNumber('369901', '1980-05-20', 246);
      const res = await post({ orgId: a.villages[0]!.branch.id, name: '陈静', idNumber: female });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ birthDate: '1980-05-20', gender: 'female' });
      const male = makeIdNumber('369901', '1980-05-21', 135);
      const res2 = await post({ orgId: a.villages[0]!.branch.id, name: '陈刚', idNumber: male });
      expect(res2.json()).toMatchObject({ birthDate: '1980-05-21', gender: 'male' });
    });

    it('accepts an ID number typed with spaces and a lowercase x, and stores it in its canonical form', async () => {
      const withX = findIdEndingInX();
      const typed = `${withX.slice(0, 6)} ${withX.slice(6, 14)} ${withX.slice(14, 17)}x`;
      const res = await post({ orgId: a.villages[1]!.branch.id, name: '孙晓', idNumber: typed });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().idNumber).toBe(masked(withX));
      expect(res.json().idNumber.endsWith('X')).toBe(true);
      const stored = await database.db
        .selectFrom('members')
        .select('id_number')
        .where('id', '=', res.json().id)
        .executeTakeFirstOrThrow();
      expect(stored.id_number).toBe(withX);
    });

    it('a joining date on the 18th birthday is accepted', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-22', 357);
      const res = await post({
        orgId: a.villages[1]!.branch.id,
        name: '周成',
        idNumber,
        joinDate: '1998-05-22',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().joinDate).toBe('1998-05-22');
    });
  });

  describe('refusing a member', () => {
    /** Posts, expects a 400 naming `field`, and checks that nothing was written. */
    async function refused(payload: Record<string, unknown>, field: string, status = 400) {
      const before = await count();
      const res = await post(payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().error.field).toBe(field);
      expect(res.json().error.message).toBeTruthy();
      expect(res.json().error.messageEn).toBeTruthy();
      expect(await count()).toBe(before);
      return res.json().error as { code: string; message: string; messageEn: string; field: string };
    }
    const base = () => ({ orgId: a.villages[0]!.branch.id, name: '错例' });

    it('an ID number with a wrong check digit is refused and names idNumber, with the right digit in the message', async () => {
      const good = makeIdNumber('369901', '1980-05-23', 111);
      const error = await refused({ ...base(), idNumber: withWrongCheck(good) }, 'idNumber');
      expect(error.message).toContain(`应为${good.slice(-1)}`);
    });

    it('an ID number of 15 digits (the old format) is refused and names idNumber', async () => {
      await refused({ ...base(), idNumber: '369901800523111' }, 'idNumber');
    });

    it('a birth date that disagrees with the ID number is refused and names birthDate', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-24', 113);
      const error = await refused({ ...base(), idNumber, birthDate: '1980-05-25' }, 'birthDate');
      expect(error.message).toContain('1980-05-24');
    });

    it('a gender that disagrees with the ID number is refused and names gender', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-24', 115); // odd sequence: male
      const error = await refused({ ...base(), idNumber, gender: 'female' }, 'gender');
      expect(error.message).toContain('男');
    });

    it('joining before 18 is refused and names joinDate (one day short of the 18th birthday)', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-24', 117);
      await refused({ ...base(), idNumber, joinDate: '1998-05-23' }, 'joinDate');
    });

    it('a full-membership date before joining is refused and names fullMemberDate', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-24', 119);
      await refused(
        { ...base(), idNumber, joinDate: '2005-07-01', fullMemberDate: '2004-07-01' },
        'fullMemberDate',
      );
    });

    it('a phone number that is not one is refused and names phone', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-24', 121);
      await refused({ ...base(), idNumber, phone: '12345' }, 'phone');
    });

    it('an impossible date is refused by the schema and names the field', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-24', 123);
      await refused({ ...base(), idNumber, joinDate: '2005-02-30' }, 'joinDate');
    });

    it('an unknown field in the body is refused, names it, and is never stored', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-24', 125);
      await refused({ ...base(), idNumber, countyId: 999 }, 'countyId');
      const res = await app.inject({ method: 'GET', url: `/api/members?q=${idNumber.slice(-6)}` });
      expect(res.json().total).toBe(0);
    });

    it('a member placed in a committee rather than a branch is refused and names orgId', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-24', 127);
      const error = await refused({ ...base(), orgId: a.committee.id, idNumber }, 'orgId');
      expect(error.message).toMatch(/党支部/);
    });

    it('a member placed in an organisation that does not exist is refused and names orgId', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-24', 129);
      await refused({ ...base(), orgId: 987654, idNumber }, 'orgId');
    });

    it('an ID number already registered in the county is 409 naming idNumber, however it is typed', async () => {
      const { idNumber } = listed.wangGang!;
      const error = await refused({ ...base(), idNumber }, 'idNumber', 409);
      expect(error.code).toBe('conflict');
      const spaced = `${idNumber.slice(0, 6)} ${idNumber.slice(6)}`.toLowerCase();
      await refused({ ...base(), idNumber: spaced }, 'idNumber', 409);
    });

    it('simultaneous registrations of one ID number give one member and 409 for the rest, never a 500', async () => {
      const idNumber = makeIdNumber('369901', '1980-05-26', 131);
      const before = await count();
      const results = await Promise.all([1, 2, 3, 4].map(() => post({ ...base(), name: '并发', idNumber })));
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([201, 409, 409, 409]);
      expect(await count()).toBe(before + 1);
    });
  });

  describe('listing members', () => {
    const under = () => `under=${c.committee.id}`;

    it('under an organisation lists its whole subtree and nothing of a sibling township', async () => {
      const page = await list(under());
      expect(page.total).toBe(5);
      expect(namesOf(page)).toEqual(['张三丰', '张晓红', '李梅', '王刚', '赵磊'].sort());
      const sibling = await list(`under=${d.committee.id}`);
      expect(namesOf(sibling)).toEqual(['周丁', '张丁']);
    });

    it('an unknown organisation in `under` is 404', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/members?under=987654' });
      expect(res.statusCode).toBe(404);
    });

    it('`org` lists one branch only', async () => {
      expect(namesOf(await list(`org=${c.villages[0]!.branch.id}`))).toEqual(['张三丰', '张晓红']);
      expect((await list(`org=${c.committee.id}`)).total).toBe(0);
    });

    it('`sector` lists the members of organisations of that sector', async () => {
      expect(namesOf(await list(`${under()}&sector=agency`))).toEqual(['王刚']);
      expect((await list(`${under()}&sector=rural`)).total).toBe(4);
    });

    it('`gender` filters by gender', async () => {
      expect(namesOf(await list(`${under()}&gender=female`))).toEqual(['张晓红', '李梅']);
      expect((await list(`${under()}&gender=male`)).total).toBe(3);
    });

    it('`needy=true` lists needy members only, `needy=false` the others', async () => {
      expect(namesOf(await list(`${under()}&needy=true`))).toEqual(['张三丰']);
      expect((await list(`${under()}&needy=false`)).total).toBe(4);
    });

    it('`mobile=true` lists mobile members with where they went', async () => {
      const page = await list(`${under()}&mobile=true`);
      expect(namesOf(page)).toEqual(['李梅']);
      expect(page.items[0]).toMatchObject({
        status: 'mobile',
        statusLabel: '流动',
        mobileTo: '广东省东莞市',
      });
      expect((await list(`${under()}&mobile=false`)).total).toBe(4);
    });

    it('by default lists party members only (activists excluded); category=all includes them', async () => {
      expect(namesOf(await list(under()))).not.toContain('张积极');
      const all = await list(`${under()}&category=all`);
      expect(all.total).toBe(6);
      expect(namesOf(all)).toContain('张积极');
      expect(namesOf(await list(`${under()}&category=activist`))).toEqual(['张积极']);
      expect(namesOf(await list(`${under()}&category=probationary`))).toEqual(['赵磊']);
    });

    it('`q` finds members by the beginning of the name, not the middle', async () => {
      expect(namesOf(await list(`${under()}&q=${encodeURIComponent('张')}`))).toEqual(['张三丰', '张晓红']);
      expect((await list(`${under()}&q=${encodeURIComponent('三丰')}`)).total).toBe(0);
    });

    it('`q` finds a member by the last digits of the ID number', async () => {
      const { idNumber } = listed.wangGang!;
      const page = await list(`q=${idNumber.slice(-6)}`);
      expect(page.items.map((m) => m.id)).toEqual([listed.wangGang!.id]);
      // The middle of a number is not its end.
      expect((await list(`q=${idNumber.slice(6, 12)}`)).items.map((m) => m.id)).not.toContain(
        listed.wangGang!.id,
      );
    });

    it('`q` finds a member by the whole phone number, however it is typed; another township does not', async () => {
      const res = await post({
        orgId: a.villages[1]!.branch.id,
        name: '韦芳',
        idNumber: idEndingIn('5828', '06'),
        phone: '139 0000 5828',
      });
      expect(res.statusCode, res.body).toBe(201);
      const id = (res.json() as MemberJson).id;
      for (const typed of ['13900005828', '139-0000-5828']) {
        const page = await list(`q=${encodeURIComponent(typed)}`);
        expect(page.items.map((m) => m.id)).toEqual([id]);
        expect(page.total).toBe(1);
      }
      // A phone is matched whole: its first digits are not it.
      expect((await list('q=1390000')).items.map((m) => m.id)).not.toContain(id);
      const staffOfC = await app.as('committee_staff', c.committee.id);
      const theirs = await staffOfC.inject({ method: 'GET', url: '/api/members?q=13900005828' });
      expect(theirs.json()).toMatchObject({ total: 0, items: [] });
    });

    it("a township's staff searching by name gets its own subtree's matches, counted whole on every page", async () => {
      const staffOfC = await app.as('committee_staff', c.committee.id);
      const search = async (query: string) => {
        const res = await staffOfC.inject({
          method: 'GET',
          url: `/api/members?q=${encodeURIComponent('张')}&${query}`,
        });
        expect(res.statusCode, res.body).toBe(200);
        return res.json() as { items: MemberJson[]; total: number };
      };
      // 张积极 is an activist, 张丁 belongs to the sibling township.
      expect(namesOf(await search('pageSize=20'))).toEqual(['张三丰', '张晓红']);
      const second = await search('pageSize=1&page=2');
      expect(second.total).toBe(2);
      expect(second.items).toHaveLength(1);
      expect(await search('pageSize=1&page=3')).toMatchObject({ total: 2, items: [] });
    });

    it('`q` treats % and _ literally', async () => {
      expect((await list(`q=${encodeURIComponent('%')}`)).total).toBe(0);
      expect((await list(`q=${encodeURIComponent('张_')}`)).total).toBe(0);
    });

    it('pages through a list: each page has pageSize items, the total is the whole count, no one twice', async () => {
      const pages = [1, 2, 3].map((p) => list(`${under()}&pageSize=2&page=${p}`));
      const [p1, p2, p3] = await Promise.all(pages);
      expect(p1).toMatchObject({ total: 5, page: 1, pageSize: 2 });
      expect(p1!.items).toHaveLength(2);
      expect(p2!.items).toHaveLength(2);
      expect(p3!.items).toHaveLength(1);
      const ids = [...p1!.items, ...p2!.items, ...p3!.items].map((m) => m.id);
      expect(new Set(ids).size).toBe(5);
      const beyond = await list(`${under()}&pageSize=2&page=4`);
      expect(beyond).toMatchObject({ total: 5, items: [] });
    });

    it('shows every ID number and phone masked in a list', async () => {
      const page = await list(under());
      for (const m of page.items) {
        expect(m.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
        if (m.phone !== null) expect(m.phone).toMatch(/\*{4}/);
      }
    });

    it('a page size over 500, a page 0 or an unknown query parameter is 400 naming it', async () => {
      for (const [query, field] of [
        ['pageSize=501', 'pageSize'],
        ['page=0', 'page'],
        ['city=1', 'city'],
        ['gender=unknown', 'gender'],
      ] as const) {
        const res = await app.inject({ method: 'GET', url: `/api/members?${query}` });
        expect(res.statusCode, query).toBe(400);
        expect(res.json().error.field, query).toBe(field);
      }
    });
  });

  describe('reading and updating one member', () => {
    async function create(birthDate: string, seq: number, extra: Record<string, unknown> = {}) {
      const res = await post({
        orgId: a.villages[1]!.branch.id,
        name: `改${seq}`,
        idNumber: makeIdNumber('369901', birthDate, seq),
        ...extra,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as MemberJson & Record<string, unknown>;
    }

    it('GET gives one member, masked', async () => {
      const { id, idNumber } = listed.liMei!;
      const res = await app.inject({ method: 'GET', url: `/api/members/${id}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id, name: '李梅', idNumber: masked(idNumber), gender: 'female' });
    });

    it('an unknown member is 404 in Chinese with English beside', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/members/987654' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', message: '党员不存在' });
      const patched = await patch(987654, { name: '无此人' });
      expect(patched.statusCode).toBe(404);
    });

    it('changing the ID number to one of another birth date and gender re-derives both', async () => {
      const m = await create('1980-05-27', 201);
      expect(m).toMatchObject({ birthDate: '1980-05-27', gender: 'male' });
      const newId = makeIdNumber('369901', '1980-05-12', 202);
      const res = await patch(m.id, { idNumber: newId });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        birthDate: '1980-05-12',
        gender: 'female',
        idNumber: masked(newId),
      });
      const again = await app.inject({ method: 'GET', url: `/api/members/${m.id}` });
      expect(again.json()).toMatchObject({ birthDate: '1980-05-12', gender: 'female' });
    });

    it('a PATCH giving a birth date that disagrees with the stored ID number is refused and changes nothing', async () => {
      const m = await create('1980-05-27', 203);
      const res = await patch(m.id, { birthDate: '1981-01-01', name: '新名字' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('birthDate');
      const after = (await app.inject({ method: 'GET', url: `/api/members/${m.id}` })).json();
      expect(after).toMatchObject({ birthDate: '1980-05-27', name: m.name });
    });

    it('a new ID number that would make the stored join date fall before 18 is refused and names joinDate', async () => {
      const m = await create('1980-05-27', 205, { joinDate: '1999-07-01' });
      const younger = makeIdNumber('369901', '1985-05-27', 205);
      const res = await patch(m.id, { idNumber: younger });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('joinDate');
    });

    it('a PATCH to the ID number of another member is 409 naming idNumber; its own number is fine', async () => {
      const m = await create('1980-05-27', 207);
      const taken = await patch(m.id, { idNumber: listed.wangGang!.idNumber });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().error.field).toBe('idNumber');
      const own = await patch(m.id, { idNumber: makeIdNumber('369901', '1980-05-27', 207), name: '原号' });
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json().name).toBe('原号');
    });

    it('a PATCH moving a member into a committee is refused naming orgId; into another branch it moves', async () => {
      const m = await create('1980-05-27', 209);
      const bad = await patch(m.id, { orgId: c.committee.id });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('orgId');
      const ok = await patch(m.id, { orgId: cAgency.id });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ orgId: cAgency.id, orgName: '丙镇机关党支部' });
      // Move it back so the list tests' counts of 丙镇 stay as they were.
      await patch(m.id, { orgId: a.villages[1]!.branch.id });
    });

    it('a PATCH keeps what it does not mention, sets a phone (normalised) and clears it with null', async () => {
      const m = await create('1980-05-27', 211, {
        education: 'bachelor',
        isNeedy: true,
        joinDate: '2003-07-01',
      });
      const withPhone = await patch(m.id, { phone: '139 0000 5678' });
      expect(withPhone.statusCode, withPhone.body).toBe(200);
      expect(withPhone.json()).toMatchObject({
        phone: '139****5678',
        education: 'bachelor',
        isNeedy: true,
        joinDate: '2003-07-01',
        birthDate: '1980-05-27',
      });
      const cleared = await patch(m.id, { phone: null });
      expect(cleared.json().phone).toBeNull();
      const badPhone = await patch(m.id, { phone: '555' });
      expect(badPhone.statusCode).toBe(400);
      expect(badPhone.json().error.field).toBe('phone');
    });

    it('an empty phone is stored as no phone at all', async () => {
      const m = await create('1980-05-27', 213, { phone: '' });
      expect(m.phone).toBeNull();
      const stored = await database.db
        .selectFrom('members')
        .select('phone')
        .where('id', '=', m.id)
        .executeTakeFirstOrThrow();
      expect(stored.phone).toBeNull();
    });

    it('an unknown field in a PATCH is refused and names it', async () => {
      const m = await create('1980-05-27', 215);
      const res = await patch(m.id, { countyId: 2 });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('countyId');
    });
  });
});

/** A valid ID number born in June 1980 whose check character is X. */
function findIdEndingInX(): string {
  for (let seq = 301; seq < 999; seq += 2) {
    const id = makeIdNumber('369901', '1980-06-15', seq);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no ID number ending in X');
}
