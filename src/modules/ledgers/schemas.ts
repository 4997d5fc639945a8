import { z } from 'zod';
import { Id, IsoDate } from '../shared-schemas.ts';

/** Requests and answers of the ledgers (台账) and their export jobs. */

export const LedgerFilterInput = z
  .strictObject({
    orgId: Id.optional().describe('组织（含下级），默认本人所在组织 / subtree, default your own'),
    from: IsoDate.optional().describe('起始日期 / from (YYYY-MM-DD)'),
    to: IsoDate.optional().describe('截止日期 / to (YYYY-MM-DD)'),
    year: z.coerce.number().int().min(2000).max(2100).optional().describe('年度 / year'),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    message: '截止日期早于起始日期 / "to" precedes "from"',
    path: ['to'],
  })
  .describe('台账范围：组织及期间 / which subtree and period');
export type LedgerFilterInput = z.infer<typeof LedgerFilterInput>;

export const LedgerNameParams = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/)
    .describe('台账名称，如 visits / the ledger, e.g. visits'),
});

export const JobIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .describe('导出任务 / export job'),
});

export const Ledger = z.object({
  name: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  columns: z.array(z.object({ key: z.string(), zh: z.string(), en: z.string(), type: z.string() })),
});

export const JOB_STATUSES = [
  { code: 'running', zh: '正在导出', en: 'Running' },
  { code: 'done', zh: '已完成', en: 'Done' },
  { code: 'failed', zh: '导出失败', en: 'Failed' },
] as const;

export const ExportJob = z.object({
  id: z.string(),
  ledger: z.string(),
  titleZh: z.string(),
  filter: z.object({
    orgId: z.number().int().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    year: z.number().int().optional(),
  }),
  status: z.enum(['running', 'done', 'failed']).describe('running 正在导出 / done 已完成 / failed 导出失败'),
  statusLabel: z.string(),
  rowsDone: z.number().int().describe('已写入行数 / rows written'),
  rowsTotal: z.number().int().describe('总行数 / rows in all'),
  fileName: z.string(),
  fileUrl: z
    .string()
    .nullable()
    .describe(
      '完成后下载（下载一次后删除，1小时后过期）/ download once done; removed after download or an hour',
    ),
  error: z.object({ code: z.string(), message: z.string(), messageEn: z.string() }).nullable(),
  createdAt: z.string(),
});
