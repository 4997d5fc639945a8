import { mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';

/**
 * Writing workbooks a clerk will open. Every value goes in as text; one that a spreadsheet would take
 * for a formula (= + - @, a tab or CR first: "CSV injection") is written as an explicit inline string
 * (`t="inlineStr"`), which Excel and WPS show as text and never evaluate. exceljs never writes a JS
 * string as a formula, but its plain strings are `t="str"`, the type of a formula's cached result.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type TextCell = string | { richText: { text: string }[] };

export const textCell = (value: string): TextCell =>
  FORMULA_START.test(value) ? { richText: [{ text: value }] } : value;

export type SheetWriter = ExcelJS.stream.xlsx.WorkbookWriter;
export type StreamSheet = ExcelJS.Worksheet;

/** A streaming workbook with one sheet whose first row is `header` in bold. */
export async function createSheetWriter(
  file: string,
  sheetName: string,
  header: readonly string[],
  widths: readonly number[] = [],
) {
  await mkdir(dirname(file), { recursive: true });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  header.forEach((_, i) => {
    sheet.getColumn(i + 1).width = widths[i] ?? 14;
  });
  const headerRow = sheet.addRow(header.map(textCell));
  headerRow.font = { bold: true };
  headerRow.commit();
  return {
    addRow(values: readonly string[]) {
      sheet.addRow(values.map(textCell)).commit();
    },
    async finish() {
      sheet.commit();
      await workbook.commit();
    },
    /** Closes and deletes a workbook that should not be left behind (the import failed). */
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
