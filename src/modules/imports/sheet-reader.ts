import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';
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
 * exceljs's sheet parser, or a CSV record by record.
 */
export async function openSheet(file: string): Promise<SheetSource> {
  if (formatOf(file) === 'xlsx') return openXlsx(file);
  const totalBytes = (await stat(file)).size;
  const encoding = await detectCsvEncoding(file);
  let read = 0;
  const input = createReadStream(file, { highWaterMark: 256 * 1024 });
  const counted = (chunk: Buffer) => {
    read += chunk.length;
    return chunk;
  };
  return {
    totalBytes,
    bytesRead: () => read,
    rows: csvRows(input, encoding, counted),
    close: () => input.destroy(),
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

/**
 * exceljs 4.4's streaming reader walks the zip front to back through unzipper's `Parse`, which
 * reports its end as soon as the last input byte is buffered, before the entries are all read: now
 * and then (about one small workbook in 300 here) workbook.xml, written last by Excel and exceljs,
 * is never seen, and the read fails with "reading 'sheets'". It also parks a worksheet that comes
 * before the shared strings in a temporary file (plain text: every name, ID number and phone).
 * So the zip is opened by its central directory instead, the parts the sheet needs are read first
 * (relationships, workbook, shared strings, styles), and then the first worksheet, in the
 * workbook's own order, streams straight from the file through exceljs's sheet parser.
 * Progress is by bytes of that sheet's XML.
 */
async function openXlsx(file: string): Promise<SheetSource> {
  let read = 0;
  let sheet: NodeJS.ReadableStream | undefined;
  const reader = new Utf8SafeWorkbookReader(file, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles are read so that date-formatted cells arrive as dates (and 1904-based workbooks stay right).
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const parts = await unreadable(async () => {
    const zip = await unzipper.Open.file(file);
    const entries = new Map(zip.files.map((f) => [f.path.replace(/^\//, ''), f]));
    const part = (path: string) => entries.get(path);
    // A relationship's target is relative to xl/, or absolute within the package.
    const related = (found: (r: Relationship) => boolean) => {
      const rel = reader.workbookRels?.find(found);
      return rel && part(rel.Target.startsWith('/') ? rel.Target.slice(1) : `xl/${rel.Target}`);
    };
    await reader._parseRels(need(part('xl/_rels/workbook.xml.rels')).stream());
    await reader._parseWorkbook(need(part('xl/workbook.xml')).stream());
    const strings = related((r) => r.Type.endsWith('/sharedStrings')) ?? part('xl/sharedStrings.xml');
    if (strings) for await (const _ of reader._parseSharedStrings(strings.stream()));
    const styles = related((r) => r.Type.endsWith('/styles')) ?? part('xl/styles.xml');
    if (styles) await reader._parseStyles(styles.stream());
    // The first tab as the clerk sees it, whatever order the zip keeps the sheets in.
    const first = reader.model?.sheets?.[0];
    const entry = need(
      (first && related((r) => r.Id === first.rId)) ??
        [...entries.values()].find((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f.path)),
    );
    return { entry, sheetNo: /sheet(\d+)\.xml$/.exec(entry.path)?.[1] ?? '1' };
  });
  const totalBytes = parts.entry.uncompressedSize;
  return {
    totalBytes,
    bytesRead: () => Math.min(read, totalBytes),
    rows: (async function* () {
      sheet = parts.entry.stream();
      const counted = async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          read += chunk.length;
          yield chunk;
        }
      };
      try {
        for (const event of reader._parseWorksheet(
          utf8Text(counted(sheet as AsyncIterable<Buffer>)),
          parts.sheetNo,
        )) {
          for await (const row of event.value as AsyncIterable<{ number: number; values: unknown }>) {
            const values = row.values as unknown[];
            // exceljs rows are 1-based (values[0] is unused).
            yield { row: row.number, cells: Array.isArray(values) ? values.slice(1) : [] };
          }
        }
      } catch (err) {
        throw unreadableError(err);
      } finally {
        (sheet as { destroy?: () => void }).destroy?.();
      }
    })(),
    close: () => (sheet as { destroy?: () => void } | undefined)?.destroy?.(),
  };
}

function need<T>(part: T | undefined): T {
  if (part === undefined) throw new Error('not a workbook: a required part is missing');
  return part;
}

async function unreadable<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw unreadableError(err);
  }
}

function unreadableError(err: unknown) {
  if (err instanceof AppError) return err;
  return new AppError(
    400,
    'unreadable_file',
    '无法读取该Excel文件，请确认是.xlsx格式且未加密',
    `cannot read the workbook (${(err as Error).message}); is it an unencrypted .xlsx?`,
    'file',
  );
}

/**
 * exceljs 4.4 decodes each chunk of a part on its own (lib/utils/parse-sax.js), so a Chinese
 * character split across two chunks comes out as "��" — about one row in a thousand of a county
 * sheet (exceljs issues #2063, #2084; fixes #1665, #2894 unmerged). This reader hands the XML
 * parser text decoded by one streaming decoder per part, which carries split characters over.
 */
interface Relationship {
  Id: string;
  Type: string;
  Target: string;
}
interface ReaderInternals {
  workbookRels?: Relationship[];
  model?: { sheets?: { rId: string }[] };
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<unknown>, sheetNo: string): Iterable<{ value: unknown }>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncIterable<unknown>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
}
const WorkbookReader = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (
  input: string,
  options: object,
) => ReaderInternals;
const base = WorkbookReader.prototype;

class Utf8SafeWorkbookReader extends WorkbookReader {
  override _parseRels(entry: NodeJS.ReadableStream) {
    entry.setEncoding('utf8');
    return base._parseRels.call(this, entry);
  }

  override _parseWorkbook(entry: NodeJS.ReadableStream) {
    entry.setEncoding('utf8');
    return base._parseWorkbook.call(this, entry);
  }

  override _parseSharedStrings(entry: NodeJS.ReadableStream) {
    entry.setEncoding('utf8');
    return base._parseSharedStrings.call(this, entry);
  }

  override _parseStyles(entry: NodeJS.ReadableStream) {
    entry.setEncoding('utf8');
    return base._parseStyles.call(this, entry);
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
