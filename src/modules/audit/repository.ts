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
