import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets, type TestDatabase } from '../../test/helpers/db.ts';
import * as codes from '../domain/codes.ts';
import { listMigrations, migrate } from './migrate.ts';

describe.each(dbTargets())('migrations on the $name database', (target) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(() => database?.dispose());

  it('records each migration once, so running again applies nothing', async () => {
    const rows = await sql<{
      version: string;
    }>`SELECT version FROM schema_migrations ORDER BY version`.execute(database.db);
    expect(rows.rows.map((r) => r.version)).toEqual(listMigrations().map((m) => m.version));
    expect(await migrate(database)).toEqual([]);
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const changed = listMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(database, changed)).rejects.toThrow(/changed after it was applied/);
  });

  it('keeps the code tables in step with src/domain/codes.ts', async () => {
    const pairs = [
      ['org_kinds', codes.ORG_KINDS],
      ['sectors', codes.SECTORS],
      ['place_kinds', codes.PLACE_KINDS],
      ['education_levels', codes.EDUCATION_LEVELS],
      ['member_categories', codes.MEMBER_CATEGORIES],
      ['member_statuses', codes.MEMBER_STATUSES],
      ['leader_ranks', codes.LEADER_RANKS],
      ['household_categories', codes.HOUSEHOLD_CATEGORIES],
    ] as const;
    for (const [table, list] of pairs) {
      const rows = await sql<{
        code: string;
        name_zh: string;
      }>`SELECT code, name_zh FROM ${sql.table(table)} ORDER BY code`.execute(database.db);
      const expected = list
        .map((c) => ({ code: c.code, name_zh: c.zh }))
        .sort((a, b) => a.code.localeCompare(b.code));
      expect(rows.rows, table).toEqual(expected);
    }
  });
});
