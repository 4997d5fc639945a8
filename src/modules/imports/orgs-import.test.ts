import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { reserveIds } from '../../db/ids.ts';
import { importOrgs } from './service.ts';
import { seedCounty, tempDir, writeXlsx } from './test-fixtures.ts';

describe.each(dbTargets())('importing organisations on the $name database', (target) => {
  let database: TestDatabase;
  let county: Awaited<ReturnType<typeof seedCounty>>;
  let dir: string;
  const places = new Map<string, number>();
  const org = (name: string) =>
    database.db
      .selectFrom('orgs')
      .selectAll()
      .where('county_id', '=', county.countyId)
      .where('name', '=', name)
      .where('status', '=', 'active')
      .executeTakeFirst();
  const orgCount = async () =>
    (await database.db.selectFrom('orgs').select('id').where('county_id', '=', county.countyId).execute())
      .length;

  beforeAll(async () => {
    database = await target.open();
    county = await seedCounty(database);
    dir = await tempDir();
    // Places: two villages called 东山村 under different townships.
    const root = await database.db
      .selectFrom('places')
      .select(['id', 'path'])
      .where('county_id', '=', county.countyId)
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const add = async (key: string, parent: { id: number; path: string }, kind: string, name: string) => {
      const [id] = await reserveIds(database.db, 'places', 1);
      const path = `${parent.path}.${id}`;
      await database.db
        .insertInto('places')
        .values({ county_id: county.countyId, id: id!, parent_id: parent.id, kind, name, path })
        .execute();
      places.set(key, id!);
      return { id: id!, path };
    };
    const dongshan = await add('东山镇', root, 'town', '东山镇');
    const xihe = await add('西河乡', root, 'township', '西河乡');
    const beiling = await add('北岭镇', root, 'town', '北岭镇');
    await add('东山镇东山村', dongshan, 'village', '东山村');
    await add('西河乡东山村', xihe, 'village', '东山村');
    await add('北岭村', beiling, 'village', '北岭村');
  });
  afterAll(() => database?.dispose());

  const header = ['组织名称', '简称', '组织类别', '所属领域', '上级党组织', '所在地', '备注'];
  const rows = [
    ['中共北岭镇委员会', '北岭镇党委', '党委', '机关', '中共测试县委员会', '北岭镇', '新设'], // 2
    ['北岭镇北岭村党支部', '北岭村', '党支部', '农村', '北岭镇党委', '北岭村', ''], // 3: parent by the short name of row 2
    ['北岭镇机关党总支', '', '党总支', '机关', '中共北岭镇委员会', '', ''], // 4
    ['北岭镇机关第一党支部', '', '支部', '党政机关', '北岭镇机关党总支', '', ''], // 5: aliases
    ['北岭村第一小组党支部', '', '党支部', '农村', '北岭镇北岭村党支部', '', ''], // 6: under a branch
    ['北岭镇党小组', '', '党小组', '农村', '中共北岭镇委员会', '', ''], // 7: no such kind
    ['无上级党支部', '', '党支部', '农村', '', '', ''], // 8: no parent
    ['西河乡东山村党支部', '', '党支部', '农村', '中共西河乡委员会', '东山村', ''], // 9: ambiguous place
    ['东山镇南坡村党支部', '南坡', '', '', '', '', ''], // 10: a new short name
    ['东山镇东山村党支部', '东山村', '党支部', '农村', '中共东山镇委员会', '', ''], // 11: as it is
    ['中共北岭镇委员会', '', '', '', '', '', ''], // 12: repeated
    ['东山镇机关党支部', '', '', '', '西河乡党委', '', ''], // 13: a move
    ['北岭镇机关党总支', '', '', '', '北岭镇机关第一党支部', '', ''], // 14: under its own child (a branch)
    ['西河乡西河村党支部', '西河村', '党支部', '农村', '中共西河乡委员会', '西河乡东山村', ''], // 15: place with its township
  ];

  it('builds a tree from rows in order (a parent may be an earlier row), updates, moves, and reports the rest', async () => {
    const file = await writeXlsx(join(dir, 'orgs.xlsx'), [header, ...rows]);
    const before = await orgCount();
    const dry = await importOrgs(database, county.countyId, file, { dryRun: true });
    expect(await orgCount()).toBe(before);
    expect((await org('东山镇南坡村党支部'))?.short_name).toBe('南坡村');

    const report = await importOrgs(database, county.countyId, file);
    expect({ ...dry, errorWorkbook: undefined }).toEqual({ ...report, errorWorkbook: undefined });
    expect(report).toMatchObject({
      created: 5,
      updated: 2,
      unchanged: 1,
      failed: 6,
      ignoredColumns: ['备注'],
    });
    const errors = Object.fromEntries(report.errors.map((e) => [e.row, [e.field, e.message]]));
    expect(errors[6]).toEqual(['上级党组织', expect.stringContaining('是党支部，不能设下级组织')]);
    expect(errors[7]).toEqual(['组织类别', expect.stringContaining('党小组')]);
    expect(errors[8]).toEqual(['上级党组织', expect.stringContaining('须填写上级党组织')]);
    expect(errors[9]).toEqual(['所在地', expect.stringContaining('东山村（东山镇）、东山村（西河乡）')]);
    expect(errors[12]).toEqual(['组织名称', expect.stringContaining('与第2行的组织名称重复')]);
    expect(errors[14]).toEqual(['上级党组织', expect.stringContaining('自己的下级组织')]);
    expect(report.errorWorkbook).toBe(join(dir, 'orgs.errors.xlsx'));

    const town = (await org('中共北岭镇委员会'))!;
    const village = (await org('北岭镇北岭村党支部'))!;
    const general = (await org('北岭镇机关党总支'))!;
    const first = (await org('北岭镇机关第一党支部'))!;
    expect(town).toMatchObject({
      parent_id: county.rootOrg.id,
      kind: 'party_committee',
      sector: 'agency',
      place_id: places.get('北岭镇'),
    });
    expect(village).toMatchObject({
      parent_id: town.id,
      short_name: '北岭村',
      kind: 'branch',
      sector: 'rural',
      place_id: places.get('北岭村'),
    });
    expect(village.path).toBe(`${town.path}.${village.id}`);
    expect(general).toMatchObject({ parent_id: town.id, kind: 'general_branch' });
    expect(first).toMatchObject({
      parent_id: general.id,
      kind: 'branch',
      sector: 'agency',
      path: `${general.path}.${first.id}`,
    });
    expect(await org('西河乡西河村党支部')).toMatchObject({ place_id: places.get('西河乡东山村') });
    expect((await org('东山镇南坡村党支部'))?.short_name).toBe('南坡');
    const moved = (await org('东山镇机关党支部'))!;
    expect(moved).toMatchObject({ parent_id: county.xihe.id, path: `${county.xihe.path}.${moved.id}` });

    // The same file again: everything already there, the same rows still wrong.
    const again = await importOrgs(database, county.countyId, file);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 8, failed: 6 });
  });

  it('needs only the name column, and refuses a sheet without it', async () => {
    const file = await writeXlsx(join(dir, 'noname.xlsx'), [
      ['简称', '组织类别'],
      ['甲', '党支部'],
    ]);
    await expect(importOrgs(database, county.countyId, file)).rejects.toMatchObject({
      status: 400,
      code: 'missing_columns',
    });
  });
});
