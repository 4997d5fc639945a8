import type { Executor } from '../../db/ids.ts';

export const findCountyByCode = (db: Executor, code: string) =>
  db.selectFrom('counties').selectAll().where('code', '=', code).executeTakeFirst();

export const listCounties = (db: Executor) => db.selectFrom('counties').selectAll().orderBy('id').execute();

export const insertCounty = (db: Executor, row: { code: string; name: string }) =>
  db.insertInto('counties').values(row).returningAll().executeTakeFirstOrThrow();
