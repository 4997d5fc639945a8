/**
 * Reads the first worksheet of an .xlsx, or a CSV (UTF-8 or GBK), in the browser, so the import
 * preview can show each row as the clerk typed it with the server's errors in place. The server stays
 * the judge: this only displays. An .xlsx is a zip of XML parts; the browser's own
 * DecompressionStream inflates them, so no spreadsheet library is downloaded.
 */

export interface SheetPreview {
  rows: { row: number; cells: string[] }[];
  /** More rows than the preview keeps. */
  truncated: boolean;
}

export const PREVIEW_MAX_ROWS = 20_000;
/** Larger files are checked by the server only; the preview lists their errors without the cells. */
export const PREVIEW_MAX_BYTES = 15 * 1024 * 1024;

export async function readSheet(file: File): Promise<SheetPreview> {
  const buffer = new Uint8Array(await file.arrayBuffer());
  return /\.csv$/i.test(file.name) ? readCsv(buffer) : readXlsx(buffer);
}

// ---------------------------------------------------------------- CSV

export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

/** Comma unless the first line has tabs (or semicolons) and no commas, as the server guesses. */
function guessDelimiter(text: string): string {
  const first = text.split(/\r|\n/, 1)[0] ?? '';
  if (first.includes(',')) return ',';
  if (first.includes('\t')) return '\t';
  if (first.includes(';')) return ';';
  return ',';
}

/** Records as the server splits them: blank lines are rows too, so numbers match the sheet's. */
export function readCsv(bytes: Uint8Array): SheetPreview {
  const text = decodeCsv(bytes);
  const delim = guessDelimiter(text);
  const rows: SheetPreview['rows'] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let atStart = true;
  let row = 1;
  const endRow = () => {
    cells.push(cell);
    if (rows.length < PREVIEW_MAX_ROWS) rows.push({ row, cells });
    row++;
    cells = [];
    cell = '';
    atStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && atStart) {
      quoted = true;
      atStart = false;
    } else if (ch === delim) {
      cells.push(cell);
      cell = '';
      atStart = true;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else {
      cell += ch;
      atStart = false;
    }
  }
  if (cell !== '' || cells.length) endRow();
  return { rows, truncated: row - 1 > PREVIEW_MAX_ROWS };
}

// ---------------------------------------------------------------- zip

interface ZipEntry {
  method: number;
  compressedSize: number;
  localOffset: number;
}

function zipEntries(buf: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file');
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const names = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count; n++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error('broken zip directory');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const name = names.decode(buf.subarray(at + 46, at + 46 + nameLength));
    entries.set(name, {
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      localOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function unzipText(buf: Uint8Array, entry: ZipEntry | undefined): Promise<string | undefined> {
  if (!entry) return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const at = entry.localOffset;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = buf.slice(start, start + entry.compressedSize);
  if (entry.method === 0) return new TextDecoder().decode(data);
  if (entry.method !== 8) throw new Error(`unsupported zip method ${entry.method}`);
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

// ---------------------------------------------------------------- xlsx

const parseXml = (text: string) => new DOMParser().parseFromString(text, 'application/xml');
const all = (node: Document | Element, name: string) => [...node.getElementsByTagNameNS('*', name)];

/** Built-in number formats that show a date (ECMA-376 18.8.30). */
const DATE_FORMAT_IDS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  return /[ymd]/i.test(bare) && !/^general$/i.test(bare.trim());
}

function serialToDate(serial: number, base1904: boolean): string {
  const days = Math.floor(serial) + (base1904 ? 1462 : 0);
  const d = new Date(Date.UTC(1899, 11, 30) + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

const columnIndex = (ref: string) => {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, '').toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
};

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = `xl/${target}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

export async function readXlsx(buf: Uint8Array): Promise<SheetPreview> {
  const entries = zipEntries(buf);
  const workbook = parseXml((await unzipText(buf, entries.get('xl/workbook.xml'))) ?? '');
  const firstSheet = all(workbook, 'sheet')[0];
  const relId =
    firstSheet && [...firstSheet.attributes].find((a) => a.localName === 'id' && a.prefix !== null)?.value;
  const rels = parseXml((await unzipText(buf, entries.get('xl/_rels/workbook.xml.rels'))) ?? '<r/>');
  const target = all(rels, 'Relationship')
    .find((r) => r.getAttribute('Id') === relId)
    ?.getAttribute('Target');
  const sheetPath = target ? resolveTarget(target) : 'xl/worksheets/sheet1.xml';
  const base1904 = /^(1|true)$/.test(all(workbook, 'workbookPr')[0]?.getAttribute('date1904') ?? '');

  const strings: string[] = [];
  const shared = await unzipText(buf, entries.get('xl/sharedStrings.xml'));
  if (shared) {
    for (const si of all(parseXml(shared), 'si')) {
      strings.push(
        all(si, 't')
          .filter((t) => t.parentElement?.localName !== 'rPh')
          .map((t) => t.textContent ?? '')
          .join(''),
      );
    }
  }

  const dateStyles = new Set<number>();
  const styles = await unzipText(buf, entries.get('xl/styles.xml'));
  if (styles) {
    const doc = parseXml(styles);
    const custom = new Map(
      all(doc, 'numFmt').map((f) => [Number(f.getAttribute('numFmtId')), f.getAttribute('formatCode') ?? '']),
    );
    const cellXfs = all(doc, 'cellXfs')[0];
    (cellXfs ? all(cellXfs, 'xf') : []).forEach((xf, i) => {
      const id = Number(xf.getAttribute('numFmtId') ?? 0);
      if (DATE_FORMAT_IDS.has(id) || isDateFormat(custom.get(id) ?? '')) dateStyles.add(i);
    });
  }

  const sheetXml = await unzipText(buf, entries.get(sheetPath));
  if (sheetXml === undefined) throw new Error('no worksheet');
  const rows: SheetPreview['rows'] = [];
  let count = 0;
  let nextRow = 1;
  for (const r of all(parseXml(sheetXml), 'row')) {
    const row = Number(r.getAttribute('r') ?? nextRow);
    nextRow = row + 1;
    count++;
    if (rows.length >= PREVIEW_MAX_ROWS) continue;
    const cells: string[] = [];
    let nextCol = 0;
    for (const c of all(r, 'c')) {
      const ref = c.getAttribute('r');
      const col = ref ? columnIndex(ref) : nextCol;
      nextCol = col + 1;
      const type = c.getAttribute('t');
      const v = all(c, 'v')[0]?.textContent ?? '';
      let text: string;
      if (type === 's') text = strings[Number(v)] ?? '';
      else if (type === 'inlineStr')
        text = all(c, 't')
          .map((t) => t.textContent ?? '')
          .join('');
      else if (type === 'b') text = v === '1' ? 'TRUE' : 'FALSE';
      else if (!type || type === 'n') {
        const style = Number(c.getAttribute('s') ?? -1);
        text = v !== '' && dateStyles.has(style) ? serialToDate(Number(v), base1904) : v;
      } else text = v;
      while (cells.length < col) cells.push('');
      cells[col] = text;
    }
    rows.push({ row, cells });
  }
  return { rows, truncated: count > PREVIEW_MAX_ROWS };
}
