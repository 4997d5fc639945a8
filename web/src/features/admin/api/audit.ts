import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Page, withQuery } from '../../../lib/api';

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: 'ok' | 'denied' | 'failed' | string;
  ip: string | null;
  details: Record<string, unknown> | null;
  /** The act, its object and who acted in words; the codes above stay for search and export. */
  userName: string | null;
  actionLabel: string;
  actionLabelEn: string;
  targetLabel: string | null;
  targetLabelEn: string | null;
}

/** The filters GET /api/audit takes (from/to: dates, `to` inclusive, China time; action: a prefix). */
export interface AuditFilters {
  action?: string;
  username?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  result?: 'ok' | 'denied' | 'failed';
}

export const getAudit = (q: AuditFilters & { page: number; pageSize: number }) =>
  api.get<Page<AuditEntry>>('/api/audit', { ...q });

export const auditQuery = (q: AuditFilters & { page: number; pageSize: number }) =>
  queryOptions({ queryKey: ['audit', q], queryFn: () => getAudit(q), placeholderData: keepPreviousData });

export const useAudit = (q: AuditFilters & { page: number; pageSize: number }) =>
  useQuery({ ...auditQuery(q), staleTime: 0 });

/** The xlsx of every matching entry (the export itself is audited). */
export const auditExportUrl = (f: AuditFilters) => withQuery('/api/audit/export', { ...f });
