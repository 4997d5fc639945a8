import { sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';

/** All SQL of the audit trail. The table refuses UPDATE and DELETE itself (migration 0002). */
export interface AuditEntry {
  county_id: number;
  user_id: number | null;
  username: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  result: 'ok' | 'denied' | 'failed';
  ip: string | null;
  details: Record<string, unknown> | null;
}

export const insertAudit = (db: Executor, e: AuditEntry) =>
  db
    .insertInto('audit_log')
    .values({ ...e, details: e.details === null ? null : JSON.stringify(e.details) })
    .execute();

export interface AuditFilter {
  userId?: number;
  username?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  result?: 'ok' | 'denied' | 'failed';
  limit: number;
  offset: number;
}

function filtered(db: Executor, countyId: number, f: Omit<AuditFilter, 'limit' | 'offset'>) {
  let q = db.selectFrom('audit_log').where('county_id', '=', countyId);
  if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
  if (f.username) q = q.where('username', '=', f.username);
  if (f.action) q = q.where('action', 'like', `${f.action.replace(/[\\%_]/g, '\\$&')}%`);
  if (f.targetType) q = q.where('target_type', '=', f.targetType);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.result) q = q.where('result', '=', f.result);
  return q;
}

const COLUMNS = [
  'id',
  'at',
  'user_id',
  'username',
  'action',
  'target_type',
  'target_id',
  'result',
  'ip',
  'details',
] as const;

export async function searchAudit(db: Executor, countyId: number, f: AuditFilter) {
  const q = filtered(db, countyId, f);
  const [items, total] = await Promise.all([
    q.select(COLUMNS).orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

/** The tables whose records an audit entry may name, and the column that names them. */
const NAMED_TARGETS: Record<string, { table: string; column: string }> = {
  user: { table: 'users', column: 'display_name' },
  org: { table: 'orgs', column: 'name' },
  member: { table: 'members', column: 'name' },
  household: { table: 'households', column: 'head_name' },
  place: { table: 'places', column: 'name' },
  pairing: { table: 'pairings', column: 'title' },
  plan: { table: 'plans', column: 'title' },
  inspection_round: { table: 'inspection_rounds', column: 'title' },
};

/**
 * The names of the records a page of entries names (users who acted, and their targets), read in
 * the reader's transaction: a record outside their subtree stays unnamed. One query per kind.
 */
export async function namesOf(
  db: Executor,
  countyId: number,
  refs: readonly { type: string; id: string | number }[],
): Promise<Map<string, string>> {
  const ids = new Map<string, Set<number>>();
  for (const r of refs) {
    const n = Number(r.id);
    if (!NAMED_TARGETS[r.type] || !Number.isSafeInteger(n) || n <= 0) continue;
    ids.set(r.type, (ids.get(r.type) ?? new Set()).add(n));
  }
  const names = new Map<string, string>();
  await Promise.all(
    [...ids].map(async ([type, set]) => {
      const { table, column } = NAMED_TARGETS[type]!;
      const { rows } = await sql<{ id: number; name: string | null }>`
        SELECT id, ${sql.ref(column)} AS name FROM ${sql.table(table)}
        WHERE county_id = ${countyId} AND id = ANY(${[...set]}::bigint[])`.execute(db);
      for (const r of rows) if (r.name) names.set(`${type}:${r.id}`, r.name);
    }),
  );
  return names;
}

/** Streams matching entries in pages of ids (no OFFSET scan), oldest first, for export. */
export async function* auditPages(
  db: Executor,
  countyId: number,
  f: Omit<AuditFilter, 'limit' | 'offset'>,
  pageSize = 2000,
) {
  let afterId = 0;
  for (;;) {
    const rows = await filtered(db, countyId, f)
      .select(COLUMNS)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield rows;
    afterId = rows[rows.length - 1]!.id;
  }
}

/** One record as the hash chain sees it: its place, its stored hash and its canonical bytes (migration 0011). */
export interface ChainRow {
  id: number;
  at: Date | string;
  chain_seq: number;
  hash: Uint8Array | null;
  bytes: Uint8Array;
}

/** The county's chain in order, a page at a time after a place (keyset on the chain's own index). */
export async function chainPage(db: Executor, countyId: number, afterSeq: number, limit: number) {
  const { rows } = await sql<ChainRow>`
    SELECT a.id, a.at, a.chain_seq, a.hash, audit_row_bytes(a) AS bytes
      FROM audit_log a
     WHERE a.county_id = ${countyId} AND a.chain_seq > ${afterSeq}
     ORDER BY a.chain_seq
     LIMIT ${limit}`.execute(db);
  return rows;
}

/**
 * A record off the chain: one written with the chain's trigger disabled and its NOT NULLs dropped.
 * The chain's walk would not meet it.
 */
export async function firstUnchained(db: Executor, countyId: number) {
  const { rows } = await sql<{ id: number; at: Date | string }>`
    SELECT id, at FROM audit_log
     WHERE county_id = ${countyId} AND (chain_seq IS NULL OR hash IS NULL)
     ORDER BY id LIMIT 1`.execute(db);
  return rows[0];
}
