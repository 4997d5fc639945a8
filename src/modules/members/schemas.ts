import { z } from 'zod';
import {
  codes,
  EDUCATION_LEVELS,
  GENDERS,
  LEADER_RANKS,
  MEMBER_CATEGORIES,
  MEMBER_STATUSES,
  SECTORS,
} from '../../domain/codes.ts';
import { Id, IsoDate, Paging, QueryBool } from '../shared-schemas.ts';

export const Gender = z.enum(codes(GENDERS));
export const Education = z.enum(codes(EDUCATION_LEVELS));
export const MemberCategory = z.enum(codes(MEMBER_CATEGORIES));
export const MemberStatus = z.enum(codes(MEMBER_STATUSES));
export const LeaderRank = z.enum(codes(LEADER_RANKS));

export const Member = z.object({
  id: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  name: z.string(),
  gender: z.string(),
  ethnicity: z.string(),
  birthDate: z.string(),
  age: z.number().int(),
  idNumber: z.string().describe('默认脱敏 / masked by default: 110105********002X'),
  phone: z.string().nullable().describe('默认脱敏 / masked by default: 138****1234'),
  education: z.string().nullable(),
  educationLabel: z.string(),
  address: z.string().nullable(),
  category: z.string(),
  categoryLabel: z.string(),
  isPartyMember: z.boolean(),
  status: z.string(),
  statusLabel: z.string(),
  joinDate: z.string().nullable(),
  fullMemberDate: z.string().nullable(),
  occupation: z.string().nullable(),
  isNeedy: z.boolean().describe('困难党员 / needy member'),
  isVeteran: z.boolean().describe('老党员（党龄50年以上）/ 50+ years of standing'),
  mobileTo: z.string().nullable().describe('流动去向 / where a mobile member went'),
  leaderRank: z.string().nullable(),
  leaderUnit: z.string().nullable(),
});

export const MemberListQuery = z.strictObject({
  under: Id.optional().describe('组织及其下级 / an organisation and its subtree'),
  org: Id.optional().describe('仅该组织 / this organisation only'),
  sector: z.enum(codes(SECTORS)).optional(),
  category: z
    .union([MemberCategory, z.literal('all')])
    .optional()
    .describe('默认仅党员 / default: party members only'),
  status: MemberStatus.optional(),
  gender: Gender.optional(),
  education: Education.optional(),
  needy: QueryBool.optional(),
  mobile: QueryBool.optional(),
  leaderRank: LeaderRank.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(30)
    .optional()
    .describe('姓名开头或身份证号末几位 / name prefix or ID number ending'),
  ...Paging,
});
export type MemberListQuery = z.infer<typeof MemberListQuery>;

const fields = {
  orgId: Id,
  name: z.string().trim().min(1).max(30),
  gender: Gender.optional().describe('可由身份证号得出 / derived from the ID number if omitted'),
  ethnicity: z.string().trim().min(1).max(20).optional(),
  birthDate: IsoDate.optional().describe('可由身份证号得出 / derived from the ID number if omitted'),
  idNumber: z.string().trim().min(1).max(30),
  phone: z.string().trim().max(30).nullable().optional(),
  education: Education.nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  category: MemberCategory.optional(),
  status: MemberStatus.optional(),
  joinDate: IsoDate.nullable().optional(),
  fullMemberDate: IsoDate.nullable().optional(),
  occupation: z.string().trim().max(100).nullable().optional(),
  isNeedy: z.boolean().optional(),
  mobileTo: z.string().trim().max(100).nullable().optional(),
  leaderRank: LeaderRank.nullable().optional(),
  leaderUnit: z.string().trim().max(100).nullable().optional(),
};

export const CreateMemberInput = z.strictObject(fields);
export type CreateMemberInput = z.infer<typeof CreateMemberInput>;
export const UpdateMemberInput = z.strictObject(fields).partial();
export type UpdateMemberInput = z.infer<typeof UpdateMemberInput>;
