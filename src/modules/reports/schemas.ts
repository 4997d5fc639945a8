import { z } from 'zod';
import { Id, IsoDate, QueryBool } from '../shared-schemas.ts';

/** The half-year bulletin's request. */
export const BulletinQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).describe('年度 / year'),
  half: z.coerce
    .number()
    .int()
    .min(1)
    .max(2)
    .transform((h) => h as 1 | 2)
    .describe('1 上半年（1月1日至6月30日），2 下半年 / 1 for January–June, 2 for July–December'),
  orgId: Id.optional().describe(
    '范围（含下级），默认本人所在组织 / subtree, default the user’s organisation',
  ),
  names: QueryBool.optional().describe(
    '点名到人（领导干部、帮扶党员、整改责任人），默认只列组织名称 / name people; default organisations only',
  ),
  issuedOn: IsoDate.optional().describe('成文日期，默认今天 / date on the document, default today'),
});
export type BulletinQuery = z.infer<typeof BulletinQuery>;
