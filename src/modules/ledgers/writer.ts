import { mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import type { LedgerColumn } from './registry.ts';

/**
 * A ledger as a workbook a clerk opens: a title row, the header in Chinese with English under it,
 * frozen, columns at their widths, then the rows — streamed (exceljs WorkbookWriter, no shared
 * strings table), so the file grows on disk and memory stays flat however many rows there are.
 *
 * Formula safety: a text cell a spreadsheet would take for a formula (it starts with = + - @, a tab
 * or a CR) stays a plain string — never a formula — and gets the Text number format, so that even
 * editing the cell in Excel or WPS keeps it text. (A CR is kept as the line break XML makes of it.)
 * Numbers stay numbers; dates are real dates.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
/** Characters XML 1.0 cannot carry: a workbook holding one does not open. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being removed
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isFormulaLike = (s: string) => FORMULA_START.test(s);

/** Excel's day number of a YYYY-MM-DD date (no time zone involved), or undefined. */
export function excelDay(iso: string): number | undefined {
  const m = ISO_DATE.exec(iso);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(ms) ? undefined : (ms - EXCEL_EPOCH) / 86_400_000;
}

// One style object per kind of cell, shared by every cell of that kind: exceljs caches a style by
// its object, so a million cells cost a handful of style lookups.
const top = { vertical: 'top' } as const;
const STYLES = {
  text: { alignment: top },
  wrapped: { alignment: { ...top, wrapText: true } },
  number: { alignment: top },
  date: { numFmt: 'yyyy-mm-dd', alignment: top },
  /** A string that would read as a formula: kept text even when edited. */
  literal: { numFmt: '@', alignment: top },
  wrappedLiteral: { numFmt: '@', alignment: { ...top, wrapText: true } },
} satisfies Record<string, Partial<ExcelJS.Style>>;
const TITLE_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true, size: 14 },
  alignment: { horizontal: 'center', vertical: 'middle' },
};
const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } },
  border: {
    top: { style: 'thin' },
    bottom: { style: 'thin' },
    left: { style: 'thin' },
    right: { style: 'thin' },
  },
};

/** Wide text columns wrap; narrow ones (names, labels) do not. */
const WRAP_FROM_WIDTH = 30;

type Cell = { value: ExcelJS.CellValue; style: Partial<ExcelJS.Style> };

function cellOf(column: LedgerColumn, raw: unknown): Cell {
  const type = column.type ?? 'text';
  if (raw === null || raw === undefined || raw === '') return { value: null, style: STYLES.text };
  if (type === 'number') {
    const n = typeof raw === 'number' ? raw : Number(raw);
    if (Number.isFinite(n)) return { value: n, style: STYLES.number };
  }
  if (type === 'date') {
    const day = raw instanceof Date ? excelDay(raw.toISOString().slice(0, 10)) : excelDay(String(raw));
    if (day !== undefined) return { value: day, style: STYLES.date };
  }
  const clean = String(raw).replace(XML_INVALID, '');
  // XML stores a CR as a line break (readers normalise it): written so, the file says what it holds.
  const text = clean.replace(/\r\n?/g, '\n');
  const wrap = (column.width ?? 0) >= WRAP_FROM_WIDTH;
  if (isFormulaLike(clean)) return { value: text, style: wrap ? STYLES.wrappedLiteral : STYLES.literal };
  return { value: text, style: wrap ? STYLES.wrapped : STYLES.text };
}

/** Excel refuses a sheet name over 31 characters or with any of : \ / ? * [ ]. */
const sheetName = (name: string) => name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Sheet1';

export interface LedgerWriter {
  addRow(values: Record<string, unknown>): void;
  finish(): Promise<void>;
  /** Closes and deletes a workbook that must not be left behind (the export failed). */
  discard(): Promise<void>;
}

export async function createLedgerWriter(
  file: string,
  options: { title: string; sheet: string; columns: readonly LedgerColumn[] },
): Promise<LedgerWriter> {
  const { columns } = options;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName(options.sheet), {
    views: [{ state: 'frozen', ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = c.width ?? 14;
  });

  const titleRow = sheet.addRow([options.title.replace(XML_INVALID, '')]);
  titleRow.height = 28;
  titleRow.getCell(1).style = TITLE_STYLE;
  if (columns.length > 1) sheet.mergeCells(1, 1, 1, columns.length);
  titleRow.commit();

  const header = sheet.addRow(columns.map((c) => `${c.zh}\n${c.en}`));
  header.height = 34;
  columns.forEach((_, i) => {
    header.getCell(i + 1).style = HEADER_STYLE;
  });
  header.commit();

  return {
    addRow(values) {
      const cells = columns.map((c) => cellOf(c, values[c.key]));
      const row = sheet.addRow(cells.map((c) => c.value));
      cells.forEach((c, i) => {
        row.getCell(i + 1).style = c.style;
      });
      row.commit();
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
    async discard() {
      try {
        sheet.commit();
        await workbook.commit();
      } catch {
        // the file is removed below either way
      }
      await unlink(file).catch(() => {});
    },
  };
}
