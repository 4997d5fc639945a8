import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from './schema.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Takes ids from a table's identity sequence before inserting, so that a row's ltree path (which
 * ends in its own id) can be written in the same INSERT.
 */
export async function reserveIds(db: Executor, table: 'orgs' | 'places', count: number): Promise<number[]> {
  if (count <= 0) return [];
  const { rows } = await sql<{ id: number }>`
    SELECT nextval(pg_get_serial_sequence(${table}, 'id')) AS id FROM generate_series(1, ${count})`.execute(
    db,
  );
  return rows.map((r) => r.id);
}
