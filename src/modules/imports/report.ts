import type { Actor } from '../context.ts';
/** What an import tells the clerk, shared by the member and organisation imports. */
export interface RowError {
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: number;
  /** The column header as written in the file, or the field's usual header when no column applies. */
  field: string;
  message: string;
}

export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  /** The first MAX_REPORTED_ERRORS problems; the error workbook holds every failed row. */
  errors: RowError[];
  /** Set when `errors` was cut at MAX_REPORTED_ERRORS. */
  errorsTruncated?: boolean;
  ignoredColumns: string[];
  /** The error workbook written (failed rows + 错误原因), when some rows failed. */
  errorWorkbook?: string;
}

export interface ImportOptions {
  /** Runs every check and every statement, then rolls back: the counts are those of a real run. */
  dryRun?: boolean;
  /** Where to write the error workbook; default `<input name>.errors.xlsx` beside the input. */
  errorWorkbook?: string;
  onProgress?: (bytesRead: number, totalBytes: number, rows: number) => void;
  /**
   * Who imports, through the API: the transaction drops to the application role narrowed to the
   * user's subtree (so only branches in it can be named) and the audit record names them.
   * Without it (the CLI) the import runs with the owner's rights and is audited as "cli".
   */
  access?: { appRole: string; actor: Actor; ip: string };
}

/** Keeps a 100,000-row file with a wrong column from filling memory with messages. */
export const MAX_REPORTED_ERRORS = 1000;

export interface FieldError {
  field: string;
  message: string;
}

export function newReport(ignoredColumns: string[]): ImportReport {
  return { created: 0, updated: 0, unchanged: 0, failed: 0, errors: [], ignoredColumns };
}

export function recordFailure(report: ImportReport, row: number, problems: readonly FieldError[]) {
  report.failed++;
  for (const p of problems) {
    if (report.errors.length < MAX_REPORTED_ERRORS)
      report.errors.push({ row, field: p.field, message: p.message });
    else report.errorsTruncated = true;
  }
}

/** How a failed row's problems read in the 错误原因 column: "字段: 原因; 字段: 原因". */
export const describeProblems = (problems: readonly FieldError[]) =>
  problems.map((p) => `${p.field}: ${p.message}`).join('; ');
