import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { ERROR_COLUMN } from '../../domain/import-headers.ts';
import { writeMemberSheet } from './generate.ts';
import { exportMembers, importMembers } from './service.ts';
import { idOf, readXlsx, seedCounty, tempDir, writeCsv, writeXlsx } from './test-fixtures.ts';

describe.each(dbTargets())('importing and exporting members on the $name database', (target) => {
  let database: TestDatabase;
  let county: Awaited<ReturnType<typeof seedCounty>>;
  let dir: string;
  const used = new Map<string, number>();
  /** A fresh valid ID number (odd sequence = male); up to 500 per birth date. */
  const newId = (birth = '1980-05-06', male = true) => {
    const n = (used.get(birth) ?? 10) + 1;
    used.set(birth, n);
    return idOf(birth, n * 2 + (male ? 1 : 0));
  };
  const member = (idNumber: string) =>
    database.db
      .selectFrom('members')
      .selectAll()
      .where('county_id', '=', county.countyId)
      .where('id_number', '=', idNumber)
      .executeTakeFirst();
  const count = async () =>
    Number(
      (
        await database.db
          .selectFrom('members')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('county_id', '=', county.countyId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const BRANCH = '东山镇东山村党支部';
  const BASIC = ['姓名', '公民身份号码', '所在党支部'];

  beforeAll(async () => {
    database = await target.open();
    county = await seedCounty(database);
    dir = await tempDir();
  });
  afterAll(() => database?.dispose());

  it('reads the headers in any order, reports extra columns, and reads every date form clerks type', async () => {
    const forms: [unknown, string][] = [
      ['2008-07-29', '2008-07-29'],
      ['2008/7/29', '2008-07-29'],
      ['2008.7.29', '2008-07-29'],
      ['2008年7月29日', '2008-07-29'],
      ['2008年7月', '2008-07-01'],
      ['200807', '2008-07-01'],
      ['20080729', '2008-07-29'],
      [39658, '2008-07-29'], // an Excel day serial
      [20080729, '2008-07-29'], // digits typed into a number cell
      [new Date(Date.UTC(2008, 6, 29)), '2008-07-29'], // a date cell
    ];
    const ids = forms.map(() => newId('1980-05-06'));
    const file = await writeXlsx(
      join(dir, 'dates.xlsx'),
      [
        ['序号', '入党时间', '所在党支部', ' 身份证号* ', '姓 名', '备注（可不填）', '性别'],
        ...forms.map(([join], i) => [i + 1, join, BRANCH, ids[i], `党员${i}`, '', '男']),
      ],
      (sheet) => {
        sheet.getCell(`B${forms.length + 1}`).numFmt = 'yyyy-mm-dd';
      },
    );
    const report = await importMembers(database, county.countyId, file);
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ created: forms.length, updated: 0, unchanged: 0, failed: 0 });
    expect(report.ignoredColumns).toEqual(['序号', '备注（可不填）']);
    expect(report.errorWorkbook).toBeUndefined();
    for (const [i, [, expected]] of forms.entries()) {
      const m = await member(ids[i]!);
      expect(m?.join_date, String(forms[i]![0])).toBe(expected);
      expect(m).toMatchObject({
        birth_date: '1980-05-06',
        gender: 'male',
        org_id: county.branches.dongshanVillage.id,
      });
    }
  });

  it('folds full-width digits, stray spaces and a lowercase x, and reads codes by their aliases', async () => {
    const withX = idOf('1975-03-12', 5); // ends in X
    expect(withX.endsWith('X')).toBe(true);
    const fullWidth = newId('1990-01-15', false);
    const toFullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const file = await writeXlsx(join(dir, 'typed.xlsx'), [
      [
        '姓名',
        '身份证号码',
        '所在支部',
        '手机号码',
        '学历',
        '民族',
        '人员类别',
        '困难党员',
        '党员状态',
        '领导职级',
      ],
      [
        '张　三',
        withX.toLowerCase(),
        ' 东山村 ',
        '１３８ ００１３ ８０００',
        '大专',
        '苗',
        '预备',
        '是',
        '流动党员',
        '科级',
      ],
      [
        '李四',
        ` ${toFullWidth(fullWidth.slice(0, 9))} ${fullWidth.slice(9)} `,
        '东山镇东山村党支部',
        '0851-8888 1234',
        '本科',
        '',
        '',
        '否',
        '',
        '',
      ],
    ]);
    const report = await importMembers(database, county.countyId, file);
    expect(report.errors).toEqual([]);
    expect(report.created).toBe(2);
    expect(await member(withX)).toMatchObject({
      name: '张三',
      phone: '13800138000',
      education: 'college',
      ethnicity: '苗族',
      category: 'probationary',
      is_needy: true,
      status: 'mobile',
      leader_rank: 'section',
      gender: 'male',
      birth_date: '1975-03-12',
    });
    expect(await member(fullWidth)).toMatchObject({
      name: '李四',
      phone: '085188881234',
      education: 'bachelor',
      category: 'full',
      gender: 'female',
    });
  });

  it('reports each bad field of a row under its column and row, imports the good rows, and writes the error workbook', async () => {
    const good = newId();
    const base = newId();
    const wrongCheck = `${base.slice(0, 17)}${base.endsWith('0') ? '1' : '0'}`;
    const ok1 = newId('1985-10-01');
    const idImpossible = `${'36990219900230'}1231`; // 30 February in the ID number
    const disagree = newId('1970-01-01');
    const many = newId('1992-03-04', false);
    const file = join(dir, 'errors.xlsx');
    await writeXlsx(file, [
      ['姓名', '性别', '出生日期', '公民身份号码', '所在党支部', '联系电话', '学历', '入党时间'],
      ['好人', '', '', good, BRANCH, '', '', ''],
      ['校验位', '', '', wrongCheck, BRANCH, '', '', ''],
      ['无此日', '', '1985-02-30', ok1, BRANCH, '', '', ''],
      ['身份证日期', '', '', idImpossible, BRANCH, '', '', ''],
      ['不一致', '女', '1970-01-02', disagree, BRANCH, '', '', ''],
      ['多错', '', '', many, BRANCH, '12345', '博士后', '2000-01-01'],
      ['=HYPERLINK("http://x")', '', '', '', '', '', '', ''],
    ]);
    const report = await importMembers(database, county.countyId, file);
    expect(report).toMatchObject({ created: 1, failed: 6 });
    const errorsOf = (row: number) =>
      report.errors.filter((e) => e.row === row).map((e) => [e.field, e.message]);
    expect(errorsOf(3)).toEqual([['公民身份号码', expect.stringContaining('校验位错误')]]);
    expect(errorsOf(4)).toEqual([['出生日期', expect.stringContaining('不存在')]]);
    expect(errorsOf(5)).toEqual([['公民身份号码', expect.stringContaining('1990-02-30')]]);
    // In the order of the columns.
    expect(errorsOf(6)).toEqual([
      ['性别', expect.stringContaining('性别与身份证号不一致')],
      ['出生日期', expect.stringContaining('与身份证号中的1970-01-01不一致')],
    ]);
    expect(errorsOf(7).map(([f]) => f)).toEqual(['联系电话', '学历', '入党时间']);
    expect(errorsOf(7)[2]![1]).toContain('18');
    expect(errorsOf(8).map(([f]) => f)).toEqual(['公民身份号码', '所在党支部']);
    for (const e of report.errors) expect(e.message).toMatch(/[\u4e00-\u9fff].* \/ \S/);
    expect(await member(good)).toBeDefined();
    expect(await member(many)).toBeUndefined();

    expect(report.errorWorkbook).toBe(join(dir, 'errors.errors.xlsx'));
    const rows = await readXlsx(report.errorWorkbook!);
    expect(rows).toHaveLength(7);
    expect(rows[0]!.values).toEqual([
      '姓名',
      '性别',
      '出生日期',
      '公民身份号码',
      '所在党支部',
      '联系电话',
      '学历',
      '入党时间',
      ERROR_COLUMN,
    ]);
    expect(rows[1]!.values.slice(0, 4)).toEqual(['校验位', null, null, wrongCheck]);
    expect(rows[2]!.values[2]).toBe('1985-02-30');
    expect(rows[5]!.values[8]).toMatch(/^联系电话: .*; 学历: .*; 入党时间: /);
    // A name that looks like a formula stays text.
    expect(rows[6]!.types[0]).not.toBe(6 /* ValueType.Formula */);
    expect(JSON.stringify(rows[6]!.values[0])).toContain('=HYPERLINK');
  });

  it('finds a branch by its unique short name, and names the candidates for an unknown or shared one', async () => {
    const ids = [newId(), newId(), newId()];
    const file = await writeXlsx(join(dir, 'branches.xlsx'), [
      BASIC,
      ['甲', ids[0], '南坡村'],
      ['乙', ids[1], '机关支部'],
      ['丙', ids[2], '东山'],
    ]);
    const report = await importMembers(database, county.countyId, file);
    expect(report.created).toBe(1);
    expect((await member(ids[0]!))?.org_id).toBe(county.branches.nanpoVillage.id);
    const [ambiguous, unknown] = report.errors;
    expect(ambiguous).toMatchObject({ row: 3, field: '所在党支部' });
    expect(ambiguous!.message).toContain('东山镇机关党支部、西河乡机关党支部');
    expect(unknown).toMatchObject({ row: 4, field: '所在党支部' });
    expect(unknown!.message).toContain('找不到党组织“东山”');
    expect(unknown!.message).toContain('东山镇东山村党支部');
    expect(unknown!.message).toContain('中共东山镇委员会');
  });

  it('creates new ID numbers, updates changed ones, leaves the rest, and never erases with an empty cell', async () => {
    const [a, b, c, d] = [newId(), newId(), newId(), newId()];
    const header = ['姓名', '公民身份号码', '所在党支部', '联系电话', '家庭住址', '学历'];
    const first = await writeXlsx(join(dir, 'first.xlsx'), [
      header,
      ['王一', a, BRANCH, '13900000001', '东山村1组', '高中'],
      ['王二', b, BRANCH, '13900000002', '东山村2组', '高中'],
      ['王三', c, BRANCH, '13900000003', '东山村3组', '高中'],
    ]);
    expect(await importMembers(database, county.countyId, first)).toMatchObject({
      created: 3,
      updated: 0,
      unchanged: 0,
      failed: 0,
    });
    const second = await writeXlsx(join(dir, 'second.xlsx'), [
      header,
      ['王一', a, BRANCH, '13900000001', '东山村1组', '高中'], // the same
      ['王二', b, '南坡村', '13900000099', '东山村2组', '高中'], // new phone and branch
      ['王三', c, '', '', '', ''], // empty cells: nothing to change
      ['王四', d, BRANCH, '', '', ''],
    ]);
    expect(await importMembers(database, county.countyId, second)).toMatchObject({
      created: 1,
      updated: 1,
      unchanged: 1,
      failed: 1,
    });
    // 王三's row lacks its branch: the branch is required, so that row fails and nothing of it is erased.
    expect(await member(b)).toMatchObject({ phone: '13900000099', org_id: county.branches.nanpoVillage.id });
    expect(await member(c)).toMatchObject({
      phone: '13900000003',
      address: '东山村3组',
      education: 'high_school',
    });

    const third = await writeXlsx(join(dir, 'third.xlsx'), [header, ['王三', c, BRANCH, '', '', '']]);
    expect(await importMembers(database, county.countyId, third)).toMatchObject({ unchanged: 1, updated: 0 });
    expect(await member(c)).toMatchObject({
      phone: '13900000003',
      address: '东山村3组',
      education: 'high_school',
    });

    // The same file again changes nothing.
    expect(await importMembers(database, county.countyId, second)).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 3,
      failed: 1,
    });
  });

  it('reports an ID number repeated in the file against the row that had it first', async () => {
    const a = newId();
    const file = await writeXlsx(join(dir, 'dup.xlsx'), [
      BASIC,
      ['甲', a, BRANCH],
      ['乙', newId(), BRANCH],
      ['甲', a, BRANCH],
    ]);
    const report = await importMembers(database, county.countyId, file);
    expect(report).toMatchObject({ created: 2, failed: 1 });
    expect(report.errors).toEqual([
      { row: 4, field: '公民身份号码', message: expect.stringContaining('与第2行的身份证号重复') },
    ]);
  });

  it('checks admission dates against those already recorded', async () => {
    const a = newId('1960-01-01');
    await importMembers(
      database,
      county.countyId,
      await writeXlsx(join(dir, 'd1.xlsx'), [
        [...BASIC, '入党时间'],
        ['甲', a, BRANCH, '1990-05-01'],
      ]),
    );
    const report = await importMembers(
      database,
      county.countyId,
      await writeXlsx(join(dir, 'd2.xlsx'), [
        [...BASIC, '转正时间'],
        ['甲', a, BRANCH, '1989-05-01'],
      ]),
    );
    expect(report.errors).toEqual([
      { row: 2, field: '转正时间', message: expect.stringContaining('转正时间早于入党时间') },
    ]);
  });

  it('refuses a sheet without the required columns before importing anything', async () => {
    const before = await count();
    const file = await writeXlsx(join(dir, 'missing.xlsx'), [
      ['姓名', '性别', '单位'],
      ['甲', '男', 'x'],
    ]);
    await expect(importMembers(database, county.countyId, file)).rejects.toMatchObject({
      status: 400,
      code: 'missing_columns',
      messageZh: expect.stringContaining('公民身份号码、所在党支部'),
    });
    expect(await count()).toBe(before);
  });

  it('finds the header under a title row and keeps the spreadsheet row numbers', async () => {
    const file = await writeXlsx(join(dir, 'title.xlsx'), [
      ['东山镇党员花名册'],
      BASIC,
      ['甲', newId(), BRANCH],
      ['乙', 'bad', BRANCH],
    ]);
    const report = await importMembers(database, county.countyId, file);
    expect(report).toMatchObject({ created: 1, failed: 1 });
    expect(report.errors[0]!.row).toBe(4);
  });

  it('on a dry run writes nothing but reports what a real run does, error workbook included', async () => {
    const [a, b] = [newId(), newId()];
    await importMembers(
      database,
      county.countyId,
      await writeXlsx(join(dir, 'dry0.xlsx'), [
        [...BASIC, '联系电话'],
        ['甲', a, BRANCH, '13900000010'],
      ]),
    );
    const file = await writeXlsx(join(dir, 'dry.xlsx'), [
      [...BASIC, '联系电话'],
      ['甲', a, BRANCH, '13900000011'],
      ['乙', b, BRANCH, ''],
      ['丙', 'wrong', BRANCH, ''],
    ]);
    const before = await count();
    const dry = await importMembers(database, county.countyId, file, {
      dryRun: true,
      errorWorkbook: join(dir, 'dry-errors.xlsx'),
    });
    expect(await count()).toBe(before);
    expect((await member(a))?.phone).toBe('13900000010');
    expect(dry.errorWorkbook).toBe(join(dir, 'dry-errors.xlsx'));
    expect(await readXlsx(dry.errorWorkbook!)).toHaveLength(2);
    const real = await importMembers(database, county.countyId, file);
    expect({ ...dry, errorWorkbook: undefined }).toEqual({ ...real, errorWorkbook: undefined });
    expect(real).toMatchObject({ created: 1, updated: 1, failed: 1 });
    expect(await count()).toBe(before + 1);
  });

  it('reads a GBK CSV and a UTF-8 CSV with a BOM', async () => {
    const [a, b] = [newId(), newId()];
    const text = (id: string) => `姓名,身份证号,所在党支部,住址\r\n赵六,${id},东山村,"东山村4组, 老屋"\r\n`;
    const gbk = await importMembers(
      database,
      county.countyId,
      await writeCsv(join(dir, 'gbk.csv'), text(a), 'gbk'),
    );
    const bom = await importMembers(
      database,
      county.countyId,
      await writeCsv(join(dir, 'bom.csv'), text(b), 'utf-8-bom'),
    );
    expect([gbk.created, bom.created]).toEqual([1, 1]);
    expect(await member(a)).toMatchObject({ name: '赵六', address: '东山村4组, 老屋' });
    expect(await member(b)).toMatchObject({ name: '赵六', address: '东山村4组, 老屋' });
  });

  it('reports progress by bytes read of the file', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => [
      `成员${i}`,
      newId(`1970-${String(1 + (i % 12)).padStart(2, '0')}-15`),
      BRANCH,
    ]);
    const file = await writeXlsx(join(dir, 'progress.xlsx'), [BASIC, ...rows]);
    const seen: [number, number, number][] = [];
    await importMembers(database, county.countyId, file, { onProgress: (b, t, r) => seen.push([b, t, r]) });
    const total = seen[0]![1];
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.at(-1)).toEqual([total, total, 1200]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThanOrEqual(seen[i - 1]![0]);
  });

  it('imports a generated county sheet, every row valid', async () => {
    const file = join(dir, 'generated.xlsx');
    await writeMemberSheet(file, 300, {
      branchNames: ['东山镇东山村党支部', '南坡村'],
      seed: 3,
      countyAreaCode: '369903',
    });
    const report = await importMembers(database, county.countyId, file);
    expect(report.errors).toEqual([]);
    expect(report).toMatchObject({ created: 300, failed: 0, ignoredColumns: ['序号'] });
  });

  it('exports every member in full, by organisation then name, and importing the export changes nothing', async () => {
    const tricky = newId();
    const trickyReport = await importMembers(
      database,
      county.countyId,
      await writeXlsx(join(dir, 'tricky.xlsx'), [
        [...BASIC, '工作岗位', '家庭住址', '流动去向', '工作单位', '领导职级'],
        ['钱七', tricky, '东山镇机关党支部', '=1+2', '-', '广东 深圳', '东山镇政府', '科级'],
      ]),
    );
    expect(trickyReport.errors).toEqual([]);
    const file = join(dir, 'export.xlsx');
    const total = await count();
    const progress: number[] = [];
    expect(
      await exportMembers(database, county.countyId, file, { onProgress: (r) => progress.push(r) }),
    ).toEqual({ rows: total });
    expect(progress.at(-1)).toBe(total);
    const rows = await readXlsx(file);
    expect(rows).toHaveLength(total + 1);
    expect(rows[0]!.values.slice(0, 5)).toEqual(['姓名', '性别', '民族', '出生日期', '公民身份号码']);
    const trickyRow = rows.find((r) => r.values[4] === tricky)!;
    expect(trickyRow.values[3]).toBe('1980-05-06');
    expect(trickyRow.values[8]).toBe('东山镇机关党支部');
    expect(trickyRow.types[15]).not.toBe(6 /* ValueType.Formula */);
    // In tree order: the agency branch (created after the village branches) comes after them.
    const branchOrder = [...new Set(rows.slice(1).map((r) => r.values[8]))];
    expect(branchOrder).toEqual(['东山镇东山村党支部', '东山镇南坡村党支部', '东山镇机关党支部']);

    const again = await importMembers(database, county.countyId, file);
    expect(again.errors).toEqual([]);
    expect(again).toMatchObject({ created: 0, updated: 0, failed: 0, unchanged: total, ignoredColumns: [] });

    const sub = join(dir, 'export-sub.xlsx');
    const nanpo = Number(
      (
        await database.db
          .selectFrom('members')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('org_id', '=', county.branches.nanpoVillage.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(
      await exportMembers(database, county.countyId, sub, { underOrgId: county.branches.nanpoVillage.id }),
    ).toEqual({
      rows: nanpo,
    });
  });
});
