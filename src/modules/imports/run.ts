import { basename, dirname, extname, join } from 'node:path';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import { enterScope } from '../../db/rls.ts';
import type { DB } from '../../db/schema.ts';
import { type ColumnSpec, type HeaderMatch, matchHeaders } from '../../domain/import-headers.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { ErrorWorkbook } from './error-workbook.ts';
import {
  type FieldError,
  type ImportOptions,
  type ImportReport,
  newReport,
  recordFailure,
} from './report.ts';
import { cellText, isBlankRow, openSheet, type SheetRow } from './sheet-reader.ts';

/**
 * The frame both imports share: find the header, refuse a sheet without the required columns before
 * touching anything, stream the rows in batches through one transaction (rolled back on a dry run),
 * and hand failed rows to the error workbook.
 */
export interface RowFailure {
  row: SheetRow;
  problems: FieldError[];
}

/** Processes one batch inside the transaction, counting into the report; returns the rows that failed. */
export type BatchHandler = (rows: SheetRow[]) => Promise<RowFailure[]>;

export interface ImportSpec<F extends string> {
  columns: readonly ColumnSpec<F>[];
  required: readonly F[];
  batchSize: number;
  start(trx: Transaction<DB>, header: HeaderMatch<F>, report: ImportReport): Promise<BatchHandler>;
  /** The audit action of a real run, e.g. 'import.members'. */
  auditAction: string;
}

/** A title row ("XX镇党员花名册") may sit above the header; it is looked for among the first rows. */
const HEADER_SEARCH_ROWS = 5;

class DryRunRollback extends Error {}

export const defaultErrorWorkbookPath = (file: string) =>
  join(dirname(file), `${basename(file, extname(file))}.errors.xlsx`);

export async function runImport<F extends string>(
  database: Database,
  countyId: number,
  file: string,
  options: ImportOptions,
  spec: ImportSpec<F>,
): Promise<ImportReport> {
  const source = await openSheet(file);
  try {
    const rows = source.rows[Symbol.asyncIterator]();
    const { headerRow, header, pending } = await findHeader(rows, spec);
    if (header.missing.length) {
      const labels = header.missing.map((f) => spec.columns.find((c) => c.field === f)!.label);
      throw new AppError(
        400,
        'missing_columns',
        `表格缺少必需的列：${labels.join('、')}（表头应在第一行）`,
        `the sheet lacks required columns: ${labels.join(', ')} (the header belongs in row 1)`,
        labels.join(','),
        { missing: labels },
      );
    }
    const report = newReport(header.ignored);
    const errors = new ErrorWorkbook(
      options.errorWorkbook ?? defaultErrorWorkbookPath(file),
      headerRow.cells,
    );
    let rowsRead = 0;
    const progress = () => options.onProgress?.(source.bytesRead(), source.totalBytes, rowsRead);

    try {
      await database.db.transaction().execute(async (trx) => {
        const { access } = options;
        if (access) await enterScope(trx, access.appRole, countyId, access.actor.orgPath);
        const handle = await spec.start(trx, header, report);
        let batch: SheetRow[] = [];
        const flush = async () => {
          if (!batch.length) return;
          const failures = (await handle(batch)).sort((a, b) => a.row.row - b.row.row);
          for (const f of failures) {
            recordFailure(report, f.row.row, f.problems);
            await errors.add(f.row.cells, f.problems);
          }
          batch = [];
          progress();
        };
        const take = async (row: SheetRow) => {
          if (isBlankRow(row.cells)) return;
          rowsRead++;
          batch.push(row);
          if (batch.length >= spec.batchSize) await flush();
        };
        for (const row of pending) await take(row);
        for (let next = await rows.next(); !next.done; next = await rows.next()) await take(next.value);
        await flush();
        if (options.dryRun) throw new DryRunRollback();
        const { created, updated, unchanged, failed } = report;
        await recordAudit(
          { db: trx, countyId, ...(access && { actor: access.actor, ip: access.ip }) },
          {
            action: spec.auditAction,
            targetType: 'file',
            targetId: basename(file),
            details: { created, updated, unchanged, failed },
          },
        );
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) {
        await errors.discard();
        throw asImportError(err);
      }
    }
    const written = await errors.finish();
    if (written) report.errorWorkbook = written;
    options.onProgress?.(source.totalBytes, source.totalBytes, rowsRead);
    return report;
  } finally {
    source.close();
  }
}

async function findHeader<F extends string>(rows: AsyncIterator<SheetRow>, spec: ImportSpec<F>) {
  const seen: SheetRow[] = [];
  while (seen.length < HEADER_SEARCH_ROWS) {
    const next = await rows.next();
    if (next.done) break;
    if (!isBlankRow(next.value.cells)) seen.push(next.value);
  }
  if (!seen.length) {
    throw new AppError(400, 'empty_file', '文件是空的，没有表头', 'the file is empty: no header row', 'file');
  }
  const matches = seen.map((row) => ({
    row,
    match: matchHeaders(row.cells.map(cellText), spec.columns, spec.required),
  }));
  const complete = matches.find((m) => m.match.missing.length === 0);
  const best =
    complete ?? matches.reduce((a, b) => (b.match.columns.size > a.match.columns.size ? b : a), matches[0]!);
  return { headerRow: best.row, header: best.match, pending: seen.slice(seen.indexOf(best.row) + 1) };
}

/** Unforeseen database errors stay 500s; a unique key taken meanwhile (a concurrent import) is a conflict. */
function asImportError(err: unknown): unknown {
  if ((err as { code?: string } | null)?.code === '23505') {
    return new AppError(
      409,
      'conflict',
      '导入期间数据被同时修改（可能有另一个导入在进行），请稍后重试',
      'the data changed during the import (another import running?); try again',
    );
  }
  return err;
}
