import { type RawBuilder, sql } from 'kysely';
import {
  EDUCATION_LEVELS,
  GENDERS,
  labelOf,
  MEMBER_CATEGORIES,
  MEMBER_STATUSES,
} from '../../domain/codes.ts';
import { maskIdNumber, maskPhone } from '../../domain/masking.ts';
import type { ServiceContext } from '../context.ts';
import { keysetPages, subtreeOf } from './common.ts';
import type { LedgerDefinition, LedgerFilter } from './registry.ts';

/**
 * 党员花名册: the party members (and activists) of the subtree, by branch, as the member list shows
 * them — ID numbers and phones masked, as on screen. The full roster, unmasked, is an
 * administrator's act on the command line (`gongjian export members`), audited as such.
 */

interface Row {
  id: number;
  name: string;
  gender: string;
  ethnicity: string;
  birth_date: string;
  id_number: string;
  education: string | null;
  join_date: string | null;
  full_member_date: string | null;
  org_name: string;
  phone: string | null;
  category: string;
  status: string;
  is_needy: boolean;
  mobile_to: string | null;
  occupation: string | null;
}

async function where(ctx: ServiceContext, f: LedgerFilter) {
  const path = await subtreeOf(ctx, f);
  const parts: RawBuilder<unknown>[] = [sql`m.county_id = ${ctx.countyId}`];
  if (path) parts.push(sql`o.path <@ ${path}::ltree`);
  return sql.join(parts, sql` AND `);
}

const FROM = sql`members m JOIN orgs o ON o.county_id = m.county_id AND o.id = m.org_id`;

export const membersLedger: LedgerDefinition = {
  name: 'members',
  titleZh: '党员花名册',
  titleEn: 'Members roster',
  action: 'member.read',
  columns: [
    { key: 'name', zh: '姓名', en: 'Name', width: 10 },
    { key: 'gender', zh: '性别', en: 'Gender', width: 6 },
    { key: 'ethnicity', zh: '民族', en: 'Ethnicity', width: 8 },
    { key: 'birthDate', zh: '出生日期', en: 'Born', width: 12, type: 'date' },
    { key: 'idNumber', zh: '身份证号（脱敏）', en: 'ID number (masked)', width: 22 },
    { key: 'education', zh: '学历', en: 'Education', width: 10 },
    { key: 'joinDate', zh: '入党时间', en: 'Joined', width: 12, type: 'date' },
    { key: 'fullMemberDate', zh: '转正时间', en: 'Full member since', width: 12, type: 'date' },
    { key: 'branch', zh: '所在党支部', en: 'Branch', width: 28 },
    { key: 'phone', zh: '联系电话（脱敏）', en: 'Phone (masked)', width: 14 },
    { key: 'category', zh: '人员类别', en: 'Category', width: 10 },
    { key: 'status', zh: '党员状态', en: 'Status', width: 10 },
    { key: 'needy', zh: '困难党员', en: 'Needy', width: 8 },
    { key: 'mobileTo', zh: '流动去向', en: 'Working in', width: 16 },
    { key: 'occupation', zh: '工作岗位', en: 'Occupation', width: 20 },
  ],

  async count(ctx, f) {
    const w = await where(ctx, f);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${FROM} WHERE ${w}`.execute(
      ctx.db,
    );
    return Number(rows[0]!.n);
  },

  async *rows(ctx, f) {
    const w = await where(ctx, f);
    const pages = keysetPages(
      ctx,
      async (db, after, limit) =>
        (
          await sql<Row>`
            SELECT m.id, m.name, m.gender, m.ethnicity, m.birth_date, m.id_number, m.education,
                   m.join_date, m.full_member_date, o.name AS org_name, m.phone, m.category, m.status,
                   m.is_needy, m.mobile_to, m.occupation
            FROM ${FROM}
            WHERE ${w} AND m.id > ${after}
            ORDER BY m.id LIMIT ${limit}`.execute(db)
        ).rows,
      (r) => r.id,
    );
    for await (const page of pages) {
      for (const m of page) {
        yield {
          name: m.name,
          gender: labelOf(GENDERS, m.gender),
          ethnicity: m.ethnicity,
          birthDate: m.birth_date,
          idNumber: maskIdNumber(m.id_number),
          education: labelOf(EDUCATION_LEVELS, m.education),
          joinDate: m.join_date,
          fullMemberDate: m.full_member_date,
          branch: m.org_name,
          phone: maskPhone(m.phone),
          category: labelOf(MEMBER_CATEGORIES, m.category),
          status: labelOf(MEMBER_STATUSES, m.status),
          needy: m.is_needy ? '是' : '否',
          mobileTo: m.mobile_to,
          occupation: m.occupation,
        };
      }
    }
  },
};
