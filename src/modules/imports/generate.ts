import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import { Rng } from '../../db/seeds/demo/rng.ts';
import { makeIdNumber } from '../../domain/idcard.ts';

/**
 * A members sheet as a county keeps it (党员花名册), for benchmarks and tests: every row valid and its
 * ID number unique, in the mixed forms clerks use (a 序号 column, date cells beside 2008年7月 text).
 * Streams, so a 100,000-row file costs no more memory than a small one. The same seed gives the same file.
 */
export interface MemberSheetOptions {
  /** The 6-digit area code the ID numbers start with. */
  countyAreaCode?: string;
  /** The branches (full or short names) members are spread over; they must exist to import. */
  branchNames: string[];
  seed?: number;
}

export const GENERATED_HEADER = [
  '序号',
  '姓名',
  '性别',
  '民族',
  '出生日期',
  '公民身份号码',
  '学历',
  '入党时间',
  '转正时间',
  '所在党支部',
  '联系电话',
  '人员类别',
  '工作岗位',
  '困难党员',
  '家庭住址',
];

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢';
const GIVEN =
  '国华建明德文志海永军平伟红英芳秀兰玉珍金春丽霞燕小云飞林峰强勇刚俊杰涛斌波辉鹏宇浩然思雨欣怡婷';
const ETHNICITIES = [
  ['汉族', 85],
  ['苗族', 5],
  ['布依族', 4],
  ['侗族', 3],
  ['土家族', 3],
] as const;
const EDUCATION = [
  ['小学', 12],
  ['初中', 30],
  ['高中', 18],
  ['中专', 8],
  ['大专', 16],
  ['本科', 14],
  ['研究生', 2],
] as const;
const OCCUPATIONS = [
  '农民',
  '村干部',
  '教师',
  '医生',
  '个体经营',
  '务工',
  '退休',
  '公务员',
  '企业职工',
  '学生',
  '其他',
];

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
const DAY = 86_400_000;
const isoOfDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const dayOf = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / DAY;

export async function writeMemberSheet(
  file: string,
  rows: number,
  options: MemberSheetOptions,
): Promise<void> {
  if (!options.branchNames.length) throw new Error('writeMemberSheet needs at least one branch name');
  const area = options.countyAreaCode ?? '369902';
  if (!/^\d{6}$/.test(area)) throw new Error(`area code must be 6 digits, got "${area}"`);
  const rng = new Rng(options.seed ?? 1);
  await mkdir(dirname(file), { recursive: true });
  // Styles on: the birth dates are real date cells, as in a sheet typed in Excel.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('党员花名册');
  // Cells take their column's format when created: the birth-date column shows dates.
  sheet.getColumn(5).numFmt = 'yyyy-mm-dd';
  sheet.addRow(GENERATED_HEADER).commit();

  const used = new Set<string>();
  const firstDay = dayOf('1945-01-01');
  const lastDay = dayOf('2003-12-31');
  for (let i = 1; i <= rows; i++) {
    const female = rng.chance(0.3);
    let idNumber: string;
    let birth: string;
    do {
      birth = isoOfDay(rng.int(firstDay, lastDay));
      // The sequence's last digit is odd for men, even for women.
      const sequence = rng.int(0, 499) * 2 + (female ? 0 : 1);
      idNumber = makeIdNumber(area, birth, sequence);
    } while (used.has(idNumber));
    used.add(idNumber);

    const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
    const probationary = rng.chance(0.04);
    let join: string;
    let full = '';
    if (probationary) {
      join = iso(2024, rng.int(6, 12), 1);
    } else {
      // Joined at 19 or later, so never before the 18th birthday.
      const earliest = Math.max(by + 19, 1965);
      const year = rng.int(Math.min(earliest, 2022), 2022);
      join = iso(year, rng.int(1, 12), rng.int(1, 28));
      full = iso(year + 1, Number(join.slice(5, 7)), Number(join.slice(8, 10)));
    }
    // Clerks write join dates in several ways; all read back as the same day.
    const joinText =
      rng.chance(0.3) && join.endsWith('-01')
        ? `${join.slice(0, 4)}年${Number(join.slice(5, 7))}月`
        : rng.chance(0.5)
          ? join.replaceAll('-', '.')
          : join;
    const branch = rng.pick(options.branchNames);
    const village = branch.replace(/党总支|党支部|支部$/, '');
    sheet
      .addRow([
        i,
        rng.pick(SURNAMES.split('')) +
          rng.pick(GIVEN.split('')) +
          (rng.chance(0.7) ? rng.pick(GIVEN.split('')) : ''),
        female ? '女' : '男',
        rng.weighted(ETHNICITIES),
        new Date(Date.UTC(by, bm - 1, bd)),
        idNumber,
        rng.weighted(EDUCATION),
        joinText,
        full,
        branch,
        `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`,
        probationary ? '预备党员' : '正式党员',
        rng.pick(OCCUPATIONS),
        rng.chance(0.03) ? '是' : '否',
        `${village}${rng.int(1, 12)}组`,
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}
