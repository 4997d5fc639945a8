import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Database } from '../../db/database.ts';
import { makeIdNumber } from '../../domain/idcard.ts';
import { createCounty } from '../counties/service.ts';
import { createOrg } from '../orgs/service.ts';

/** Shared by the imports tests: a small county, sheets built with exceljs, GBK bytes. */

export const tempDir = () => mkdtemp(join(tmpdir(), 'gongjian-imports-'));

/** A county with a township committee and branches, two of them sharing the short name 机关支部. */
export async function seedCounty(database: Database) {
  const { county, rootOrg } = await createCounty(database.db, { code: '369902', name: '测试县' });
  const ctx = { db: database.db, countyId: county.id };
  const org = (
    parentId: number,
    name: string,
    shortName: string,
    kind: 'party_committee' | 'branch',
    sector: 'agency' | 'rural',
  ) => createOrg(ctx, { parentId, name, shortName, kind, sector });
  const dongshan = await org(rootOrg.id, '中共东山镇委员会', '东山镇党委', 'party_committee', 'agency');
  const xihe = await org(rootOrg.id, '中共西河乡委员会', '西河乡党委', 'party_committee', 'agency');
  const branches = {
    dongshanVillage: await org(dongshan.id, '东山镇东山村党支部', '东山村', 'branch', 'rural'),
    nanpoVillage: await org(dongshan.id, '东山镇南坡村党支部', '南坡村', 'branch', 'rural'),
    dongshanAgency: await org(dongshan.id, '东山镇机关党支部', '机关支部', 'branch', 'agency'),
    xiheAgency: await org(xihe.id, '西河乡机关党支部', '机关支部', 'branch', 'agency'),
  };
  return { countyId: county.id, rootOrg, dongshan, xihe, branches };
}

/** A valid ID number of the test county: birth date and a sequence (odd = male). */
export const idOf = (birthDate: string, sequence: number) => makeIdNumber('369902', birthDate, sequence);

/** Writes an xlsx with exceljs's ordinary (non-streaming) writer, as another program would. */
export async function writeXlsx(
  file: string,
  rows: unknown[][],
  configure?: (sheet: ExcelJS.Worksheet) => void,
) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  for (const row of rows) sheet.addRow(row);
  configure?.(sheet);
  await workbook.xlsx.writeFile(file);
  return file;
}

/** Every row of the first sheet of a workbook, cells as exceljs reads them (1-based, as in Excel). */
export async function readXlsx(file: string): Promise<{ values: unknown[]; types: number[] }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const out: { values: unknown[]; types: number[] }[] = [];
  workbook.worksheets[0]!.eachRow({ includeEmpty: false }, (row) => {
    const values: unknown[] = [];
    const types: number[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      values[col - 1] = cell.value;
      types[col - 1] = cell.type;
    });
    out.push({ values, types });
  });
  return out;
}

export async function writeCsv(
  file: string,
  text: string,
  encoding: 'utf-8' | 'utf-8-bom' | 'gbk' = 'utf-8',
) {
  const bytes =
    encoding === 'gbk'
      ? encodeGbk(text)
      : Buffer.concat([
          encoding === 'utf-8-bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
          Buffer.from(text),
        ]);
  await writeFile(file, bytes);
  return file;
}

let gbkTable: Map<string, number[]> | undefined;

/**
 * GBK bytes for a text, by inverting Node's GBK decoder over every two-byte code (no encoder ships
 * with Node). Only for tests: builds a table of ~22,000 characters once.
 */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(Uint8Array.from([lead, trail]));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbkTable.get(ch);
      if (!pair) throw new Error(`no GBK code for "${ch}"`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}
