import { createReadStream } from 'node:fs';

/**
 * CSV as Excel saves it for a Chinese county: UTF-8 with or without a BOM, or GBK ("CSV (逗号分隔)"
 * on a Chinese Windows), quoted fields holding commas, quotes and line breaks.
 */
export type CsvEncoding = 'utf-8' | 'gbk';

/**
 * UTF-8 if every byte of the file decodes as UTF-8, else GBK. A GBK file fails on its first Chinese
 * character (the header), so only UTF-8 files are read to the end here.
 */
export async function detectCsvEncoding(file: string): Promise<CsvEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stream = createReadStream(file, { highWaterMark: 256 * 1024 });
  try {
    for await (const chunk of stream) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return 'utf-8';
  } catch (err) {
    if (err instanceof TypeError) return 'gbk';
    throw err;
  } finally {
    stream.destroy();
  }
}

/**
 * Splits text arriving in chunks into records. A record is one spreadsheet row, however many lines
 * its quoted fields span; blank lines are rows too (empty records), so row numbers match Excel's.
 */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  /** Just closed a quoted section: a second quote means a literal quote. */
  private quoteClosed = false;
  private atStart = true;
  /** Swallow the \n of a \r\n split across chunks. */
  private afterCr = false;
  private delimiter: string | undefined;

  constructor(delimiter?: string) {
    this.delimiter = delimiter;
  }

  /** The records completed by this chunk. */
  push(text: string): string[][] {
    const out: string[][] = [];
    this.delimiter ??= guessDelimiter(text);
    const delim = this.delimiter;
    let field = this.field;
    let start = 0;
    let i = 0;
    const n = text.length;
    const take = (end: number) => {
      field += text.slice(start, end);
    };
    while (i < n) {
      const ch = text[i]!;
      if (this.afterCr) {
        this.afterCr = false;
        if (ch === '\n') {
          i++;
          start = i;
          continue;
        }
      }
      if (this.inQuotes) {
        if (ch === '"') {
          take(i);
          this.inQuotes = false;
          this.quoteClosed = true;
          start = i + 1;
        }
        i++;
        continue;
      }
      if (ch === '"' && (this.atStart || this.quoteClosed)) {
        take(i);
        // "" inside a quoted field is a literal quote. A quote inside an unquoted field is just a character.
        if (this.quoteClosed) field += '"';
        this.inQuotes = true;
        this.quoteClosed = false;
        this.atStart = false;
        start = i + 1;
      } else if (ch === delim) {
        take(i);
        this.record.push(field);
        field = '';
        this.quoteClosed = false;
        this.atStart = true;
        start = i + 1;
      } else if (ch === '\n' || ch === '\r') {
        take(i);
        this.record.push(field);
        out.push(this.record);
        this.record = [];
        field = '';
        this.quoteClosed = false;
        this.atStart = true;
        this.afterCr = ch === '\r';
        start = i + 1;
      } else {
        this.quoteClosed = false;
        this.atStart = false;
      }
      i++;
    }
    take(n);
    this.field = field;
    return out;
  }

  /** The last record when the file does not end with a line break. */
  end(): string[][] {
    if (this.field === '' && this.record.length === 0 && !this.inQuotes) return [];
    this.record.push(this.field);
    const last = this.record;
    this.record = [];
    this.field = '';
    return [last];
  }
}

/** Comma unless the first line has tabs (or semicolons) and no commas. */
function guessDelimiter(text: string): string {
  const firstLine = text.split(/\r|\n/, 1)[0] ?? '';
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes('\t')) return '\t';
  if (firstLine.includes(';')) return ';';
  return ',';
}
