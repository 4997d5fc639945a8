import { z } from 'zod';
import { codes, HOUSEHOLD_CATEGORIES } from '../../domain/codes.ts';
import { Id, Paging, QueryBool } from '../shared-schemas.ts';

export const HouseholdCategory = z.enum(codes(HOUSEHOLD_CATEGORIES));

export const Household = z.object({
  id: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  villageId: z.number().int(),
  villageName: z.string(),
  groupId: z.number().int().nullable(),
  groupName: z.string().nullable(),
  headName: z.string(),
  headIdNumber: z.string().nullable().describe('默认脱敏 / masked'),
  phone: z.string().nullable().describe('默认脱敏 / masked'),
  size: z.number().int(),
  category: z.string(),
  categoryLabel: z.string(),
  isNeedy: z.boolean(),
  address: z.string().nullable(),
  notes: z.string().nullable(),
});

export const HouseholdListQuery = z.strictObject({
  under: Id.optional().describe('组织及其下级 / an organisation and its subtree'),
  village: Id.optional(),
  category: HouseholdCategory.optional(),
  needy: QueryBool.optional(),
  q: z.string().trim().min(1).max(30).optional().describe('户主姓名开头 / head name prefix'),
  ...Paging,
});
export type HouseholdListQuery = z.infer<typeof HouseholdListQuery>;

const fields = {
  villageId: Id.describe('行政村或社区 / village or community'),
  groupId: Id.nullable().optional().describe('村民小组 / villager group'),
  orgId: Id.optional().describe('负责的党支部，默认为该村党支部 / default: the village branch'),
  headName: z.string().trim().min(1).max(30),
  headIdNumber: z.string().trim().max(30).nullable().optional(),
  phone: z.string().trim().max(30).nullable().optional(),
  size: z.number().int().min(1).max(30).optional(),
  category: HouseholdCategory,
  address: z.string().trim().max(200).nullable().optional(),
  notes: z.string().trim().max(1000).nullable().optional(),
};
export const CreateHouseholdInput = z.strictObject(fields);
export type CreateHouseholdInput = z.infer<typeof CreateHouseholdInput>;
export const UpdateHouseholdInput = z.strictObject(fields).partial();
export type UpdateHouseholdInput = z.infer<typeof UpdateHouseholdInput>;
