import { userInfo } from 'node:os';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { auditActionLabel, auditTargetLabel } from '../../domain/audit-actions.ts';
import type { ServiceContext } from '../context.ts';
import { type AuditEntry, auditPages, insertAudit, namesOf, searchAudit } from './repository.ts';

export interface AuditEvent {
  action: string;
  targetType?: string;
  targetId?: string | number;
  result?: AuditEntry['result'];
  details?: Record<string, unknown>;
}

/** The operating-system account running the CLI: "cli" alone would not say which person on the server. */
let osUserName: string | undefined;
export function osUser(): string {
  if (osUserName === undefined) {
    try {
      osUserName = userInfo().username;
    } catch {
      // A uid without a passwd entry (some containers): the environment is the best left to say.
      osUserName = process.env.USER ?? process.env.LOGNAME ?? `uid:${process.getuid?.() ?? '?'}`;
    }
  }
  return osUserName;
}

/**
 * Writes one audit record with ctx.db — inside the use case's transaction, so the record and the
 * act it records are committed together or not at all. Without an actor it is the CLI acting: the
 * record says so ("cli") and names the operating-system account in `details.osUser`.
 */
export async function recordAudit(ctx: ServiceContext, e: AuditEvent) {
  const details = ctx.actor ? (e.details ?? null) : { ...e.details, osUser: osUser() };
  await insertAudit(ctx.db, {
    county_id: ctx.countyId,
    user_id: ctx.actor?.userId ?? null,
    username: ctx.actor?.username ?? 'cli',
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId === undefined ? null : String(e.targetId),
    result: e.result ?? 'ok',
    ip: ctx.ip ?? null,
    details,
  });
}

/** For acts outside any use case's transaction (a failed sign-in, a denied request). */
export async function recordAuditAlone(
  db: Kysely<DB>,
  countyId: number,
  who: { userId?: number | null; username?: string | null; ip?: string },
  e: AuditEvent,
) {
  await insertAudit(db, {
    county_id: countyId,
    user_id: who.userId ?? null,
    username: who.username ?? null,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId === undefined ? null : String(e.targetId),
    result: e.result ?? 'ok',
    ip: who.ip ?? null,
    details: e.details ?? null,
  });
}

export interface AuditQuery {
  user?: number;
  username?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  result?: 'ok' | 'denied' | 'failed';
  page: number;
  pageSize: number;
}

const toFilter = (q: Omit<AuditQuery, 'page' | 'pageSize'>) => ({
  userId: q.user,
  username: q.username,
  action: q.action,
  targetType: q.targetType,
  targetId: q.targetId,
  from: q.from ? startOf(q.from, 0) : undefined,
  to: q.to ? startOf(q.to, 1) : undefined,
  result: q.result,
});

/**
 * A bare date is a whole day in the county's time (China Standard Time, UTC+8, no daylight saving):
 * `from` starts at its midnight, `to` includes it (ends at the next midnight). A date-time is exact.
 */
function startOf(value: string, plusDays: 0 | 1): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const d = new Date(`${value}T00:00:00+08:00`);
  return new Date(d.getTime() + plusDays * 86_400_000);
}

export const presentAudit = (r: Awaited<ReturnType<typeof searchAudit>>['items'][number]) => ({
  id: r.id,
  at: r.at instanceof Date ? r.at.toISOString() : String(r.at),
  userId: r.user_id,
  username: r.username,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  result: r.result,
  ip: r.ip,
  details: (r.details ?? null) as Record<string, unknown> | null,
});

/** The log as a screen shows it: the act and its object in words and names, the codes beside. */
export async function searchAuditLog(ctx: ServiceContext, q: AuditQuery) {
  const { items, total } = await searchAudit(ctx.db, ctx.countyId, {
    ...toFilter(q),
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const names = await namesOf(ctx.db, ctx.countyId, [
    ...items.flatMap((r) => (r.user_id ? [{ type: 'user', id: r.user_id }] : [])),
    ...items.flatMap((r) => (r.target_type && r.target_id ? [{ type: r.target_type, id: r.target_id }] : [])),
  ]);
  return {
    items: items.map((r) => {
      const action = auditActionLabel(r.action);
      const target = auditTargetLabel(
        r.target_type,
        r.target_id,
        names.get(`${r.target_type}:${Number(r.target_id)}`),
      );
      return {
        ...presentAudit(r),
        userName: r.user_id ? (names.get(`user:${r.user_id}`) ?? null) : null,
        actionLabel: action.zh,
        actionLabelEn: action.en,
        targetLabel: target?.zh ?? null,
        targetLabelEn: target?.en ?? null,
      };
    }),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function* auditExportRows(ctx: ServiceContext, q: Omit<AuditQuery, 'page' | 'pageSize'>) {
  for await (const rows of auditPages(ctx.db, ctx.countyId, toFilter(q))) yield rows.map(presentAudit);
}
