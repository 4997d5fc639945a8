import ExcelJS from 'exceljs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Run } from '../http-context.ts';
import { Id, Paging } from '../shared-schemas.ts';
import { auditExportRows, recordAudit, searchAuditLog } from './service.ts';
import { parseAnchor, verifyAuditChain } from './verify.ts';

const Filters = {
  user: Id.optional().describe('用户id / user id'),
  username: z.string().trim().max(40).optional(),
  action: z.string().trim().max(60).optional().describe('动作（前缀匹配，如 auth.）/ action prefix'),
  targetType: z.string().trim().max(30).optional(),
  targetId: z.string().trim().max(40).optional(),
  from: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .optional()
    .describe('起（日期按北京时间当天零点）/ from (a date: its midnight, China time)'),
  to: z.iso
    .datetime({ offset: true })
    .or(z.iso.date())
    .optional()
    .describe('止（日期含当天）/ to (a date includes that day)'),
  result: z.enum(['ok', 'denied', 'failed']).optional().describe('结果：成功/拒绝/失败 / outcome'),
};
const AuditQuery = z.strictObject({ ...Filters, ...Paging });
const ExportQuery = z.strictObject(Filters);
const VerifyQuery = z.strictObject({
  anchor: z
    .string()
    .trim()
    .max(90)
    .optional()
    .describe('锚点“序号:哈希”（此前记下的链头）/ an anchor "<place>:<sha256 hex>", a head noted earlier'),
});
const Located = {
  id: z.number().int().nullable(),
  at: z.string().nullable(),
  chainSeq: z.number().int().nullable(),
};
const ChainReport = z.object({
  ok: z.boolean(),
  records: z.number().int(),
  head: z
    .object({ chainSeq: z.number().int(), id: z.number().int(), at: z.string(), hash: z.string() })
    .nullable(),
  firstBreak: z
    .object({
      reason: z.enum(['altered', 'missing', 'unchained', 'anchor']),
      ...Located,
      message: z.string(),
      messageEn: z.string(),
    })
    .nullable(),
  message: z.string(),
  messageEn: z.string(),
});

const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  username: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  result: z.string(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

const AuditListEntry = AuditEntry.extend({
  userName: z.string().nullable().describe('操作人姓名 / who acted, by name'),
  actionLabel: z.string().describe('操作（中文）/ the act in Chinese'),
  actionLabelEn: z.string(),
  targetLabel: z.string().nullable().describe('对象及名称，如“方案：…” / the object and its name'),
  targetLabelEn: z.string().nullable(),
});

/** A cell a spreadsheet would read as a formula is written as text. */
const asText = (v: unknown) => {
  const s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
};

export const auditRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['audit'];
    app.get(
      '/api/audit',
      {
        schema: {
          tags,
          summary: '查询审计记录（按用户、动作、对象、时间）/ Search the audit trail',
          querystring: AuditQuery,
          response: {
            200: z.object({
              items: z.array(AuditListEntry),
              total: z.number().int(),
              page: z.number().int(),
              pageSize: z.number().int(),
            }),
          },
        },
      },
      async (req) => run(req, 'audit.read', (ctx) => searchAuditLog(ctx, req.query)),
    );
    app.get(
      '/api/audit/verify',
      {
        schema: {
          tags,
          summary: '校验审计记录哈希链（是否被改动或删除）/ Verify the audit trail’s hash chain',
          description:
            '逐条重算本县审计记录的哈希链，报告第一条断裂的记录（编号、时间）。/ Walks the county’s chain and reports the first broken record (id, time).',
          querystring: VerifyQuery,
          response: { 200: ChainReport },
        },
      },
      async (req) =>
        run(req, 'audit.verify', (ctx) =>
          verifyAuditChain(ctx, req.query.anchor ? parseAnchor(req.query.anchor) : undefined),
        ),
    );
    app.get(
      '/api/audit/export',
      {
        schema: {
          tags,
          summary: '导出审计记录为xlsx / Export the audit trail as xlsx',
          querystring: ExportQuery,
        },
      },
      async (req, reply) => {
        const buffer = await run(req, 'audit.read', async (ctx) => {
          const wb = new ExcelJS.Workbook();
          const ws = wb.addWorksheet('审计记录');
          ws.addRow(['时间', '用户', '动作', '对象类型', '对象', '结果', '来源地址', '详情']);
          let rows = 0;
          for await (const page of auditExportRows(ctx, req.query)) {
            for (const r of page) {
              ws.addRow(
                [r.at, r.username, r.action, r.targetType, r.targetId, r.result, r.ip, r.details].map(asText),
              );
              rows++;
            }
          }
          await recordAudit(ctx, { action: 'export.audit', details: { rows, filters: req.query } });
          return Buffer.from(await wb.xlsx.writeBuffer());
        });
        return reply
          .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header(
            'Content-Disposition',
            `attachment; filename="audit.xlsx"; filename*=UTF-8''${encodeURIComponent('审计记录.xlsx')}`,
          )
          .send(buffer);
      },
    );
  };
