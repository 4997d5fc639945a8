import type { Kysely } from 'kysely';
import { reserveIds } from '../../db/ids.ts';
import type { DB } from '../../db/schema.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { findCountyByCode, insertCounty, listCounties } from './repository.ts';

/**
 * Creates a county with its county-level place and its root organisation (the county party
 * committee), the anchor of every subtree. Used on a server database that starts empty.
 */
export async function createCounty(db: Kysely<DB>, input: { code: string; name: string }) {
  if (!/^\d{6}$/.test(input.code)) {
    throw new AppError(400, 'invalid', '县代码应为6位数字', 'county code must be 6 digits', 'code');
  }
  return db.transaction().execute(async (trx) => {
    if (await findCountyByCode(trx, input.code)) {
      throw conflict(`县代码${input.code}已存在`, `county ${input.code} already exists`, 'code');
    }
    const county = await insertCounty(trx, input);
    const [placeId] = await reserveIds(trx, 'places', 1);
    await trx
      .insertInto('places')
      .values({
        county_id: county.id,
        id: placeId!,
        parent_id: null,
        kind: 'county',
        name: input.name,
        path: String(placeId),
      })
      .execute();
    const [orgId] = await reserveIds(trx, 'orgs', 1);
    const org = await trx
      .insertInto('orgs')
      .values({
        county_id: county.id,
        id: orgId!,
        parent_id: null,
        name: `中共${input.name}委员会`,
        short_name: `${input.name}委`,
        kind: 'party_committee',
        sector: 'agency',
        place_id: placeId!,
        path: String(orgId),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { county, rootOrg: org };
  });
}

/**
 * The county this process serves: the one named by GONGJIAN_COUNTY, else the only one there is.
 * Until accounts exist (the access issue), the API acts in this county.
 */
export async function resolveServedCounty(db: Kysely<DB>, code: string | undefined) {
  if (code) {
    const county = await findCountyByCode(db, code);
    if (!county) throw new AppError(503, 'no_county', `未找到县代码${code}`, `county ${code} not found`);
    return county;
  }
  const all = await listCounties(db);
  if (all.length === 0) {
    throw new AppError(
      503,
      'no_county',
      '数据库中还没有县：请运行 gongjian demo load 或 gongjian county create',
      'no county yet: run `gongjian demo load` or `gongjian county create`',
    );
  }
  if (all.length > 1) {
    throw new AppError(
      503,
      'many_counties',
      '有多个县，请设置 GONGJIAN_COUNTY',
      'several counties: set GONGJIAN_COUNTY',
    );
  }
  return all[0]!;
}

export const hasAnyCounty = async (db: Kysely<DB>) => (await listCounties(db)).length > 0;
