import type { Database } from '../../db/database.ts';
import type { MemberRow } from '../../db/schema.ts';
import {
  EDUCATION_LEVELS,
  GENDERS,
  LEADER_RANKS,
  labelOf,
  MEMBER_CATEGORIES,
  MEMBER_STATUSES,
} from '../../domain/codes.ts';
import { MEMBER_COLUMNS, type MemberImportField } from '../../domain/import-headers.ts';
import { notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { findOrgPath, membersPage, orgsForExport } from './repository.ts';
import { createSheetWriter } from './sheet-writer.ts';

export interface ExportOptions {
  /** Only the members of this organisation's subtree. */
  underOrgId?: number;
  onProgress?: (rows: number, total: number) => void;
}

const PAGE = 2000;

/** Each column as the members import reads it back, so that importing an export changes nothing. */
const VALUE_OF: Record<MemberImportField, (m: MemberRow, orgName: string) => string> = {
  name: (m) => m.name,
  gender: (m) => labelOf(GENDERS, m.gender),
  ethnicity: (m) => m.ethnicity,
  birthDate: (m) => m.birth_date,
  idNumber: (m) => m.id_number,
  education: (m) => labelOf(EDUCATION_LEVELS, m.education),
  joinDate: (m) => m.join_date ?? '',
  fullMemberDate: (m) => m.full_member_date ?? '',
  branch: (_, orgName) => orgName,
  phone: (m) => m.phone ?? '',
  category: (m) => labelOf(MEMBER_CATEGORIES, m.category),
  status: (m) => labelOf(MEMBER_STATUSES, m.status),
  mobileTo: (m) => m.mobile_to ?? '',
  needy: (m) => (m.is_needy ? '是' : '否'),
  address: (m) => m.address ?? '',
  occupation: (m) => m.occupation ?? '',
  leaderRank: (m) => labelOf(LEADER_RANKS, m.leader_rank),
  leaderUnit: (m) => m.leader_unit ?? '',
};

const WIDTHS: Partial<Record<MemberImportField, number>> = {
  idNumber: 22,
  branch: 28,
  address: 30,
  occupation: 24,
  phone: 14,
};

/**
 * Writes the county's members (or a subtree's) as an xlsx 花名册 with the import's own columns, in
 * full: no masking, this is an administrator's act — and audited as one (`export.members`: the
 * subtree, the file, how many rows; the CLI's operating-system account), failures too, since a
 * partial file may already have left. Streams: one organisation page at a time.
 */
export async function exportMembers(
  database: Database,
  countyId: number,
  file: string,
  options: ExportOptions = {},
): Promise<{ rows: number }> {
  const db = database.db;
  let underPath: string | undefined;
  if (options.underOrgId !== undefined) {
    underPath = await findOrgPath(db, countyId, options.underOrgId);
    if (!underPath) throw notFound('组织', 'Organisation');
  }
  const orgs = await orgsForExport(db, countyId, underPath);
  const total = orgs.reduce((sum, o) => sum + Number(o.n), 0);

  const writer = await createSheetWriter(
    file,
    '党员名册',
    MEMBER_COLUMNS.map((c) => c.label),
    MEMBER_COLUMNS.map((c) => WIDTHS[c.field] ?? 12),
  );
  let rows = 0;
  try {
    for (const org of orgs) {
      let after: { name: string; id: number } | null = null;
      for (;;) {
        const page = await membersPage(db, countyId, org.id, after, PAGE);
        for (const m of page) writer.addRow(MEMBER_COLUMNS.map((c) => VALUE_OF[c.field](m, org.name)));
        rows += page.length;
        options.onProgress?.(rows, total);
        if (page.length < PAGE) break;
        const last = page[page.length - 1]!;
        after = { name: last.name, id: last.id };
      }
    }
    await writer.finish();
  } catch (err) {
    await writer.discard();
    await audit('failed', { error: (err as Error).message }).catch(() => {});
    throw err;
  }
  await audit('ok');
  return { rows };

  function audit(result: 'ok' | 'failed', extra: Record<string, unknown> = {}) {
    return recordAudit(
      { db, countyId },
      {
        action: 'export.members',
        result,
        // The scope: a subtree, or the whole county.
        ...(options.underOrgId !== undefined
          ? { targetType: 'org', targetId: options.underOrgId }
          : { targetType: 'county', targetId: countyId }),
        details: { orgId: options.underOrgId ?? null, file, rows, ...extra },
      },
    );
  }
}
