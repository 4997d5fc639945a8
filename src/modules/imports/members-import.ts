import type { Database } from '../../db/database.ts';
import type { NewMemberRow } from '../../db/schema.ts';
import { todayIso } from '../../domain/dates.ts';
import {
  MEMBER_COLUMNS,
  type MemberImportField,
  REQUIRED_MEMBER_FIELDS,
} from '../../domain/import-headers.ts';
import { checkMemberDates } from '../../domain/members.ts';
import { normalizeText } from '../../domain/text.ts';
import { Columns } from './columns.ts';
import { DOMAIN_FIELD, parseMemberRow } from './member-rows.ts';
import { OrgIndex } from './org-index.ts';
import type { ImportOptions, ImportReport } from './report.ts';
import {
  type ExistingMember,
  findMembersByIdNumbers,
  insertMembers,
  loadActiveOrgs,
  type MemberColumn,
  type MemberPatch,
  updateMembers,
} from './repository.ts';
import { type RowFailure, runImport } from './run.ts';

/** Rows per batch: one SELECT of the batch's ID numbers, one INSERT, one UPDATE. */
const BATCH_SIZE = 500;

/**
 * Imports the county's 党员花名册 (xlsx or csv). The ID number is the key: a new one is created, a
 * known one is updated where a filled cell differs, and counted unchanged otherwise. All good rows
 * go in one transaction; failed rows are reported and written to the error workbook.
 */
export async function importMembers(
  database: Database,
  countyId: number,
  file: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  return runImport(database, countyId, file, options, {
    auditAction: 'import.members',
    columns: MEMBER_COLUMNS,
    required: REQUIRED_MEMBER_FIELDS,
    batchSize: BATCH_SIZE,
    async start(trx, header, report) {
      const cols = new Columns(header, MEMBER_COLUMNS);
      const orgs = new OrgIndex(await loadActiveOrgs(trx, countyId));
      const firstRowOf = new Map<string, number>();
      const today = todayIso();

      return async (rows) => {
        const parsed = rows.map((row) => ({ row, ...parseMemberRow(row.cells, cols, orgs) }));
        const ids = [...new Set(parsed.flatMap((p) => (p.idNumber ? [p.idNumber] : [])))];
        const existing = new Map(
          (await findMembersByIdNumbers(trx, countyId, ids)).map((m) => [m.id_number, m]),
        );

        const failures: RowFailure[] = [];
        const inserts: NewMemberRow[] = [];
        const updates: { id: number; patch: MemberPatch }[] = [];
        for (const p of parsed) {
          const problems = [...p.problems];
          const add = (field: MemberImportField, message: string) => {
            const header = cols.header(field);
            if (!problems.some((q) => q.field === header)) problems.push({ field: header, message });
          };
          const old = p.idNumber ? existing.get(p.idNumber) : undefined;
          if (p.idNumber) {
            const first = firstRowOf.get(p.idNumber);
            if (first === undefined) firstRowOf.set(p.idNumber, p.row.row);
            else add('idNumber', `与第${first}行的身份证号重复 / the same ID number as row ${first}`);
          }
          if (p.birthDate) {
            for (const q of datesProblems(p.birthDate, p.values, old, today))
              add(DOMAIN_FIELD[q.field], q.message);
          }
          if (problems.length) {
            failures.push({ row: p.row, problems: cols.sortByColumn(problems) });
          } else if (old) {
            const patch = changes(old, p.values);
            if (Object.keys(patch).length) {
              updates.push({ id: old.id, patch });
              report.updated++;
            } else report.unchanged++;
          } else {
            inserts.push(newMember(countyId, p.idNumber!, p.values));
            report.created++;
          }
        }
        await insertMembers(trx, inserts);
        await updateMembers(trx, countyId, updates);
        return failures;
      };
    },
  });
}

/** The admission dates as they will stand after the import: the row's, else those already recorded. */
function datesProblems(
  birthDate: string,
  values: MemberPatch,
  old: ExistingMember | undefined,
  today: string,
) {
  if (!values.join_date && !values.full_member_date) return [];
  return checkMemberDates(
    {
      birthDate,
      joinDate: values.join_date ?? old?.join_date ?? null,
      fullMemberDate: values.full_member_date ?? old?.full_member_date ?? null,
    },
    today,
  );
}

/** What the row would change; text is compared as normalised, so stray spaces are no change. */
function changes(old: ExistingMember, values: MemberPatch): MemberPatch {
  const patch: MemberPatch = {};
  for (const [key, value] of Object.entries(values) as [MemberColumn, MemberPatch[MemberColumn]][]) {
    if (value === undefined) continue;
    const before = old[key];
    const same = typeof value === 'string' ? normalizeText(before) === value : before === value;
    if (!same) (patch as Record<string, unknown>)[key] = value;
  }
  return patch;
}

function newMember(countyId: number, idNumber: string, v: MemberPatch): NewMemberRow {
  return {
    county_id: countyId,
    id_number: idNumber,
    org_id: v.org_id!,
    name: v.name!,
    gender: v.gender as 'male' | 'female',
    birth_date: v.birth_date!,
    ethnicity: v.ethnicity ?? '汉族',
    phone: v.phone ?? null,
    education: v.education ?? null,
    address: v.address ?? null,
    category: v.category ?? 'full',
    status: v.status ?? 'normal',
    join_date: v.join_date ?? null,
    full_member_date: v.full_member_date ?? null,
    occupation: v.occupation ?? null,
    is_needy: v.is_needy ?? false,
    mobile_to: v.mobile_to ?? null,
    leader_rank: v.leader_rank ?? null,
    leader_unit: v.leader_unit ?? null,
  };
}
