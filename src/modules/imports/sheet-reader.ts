import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { Transform } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../platform/errors.ts';
import { CsvParser, detectCsvEncoding } from './csv.ts';

/** One row of the input: its number as the spreadsheet shows it, and its cells (0-based, as read). */
export interface SheetRow {
  row: number;
  cells: unknown[];
}

export interface SheetSource {
  totalBytes: number;
  /** Bytes of the input file read so far (for progress). */
  bytesRead(): number;
  rows: AsyncIterable<SheetRow>;
  close(): void;
}

export type SheetFormat = 'xlsx' | 'csv';

export function formatOf(file: string): SheetFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.xlsx' || ext === '.xlsm') return 'xlsx';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw new AppError(
    400,
    'unsupported_file',
    `不支持的文件类型“${ext || file}”，请上传 .xlsx 或 .csv（旧版 .xls 请先另存为 .xlsx）`,
    `unsupported file type "${ext || file}": upload .xlsx or .csv (save an old .xls as .xlsx first)`,
    'file',
  );
}

/**
 * Streams the rows of a sheet without holding the file: the first worksheet of an xlsx through
 * exceljs's streaming reader, or a CSV record by record.
 */
export async function openSheet(file: string): Promise<SheetSource> {
  const format = formatOf(file);
  const totalBytes = (await stat(file)).size;
  let read = 0;
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  const counted = (chunk: Buffer) => {
    read += chunk.length;
    return chunk;
  };
  if (format === 'csv') {
    const encoding = await detectCsvEncoding(file);
    return {
      totalBytes,
      bytesRead: () => read,
      rows: csvRows(input, encoding, counted),
      close: () => input.destroy(),
    };
  }
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(null, counted(chunk));
    },
  });
  input.on('error', (err) => counter.destroy(err));
  input.pipe(counter);
  return {
    totalBytes,
    bytesRead: () => read,
    rows: xlsxRows(counter),
    close: () => {
      input.destroy();
      counter.destroy();
    },
  };
}

async function* csvRows(
  input: AsyncIterable<unknown>,
  encoding: string,
  counted: (chunk: Buffer) => Buffer,
): AsyncGenerator<SheetRow> {
  // Strips a UTF-8 BOM (ignoreBOM is false by default).
  const decoder = new TextDecoder(encoding);
  const parser = new CsvParser();
  let row = 0;
  for await (const chunk of input) {
    for (const cells of parser.push(decoder.decode(counted(chunk as Buffer), { stream: true }))) {
      yield { row: ++row, cells };
    }
  }
  for (const cells of [...parser.push(decoder.decode()), ...parser.end()]) yield { row: ++row, cells };
}

async function* xlsxRows(input: Transform): AsyncGenerator<SheetRow> {
  // Styles are read so that date-formatted cells arrive as dates (and 1904-based workbooks stay right).
  const reader = new Utf8SafeWorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        // exceljs rows are 1-based (values[0] is unused).
        yield { row: row.number, cells: Array.isArray(values) ? values.slice(1) : [] };
      }
      return; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      400,
      'unreadable_file',
      '无法读取该Excel文件，请确认是.xlsx格式且未加密',
      `cannot read the workbook (${(err as Error).message}); is it an unencrypted .xlsx?`,
      'file',
    );
  }
}

/**
 * exceljs 4.4's streaming reader decodes each zip chunk on its own (lib/utils/parse-sax.js), so a
 * Chinese character split across two chunks comes out as "��" — about one row in a thousand of a
 * county sheet (exceljs issues #2063, #2084; fixes #1665, #2894 unmerged). This reader hands the XML
 * parser text decoded by one streaming decoder per part, which carries split characters over.
 */
interface ReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): unknown;
  _parseSharedStrings(entry: NodeJS.ReadableStream): unknown;
  _parseStyles(entry: NodeJS.ReadableStream): unknown;
}
const base = ExcelJS.stream.xlsx.WorkbookReader.prototype as unknown as ReaderInternals;

class Utf8SafeWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string) {
    return base._parseWorksheet.call(this, utf8Text(removingTempFile(iterator)), sheetNo);
  }

  _parseSharedStrings(entry: NodeJS.ReadableStream) {
    entry.setEncoding('utf8');
    return base._parseSharedStrings.call(this, entry);
  }

  _parseStyles(entry: NodeJS.ReadableStream) {
    entry.setEncoding('utf8');
    return base._parseStyles.call(this, entry);
  }
}

/**
 * exceljs parks a worksheet that comes before the shared strings in a temporary file (plain text:
 * every name, ID number and phone) and removes it only when the sheet is read to its end. We stop
 * after the first sheet, or on an error: remove it whatever happens.
 */
async function* removingTempFile(chunks: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  const path = (chunks as { path?: unknown }).path;
  try {
    yield* chunks;
  } finally {
    if (typeof path === 'string') {
      (chunks as { destroy?: () => void }).destroy?.();
      await rm(path, { force: true });
    }
  }
}

async function* utf8Text(chunks: AsyncIterable<unknown>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as text, the way the clerk sees it: dates as YYYY-MM-DD, formulas by their result. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  if (typeof value === 'object') {
    const v = value as {
      richText?: { text: string }[];
      result?: unknown;
      formula?: string;
      error?: string;
      text?: unknown;
    };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('');
    if ('formula' in v || 'sharedFormula' in v) return cellText(v.result);
    if (typeof v.error === 'string') return v.error;
    if (v.text !== undefined) return cellText(v.text);
  }
  return String(value);
}

/** A cell as a parser wants it: dates and numbers kept (Excel serials, date cells), everything else as text. */
export function cellValue(value: unknown): unknown {
  if (typeof value === 'number' || value instanceof Date) return value;
  if (value && typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) {
    return cellValue((value as { result?: unknown }).result);
  }
  return cellText(value);
}

export const isBlankRow = (cells: readonly unknown[]) => cells.every((c) => cellText(c).trim() === '');
