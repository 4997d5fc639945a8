import {
  type Code,
  EDUCATION_LEVELS,
  GENDERS,
  LEADER_RANKS,
  lookupCode,
  MEMBER_CATEGORIES,
  MEMBER_STATUSES,
} from '../../domain/codes.ts';
import { parseDate } from '../../domain/dates.ts';
import { parseIdNumber } from '../../domain/idcard.ts';
import {
  type MemberImportField,
  normalizeEthnicity,
  normalizePersonName,
  parseYesNo,
} from '../../domain/import-headers.ts';
import { checkIdentity, type MemberField, normalizePhone } from '../../domain/members.ts';
import { compactText, normalizeText } from '../../domain/text.ts';
import type { Columns } from './columns.ts';
import type { OrgIndex } from './org-index.ts';
import type { FieldError } from './report.ts';
import type { MemberPatch } from './repository.ts';

/**
 * One row of a members sheet read into the columns it sets. Only non-empty cells set anything: an
 * import never erases. Every field is checked on its own, so a row reports all its problems at once.
 */
export interface ParsedMemberRow {
  /** The valid, normalised ID number (the key), when it is one. */
  idNumber?: string;
  /** The birth date the ID number holds. */
  birthDate?: string;
  values: MemberPatch;
  problems: FieldError[];
}

/** The fields of the domain's rules (members.ts) as the import names them. */
export const DOMAIN_FIELD: Record<MemberField, MemberImportField> = {
  idNumber: 'idNumber',
  birthDate: 'birthDate',
  gender: 'gender',
  joinDate: 'joinDate',
  fullMemberDate: 'fullMemberDate',
  phone: 'phone',
};

const MAX_TEXT = 200;

export function parseMemberRow(
  cells: readonly unknown[],
  cols: Columns<MemberImportField>,
  orgs: OrgIndex,
): ParsedMemberRow {
  const values: MemberPatch = {};
  const problems: FieldError[] = [];
  const problem = (field: MemberImportField, message: string) => {
    if (!problems.some((p) => p.field === cols.header(field)))
      problems.push({ field: cols.header(field), message });
  };
  const get = (field: MemberImportField) => cols.get(cells, field);

  const name = get('name');
  if (!name) problem('name', '姓名不能为空 / the name is required');
  else {
    const value = normalizePersonName(name.text);
    if ([...value].length > 50) problem('name', '姓名过长（最多50字） / the name is too long (50 at most)');
    else values.name = value;
  }

  const birthDate = dateOf(get('birthDate'), (m) => problem('birthDate', m));
  const genderCell = get('gender');
  const gender = genderCell ? lookupCode(GENDERS, compactText(genderCell.text)) : undefined;
  if (genderCell && !gender)
    problem('gender', `性别“${genderCell.text}”应为男或女 / gender must be 男 or 女`);

  let idNumber: string | undefined;
  let idBirth: string | undefined;
  const id = get('idNumber');
  if (!id) problem('idNumber', '身份证号不能为空 / the ID number is required');
  else if (lostDigits(id.value, id.text)) {
    problem(
      'idNumber',
      '身份证号被Excel存成了数字，后几位已丢失：请把该列设为“文本”后重新填写 / the ID number was stored as a number and lost its last digits: format the column as text and type it again',
    );
  } else {
    // A birth date or gender that disagrees still leaves a valid key (for duplicates and the dates check).
    const parsed = parseIdNumber(id.text);
    if (parsed.ok) {
      idNumber = parsed.value.idNumber;
      idBirth = parsed.value.birthDate;
    }
    const identity = checkIdentity({ idNumber: id.text, birthDate, gender });
    if (identity.ok) {
      values.birth_date = identity.value.birthDate;
      values.gender = identity.value.gender;
    } else {
      for (const p of identity.problems) problem(DOMAIN_FIELD[p.field], p.message);
    }
  }

  const joinDate = dateOf(get('joinDate'), (m) => problem('joinDate', m));
  if (joinDate) values.join_date = joinDate;
  const fullDate = dateOf(get('fullMemberDate'), (m) => problem('fullMemberDate', m));
  if (fullDate) values.full_member_date = fullDate;

  const branch = get('branch');
  if (!branch) problem('branch', '所在党支部不能为空 / the branch is required');
  else {
    const found = orgs.resolve(normalizeText(branch.text));
    if (found.ok) values.org_id = found.org.id;
    else problem('branch', found.message);
  }

  const phone = get('phone');
  if (phone) {
    const p = normalizePhone(normalizeText(phone.text));
    if (p.ok) values.phone = p.value;
    else problem('phone', p.message);
  }

  const code = (field: MemberImportField, list: readonly Code[], what: string, whatEn: string) => {
    const cell = get(field);
    if (!cell) return undefined;
    const found = lookupCode(list, compactText(cell.text));
    if (!found) {
      const allowed = list.map((c) => c.zh);
      problem(
        field,
        `${what}“${cell.text}”无法识别，应为：${allowed.join('、')} / unknown ${whatEn} "${cell.text}"; use one of ${allowed.join(', ')}`,
      );
    }
    return found;
  };
  const education = code('education', EDUCATION_LEVELS, '学历', 'education');
  if (education) values.education = education;
  const category = code('category', MEMBER_CATEGORIES, '人员类别', 'category');
  if (category) values.category = category;
  const status = code('status', MEMBER_STATUSES, '党员状态', 'status');
  if (status) values.status = status;
  const rank = code('leaderRank', LEADER_RANKS, '领导职级', 'rank');
  if (rank) values.leader_rank = rank;

  const needy = get('needy');
  if (needy) {
    const yes = parseYesNo(needy.text);
    if (yes === undefined) problem('needy', `困难党员“${needy.text}”应填是或否 / write 是 or 否`);
    else values.is_needy = yes;
  }

  const ethnicity = get('ethnicity');
  if (ethnicity) {
    const value = normalizeEthnicity(ethnicity.text);
    if ([...value].length > 20) problem('ethnicity', '民族过长 / the ethnicity is too long');
    else values.ethnicity = value;
  }

  const texts = [
    ['address', 'address'],
    ['occupation', 'occupation'],
    ['mobileTo', 'mobile_to'],
    ['leaderUnit', 'leader_unit'],
  ] as const;
  for (const [field, column] of texts) {
    const cell = get(field);
    if (!cell) continue;
    const value = normalizeText(cell.text);
    if ([...value].length > MAX_TEXT)
      problem(field, `内容过长（最多${MAX_TEXT}字） / too long (${MAX_TEXT} characters at most)`);
    else values[column] = value;
  }

  return { ...(idNumber && { idNumber, birthDate: idBirth }), values, problems };
}

/** A date cell read the way clerks fill them; numbers of 6 or 8 digits are 200807 / 20080729, not serials. */
function dateOf(
  cell: { value: unknown; text: string } | undefined,
  report: (message: string) => void,
): string | undefined {
  if (!cell) return undefined;
  const input = typeof cell.value === 'number' && cell.value >= 100000 ? cell.text : cell.value;
  const parsed = parseDate(input);
  if (parsed.ok) return parsed.value;
  report(parsed.message);
  return undefined;
}

/** 18 digits kept as a number in Excel lose their last ones (1.10105E+17). */
function lostDigits(value: unknown, text: string): boolean {
  if (typeof value === 'number') return value > Number.MAX_SAFE_INTEGER;
  return /^\d(\.\d+)?e\+?\d+$/i.test(compactText(text));
}
