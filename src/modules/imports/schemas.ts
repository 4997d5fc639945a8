import { z } from 'zod';
import { QueryBool } from '../shared-schemas.ts';

export const ImportQuery = z.strictObject({
  dryRun: QueryBool.default(false).describe('试导入：检查并统计，但不保存 / check and count, save nothing'),
});

/**
 * The multipart body, for the API documents only: @fastify/multipart streams the file, so there is
 * no parsed body to validate (z.any() lets the undefined body through).
 */
export const UploadBody = z.any().meta({
  type: 'object',
  properties: {
    file: {
      type: 'string',
      format: 'binary',
      description: '.xlsx 或 .csv，≤ 50 MB / .xlsx or .csv, at most 50 MB',
    },
  },
  required: ['file'],
});

export const RowErrorSchema = z.object({
  row: z.number().int().describe('表格中的行号（表头为第1行）/ row number as the sheet shows it'),
  field: z.string().describe('列名 / column header'),
  message: z.string(),
});

export const ImportReportResponse = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  errors: z.array(RowErrorSchema),
  errorsTruncated: z.boolean().optional().describe('错误过多，只列出前1000条 / only the first 1000 listed'),
  ignoredColumns: z.array(z.string()).describe('未识别、已忽略的列 / columns not recognised'),
  errorWorkbookUrl: z
    .string()
    .optional()
    .describe('错误行及原因的Excel文件 / workbook of the failed rows with their reasons'),
});
export type ImportReportResponse = z.infer<typeof ImportReportResponse>;

/** An error workbook's name: 32 hex characters and .xlsx, nothing a path could be made of. */
export const ErrorWorkbookParams = z.strictObject({
  token: z.string().regex(/^[0-9a-f]{32}\.xlsx$/, '无效的文件标识 / invalid token'),
});
