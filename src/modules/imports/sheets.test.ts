import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MEMBER_COLUMNS,
  matchHeaders,
  normalizeHeader,
  REQUIRED_MEMBER_FIELDS,
} from '../../domain/import-headers.ts';
import { CsvParser, detectCsvEncoding } from './csv.ts';
import { openSheet, type SheetRow } from './sheet-reader.ts';
import { textCell } from './sheet-writer.ts';
import { encodeGbk, readXlsx, tempDir, writeCsv } from './test-fixtures.ts';

const parseAll = (chunks: string[]) => {
  const parser = new CsvParser();
  return [...chunks.flatMap((c) => parser.push(c)), ...parser.end()];
};

const readRows = async (file: string) => {
  const source = await openSheet(file);
  const rows: SheetRow[] = [];
  for await (const row of source.rows) rows.push(row);
  source.close();
  return rows;
};

describe('CSV as Excel writes it', () => {
  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    expect(parseAll(['姓名,住址\r\n张三,"东山村, 3组"\r\n"李""四""","一行\n两行"\r\n'])).toEqual([
      ['姓名', '住址'],
      ['张三', '东山村, 3组'],
      ['李"四"', '一行\n两行'],
    ]);
  });

  it('reads the same records however the text is cut into chunks, even inside \\r\\n or a quote', () => {
    const text = 'a,b\r\n"x,""y""",z\r\n\r\nlast,"q\r\nq"';
    const whole = parseAll([text]);
    for (let cut = 1; cut < text.length; cut++)
      expect(parseAll([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    expect(whole).toEqual([['a', 'b'], ['x,"y"', 'z'], [''], ['last', 'q\r\nq']]);
  });

  it('treats a quote inside an unquoted field as a character', () => {
    expect(parseAll(['a,5"3,b\n'])).toEqual([['a', '5"3', 'b']]);
  });

  it('numbers rows as the spreadsheet does: a multi-line cell is one row, a blank line is a row', async () => {
    const dir = await tempDir();
    const file = await writeCsv(
      join(dir, 'a.csv'),
      '姓名,住址\n张三,"第一行\n第二行"\n\n李四,x\n',
      'utf-8-bom',
    );
    const rows = await readRows(file);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(rows[0]!.cells).toEqual(['姓名', '住址']);
    expect(rows[3]!.cells).toEqual(['李四', 'x']);
  });

  it('reads a GBK file (Excel on Chinese Windows) and a UTF-8 one alike', async () => {
    // 姓名 in GBK is D0 D5 C3 FB: the encoder used by these tests agrees with Node's decoder.
    expect([...encodeGbk('姓名')]).toEqual([0xd0, 0xd5, 0xc3, 0xfb]);
    expect(new TextDecoder('gbk').decode(Uint8Array.from([0xd0, 0xd5, 0xc3, 0xfb]))).toBe('姓名');
    const dir = await tempDir();
    const text = '姓名,所在党支部\n张三,东山镇东山村党支部\n';
    const gbk = await writeCsv(join(dir, 'gbk.csv'), text, 'gbk');
    const utf8 = await writeCsv(join(dir, 'utf8.csv'), text);
    expect(await detectCsvEncoding(gbk)).toBe('gbk');
    expect(await detectCsvEncoding(utf8)).toBe('utf-8');
    expect((await readRows(gbk)).map((r) => r.cells)).toEqual((await readRows(utf8)).map((r) => r.cells));
  });

  it('reads a tab-separated file', () => {
    expect(parseAll(['姓名\t性别\n张三\t男\n'])).toEqual([
      ['姓名', '性别'],
      ['张三', '男'],
    ]);
  });
});

describe('the streaming xlsx reader', () => {
  it('never splits a Chinese character across zip chunks (exceljs #2084), inline or shared strings', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const dir = await tempDir();
    const texts = Array.from({ length: 6000 }, (_, i) => `东山镇第${i}村党支部：困难党员是否`);
    const inline = join(dir, 'inline.xlsx');
    const streamed = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: inline, useSharedStrings: false });
    const sheet = streamed.addWorksheet('s');
    for (const t of texts) sheet.addRow([t, '是']).commit();
    sheet.commit();
    await streamed.commit();
    const shared = new ExcelJS.Workbook();
    const sharedSheet = shared.addWorksheet('s');
    for (const t of texts) sharedSheet.addRow([t, '否']);
    await shared.xlsx.writeFile(join(dir, 'shared.xlsx'));
    for (const [file, flag] of [
      [inline, '是'],
      [join(dir, 'shared.xlsx'), '否'],
    ] as const) {
      const rows = await readRows(file);
      expect(rows.map((r) => r.cells)).toEqual(texts.map((t) => [t, flag]));
    }
  });
});

describe('the xlsx reader opens the workbook by its zip directory', () => {
  it("reads a small workbook every time: exceljs's own reader lost its workbook part about once in 300 reads", async () => {
    const ExcelJS = (await import('exceljs')).default;
    const dir = await tempDir();
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('花名册').addRow(['姓名', '公民身份号码', '所在党支部']);
    workbook.worksheets[0]!.addRow(['张三', '369902198005060013', '东山村党支部']);
    const file = join(dir, 'small.xlsx');
    await workbook.xlsx.writeFile(file);
    const failures: string[] = [];
    for (let i = 0; i < 1000; i++) {
      try {
        const rows = await readRows(file);
        if (rows.length !== 2) failures.push(`read ${i}: ${rows.length} rows`);
      } catch (err) {
        failures.push(`read ${i}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('takes the first tab as the clerk sees it, whatever order the zip keeps the sheets in', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const JSZip = (await import('jszip')).default;
    const dir = await tempDir();
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['填表说明']);
    workbook.addWorksheet('花名册').addRow(['姓名', '所在党支部']);
    const plain = join(dir, 'plain.xlsx');
    await workbook.xlsx.writeFile(plain);
    // Move the second tab to the front, as a clerk dragging it would: workbook.xml lists it first.
    const zip = await JSZip.loadAsync(await readFile(plain));
    const xml = await zip.file('xl/workbook.xml')!.async('string');
    const tabs = xml.match(/<sheet [^>]*\/>/g)!;
    expect(tabs).toHaveLength(2);
    zip.file('xl/workbook.xml', xml.replace(`${tabs[0]}${tabs[1]}`, `${tabs[1]}${tabs[0]}`));
    const moved = join(dir, 'moved.xlsx');
    await writeFile(moved, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    expect((await readRows(plain))[0]!.cells).toEqual(['填表说明']);
    expect((await readRows(moved))[0]!.cells).toEqual(['姓名', '所在党支部']);
  });

  it('refuses a file that is not a workbook in plain words, naming the file field', async () => {
    const dir = await tempDir();
    const file = join(dir, 'not-a-workbook.xlsx');
    await writeFile(file, '姓名,身份证号\n张三,1\n');
    await expect(readRows(file)).rejects.toMatchObject({
      status: 400,
      code: 'unreadable_file',
      field: 'file',
      messageZh: expect.stringContaining('无法读取该Excel文件'),
    });
  });
});

describe('the xlsx reader and personal data on disk', () => {
  it('leaves no unpacked worksheet behind in the temp directory, even when it stops after the first sheet', async () => {
    const { readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { writeMemberSheet } = await import('./generate.ts');
    const file = join(await tempDir(), 'members.xlsx');
    await writeMemberSheet(file, 300, { branchNames: ['东山村党支部'] });
    const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`));
    const before = leftovers();
    const source = await openSheet(file);
    let rows = 0;
    for await (const _ of source.rows) rows++;
    source.close();
    expect(rows).toBeGreaterThan(300);
    expect(leftovers().filter((f) => !before.includes(f))).toEqual([]);
  });
});

describe('headers as counties write them', () => {
  it('match with stars, notes in brackets, full-width letters and stray spaces', () => {
    expect(normalizeHeader(' 公民身份号码* ')).toBe('公民身份号码');
    expect(normalizeHeader('出生日期（格式：1980-01-01）')).toBe('出生日期');
    expect(normalizeHeader('联系　电话【必填】')).toBe('联系电话');
    const m = matchHeaders(
      ['序号', '身份证号码 *', '姓 名', '所在支部', '备注'],
      MEMBER_COLUMNS,
      REQUIRED_MEMBER_FIELDS,
    );
    expect(m.missing).toEqual([]);
    expect(m.ignored).toEqual(['序号', '备注']);
    expect(m.columns.get('idNumber')).toEqual([{ index: 1, header: '身份证号码 *' }]);
  });
});

describe('cells a spreadsheet would run as formulas', () => {
  it('are written as explicit inline strings and read back as text, never as formulas', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const dir = await tempDir();
    const file = join(dir, 'f.xlsx');
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: file,
      useStyles: false,
      useSharedStrings: false,
    });
    const sheet = workbook.addWorksheet('s');
    const risky = ['=1+1', '+86', '-3', '@SUM(A1)', '\tx'];
    sheet.addRow([...risky, 'plain'].map(textCell)).commit();
    sheet.commit();
    await workbook.commit();
    const [row] = await readXlsx(file);
    expect(row!.types.every((t) => t !== ExcelJS.ValueType.Formula)).toBe(true);
    const texts = row!.values.map((v) =>
      typeof v === 'string' ? v : (v as { richText: { text: string }[] }).richText[0]!.text,
    );
    expect(texts).toEqual([...risky, 'plain']);
    // And the importer's own reader sees the plain text.
    const [read] = await readRows(file);
    expect(
      read!.cells.map((c) =>
        typeof c === 'string' ? c : (c as { richText: { text: string }[] }).richText[0]!.text,
      ),
    ).toEqual([...risky, 'plain']);
  });
});
