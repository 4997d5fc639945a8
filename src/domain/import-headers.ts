import { normalizeText } from './text.ts';

/**
 * The columns of the county's own sheets (党员花名册, 党组织台账) and the loose rules that match
 * their headers as clerks write them: "公民身份号码*", "出生日期（格式：1980-01-01）", "联系 电话".
 */
export interface ColumnSpec<F extends string = string> {
  field: F;
  /** The header an export writes and a message names when the sheet has no such column. */
  label: string;
  aliases: readonly string[];
}

export type MemberImportField =
  | 'name'
  | 'gender'
  | 'ethnicity'
  | 'birthDate'
  | 'idNumber'
  | 'education'
  | 'joinDate'
  | 'fullMemberDate'
  | 'branch'
  | 'phone'
  | 'category'
  | 'status'
  | 'mobileTo'
  | 'needy'
  | 'address'
  | 'occupation'
  | 'leaderRank'
  | 'leaderUnit';

/** In the order an export writes them. */
export const MEMBER_COLUMNS: readonly ColumnSpec<MemberImportField>[] = [
  { field: 'name', label: '姓名', aliases: ['党员姓名'] },
  { field: 'gender', label: '性别', aliases: [] },
  { field: 'ethnicity', label: '民族', aliases: [] },
  { field: 'birthDate', label: '出生日期', aliases: ['出生年月', '出生年月日'] },
  {
    field: 'idNumber',
    label: '公民身份号码',
    aliases: ['身份证号', '身份证号码', '身份证', '公民身份证号码'],
  },
  { field: 'education', label: '学历', aliases: ['文化程度', '最高学历'] },
  { field: 'joinDate', label: '入党时间', aliases: ['入党日期', '入党年月'] },
  { field: 'fullMemberDate', label: '转正时间', aliases: ['转正日期', '转正年月'] },
  {
    field: 'branch',
    label: '所在党支部',
    aliases: ['所在党组织', '党组织名称', '所在支部', '所属党支部', '所属支部'],
  },
  { field: 'phone', label: '联系电话', aliases: ['手机号码', '联系方式', '手机号', '手机', '电话'] },
  { field: 'category', label: '人员类别', aliases: ['党员类别', '类别'] },
  { field: 'status', label: '党员状态', aliases: ['状态'] },
  { field: 'mobileTo', label: '流动去向', aliases: ['外出去向', '流入地'] },
  { field: 'needy', label: '困难党员', aliases: ['是否困难党员'] },
  { field: 'address', label: '家庭住址', aliases: ['住址', '家庭地址', '现居住地'] },
  { field: 'occupation', label: '工作岗位', aliases: ['职业', '现工作单位及职务', '工作岗位或职业'] },
  { field: 'leaderRank', label: '领导职级', aliases: ['职级'] },
  { field: 'leaderUnit', label: '工作单位', aliases: ['所在单位'] },
];
export const REQUIRED_MEMBER_FIELDS: readonly MemberImportField[] = ['name', 'idNumber', 'branch'];

export type OrgImportField = 'name' | 'shortName' | 'kind' | 'sector' | 'parent' | 'place';

export const ORG_COLUMNS: readonly ColumnSpec<OrgImportField>[] = [
  { field: 'name', label: '组织名称', aliases: ['党组织名称', '党组织全称', '组织全称', '名称'] },
  { field: 'shortName', label: '简称', aliases: ['组织简称', '党组织简称'] },
  { field: 'kind', label: '组织类别', aliases: ['党组织类别', '组织类型', '类别'] },
  { field: 'sector', label: '所属领域', aliases: ['领域'] },
  { field: 'parent', label: '上级党组织', aliases: ['上级组织', '上级党组织名称'] },
  { field: 'place', label: '所在地', aliases: ['地点', '所在地点'] },
];
export const REQUIRED_ORG_FIELDS: readonly OrgImportField[] = ['name'];

/** The column an error workbook adds; a clerk who fixes that workbook and imports it again is not told about it. */
export const ERROR_COLUMN = '错误原因 / Errors';

/**
 * A header reduced to what identifies it: full-width folded, notes in brackets dropped, marks of
 * required columns (*, ※) and spaces removed.
 */
export function normalizeHeader(value: unknown): string {
  return normalizeText(value)
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕|<[^>]*>/g, '')
    .replace(/[\s*※:：]/g, '')
    .toLowerCase();
}

export interface HeaderMatch<F extends string> {
  /** For each field, the columns (0-based) that carry it, in sheet order, with their headers as written (trimmed). */
  columns: Map<F, { index: number; header: string }[]>;
  /** Headers recognised as nothing, as written. */
  ignored: string[];
  missing: F[];
}

/** `headers` are the header row's cells as text. */
export function matchHeaders<F extends string>(
  headers: readonly string[],
  specs: readonly ColumnSpec<F>[],
  required: readonly F[],
): HeaderMatch<F> {
  const byKey = new Map<string, F>();
  for (const s of specs)
    for (const name of [s.label, ...s.aliases]) byKey.set(normalizeHeader(name), s.field);
  const errorKey = normalizeHeader(ERROR_COLUMN.split('/')[0]);
  const columns = new Map<F, { index: number; header: string }[]>();
  const ignored: string[] = [];
  headers.forEach((raw, index) => {
    const header = String(raw ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    const key = normalizeHeader(raw);
    if (!key || key.startsWith(errorKey)) return;
    const field = byKey.get(key);
    if (field === undefined) ignored.push(header);
    else columns.set(field, [...(columns.get(field) ?? []), { index, header }]);
  });
  return { columns, ignored, missing: required.filter((f) => !columns.has(f)) };
}

/**
 * A person's name: a Chinese name padded for alignment ("张　三") loses its spaces; others
 * ("Maria Li", "买买提·艾力") keep single spaces.
 */
export function normalizePersonName(value: unknown): string {
  const text = normalizeText(value);
  return /^[\p{Script=Han}·•\s]+$/u.test(text) ? text.replace(/\s/g, '').replace(/•/g, '·') : text;
}

/** "汉" and "汉族" are the same 民族; all 56 names end in 族. */
export function normalizeEthnicity(value: unknown): string {
  const text = normalizeText(value).replace(/\s/g, '');
  return text && /^\p{Script=Han}+$/u.test(text) && !text.endsWith('族') ? `${text}族` : text;
}

const YES = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '✓', '困难', '困难党员']);
const NO = new Set(['否', '无', '不是', 'n', 'no', 'false', '0', '×', '✗']);

export function parseYesNo(value: unknown): boolean | undefined {
  const text = normalizeText(value).toLowerCase();
  if (YES.has(text)) return true;
  if (NO.has(text)) return false;
  return undefined;
}
