import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import { notFound } from '../../platform/errors.ts';
import type { ServiceContext } from '../context.ts';
import { findOrg } from '../orgs/repository.ts';
import type { LedgerFilter } from './registry.ts';

/** What the built-in ledgers share: keyset paging, the period and subtree of a filter, names. */

/** Rows per page: one page is read per batch transaction, so a page never waits on the file. */
export const LEDGER_PAGE = 2000;

/**
 * Reads a table in pages by a key (an id), each page with `ctx.db` as it is then — the batch's
 * own transaction. No OFFSET scan, no server cursor (the embedded database has none).
 */
export async function* keysetPages<R>(
  ctx: ServiceContext,
  fetch: (db: Executor, afterId: number, limit: number) => Promise<R[]>,
  keyOf: (row: R) => number,
  pageSize = LEDGER_PAGE,
): AsyncGenerator<R[]> {
  let after = 0;
  for (;;) {
    const rows = await fetch(ctx.db, after, pageSize);
    if (rows.length) yield rows;
    if (rows.length < pageSize) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

/** The period a filter names: the year and the from/to dates together (both bounds optional). */
export function periodOf(f: LedgerFilter): { from?: string; to?: string } {
  let from = f.from;
  let to = f.to;
  if (f.year !== undefined) {
    const first = `${f.year}-01-01`;
    const last = `${f.year}-12-31`;
    from = from && from > first ? from : first;
    to = to && to < last ? to : last;
  }
  return { ...(from && { from }), ...(to && { to }) };
}

/** How a title or a file name reads the period: 2026年, 2026-01-01至2026-06-30, 2026-03-01起. */
export function periodLabel(f: LedgerFilter): string {
  const { from, to } = periodOf(f);
  if (f.year !== undefined && from === `${f.year}-01-01` && to === `${f.year}-12-31`) return `${f.year}年`;
  if (from && to) return `${from}至${to}`;
  if (from) return `${from}起`;
  if (to) return `截至${to}`;
  return '';
}

/** The ltree path of the filter's organisation (404 when the user does not see it), or undefined. */
export async function subtreeOf(ctx: ServiceContext, f: LedgerFilter): Promise<string | undefined> {
  if (f.orgId === undefined) return undefined;
  const org = await findOrg(ctx.db, ctx.countyId, f.orgId);
  if (!org) throw notFound('组织', 'Organisation');
  return org.path;
}

/** Date bounds on a column, joined with AND (true when there are none). */
export function between(column: RawBuilder<unknown>, period: { from?: string; to?: string }) {
  const parts: RawBuilder<unknown>[] = [sql`true`];
  if (period.from) parts.push(sql`${column} >= ${period.from}::date`);
  if (period.to) parts.push(sql`${column} <= ${period.to}::date`);
  return sql.join(parts, sql` AND `);
}

/**
 * An organisation's short name, past row-level security (a pairing's other side) by its full name.
 * The id is wrapped in a sub-select so it is computed once per row: given a function call (the
 * township of an org) directly, the planner calls it for every organisation it scans.
 */
export const orgLabel = (county: RawBuilder<unknown>, orgId: RawBuilder<unknown>) =>
  sql<string | null>`coalesce(
    (SELECT coalesce(x.short_name, x.name) FROM orgs x WHERE x.county_id = ${county} AND x.id = (SELECT ${orgId})),
    pairing_org_name(${county}, ${orgId}))`;

/** The 基层党(工)委 (township committee, or a county-level one) an organisation sits under. */
export const townshipOf = (county: RawBuilder<unknown>, orgId: RawBuilder<unknown>) =>
  sql<number | null>`pairing_org_township(${county}, ${orgId})`;

/** A pairing with either side in the subtree at `path`. */
export const pairingUnder = (pairing: string, path: string) =>
  sql<boolean>`EXISTS (SELECT 1 FROM orgs o WHERE o.county_id = ${sql.ref(`${pairing}.county_id`)}
    AND o.id IN (${sql.ref(`${pairing}.helper_org_id`)}, ${sql.ref(`${pairing}.helped_org_id`)})
    AND o.path <@ ${path}::ltree)`;
