import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { scopeOf } from '../../domain/access.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Gate } from '../http-context.ts';
import { type LedgerExport, prepareLedger, writeLedger } from './export.ts';
import { ExportJobs, present, XLSX_TYPE } from './jobs.ts';
import { LEDGERS, ledgerNamed } from './registry.ts';
import { ExportJob, JobIdParams, Ledger, LedgerFilterInput, LedgerNameParams } from './schemas.ts';

/** RFC 5987: percent-encode all but attr-char (encodeURIComponent leaves ' ( ) * as they are). */
const rfc5987 = (s: string) =>
  encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Ledgers (台账) as export jobs, so the web app can show progress: start one (its rows are counted
 * first), poll it, download its file once. A file is written under exportDir (scratch space), then
 * kept in the database until its download or an hour has passed, so any process on the database
 * hands it out. Exporting needs `ledger.export` and the ledger's own read right.
 */
export const ledgerRoutes =
  (db: Kysely<DB>, gate: Gate, exportDir: string): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['ledgers'];
    const jobs = new ExportJobs(exportDir, db, gate.appRole);
    await jobs.start();
    app.addHook('onClose', async () => {
      await jobs.close();
    });

    app.get(
      '/api/ledgers',
      {
        schema: {
          tags,
          summary: '可导出的台账 / The ledgers you may export',
          response: { 200: z.object({ items: z.array(Ledger) }) },
        },
      },
      async (req) => {
        const { session } = await gate.authorize(req, 'ledger.export');
        const items = Object.values(LEDGERS)
          .filter((d) => scopeOf(session.actor.role, d.action) === 'subtree')
          .map((d) => ({
            name: d.name,
            titleZh: d.titleZh,
            titleEn: d.titleEn,
            columns: d.columns.map((c) => ({ key: c.key, zh: c.zh, en: c.en, type: c.type ?? 'text' })),
          }));
        return { items };
      },
    );

    app.post(
      '/api/ledgers/:name/exports',
      {
        schema: {
          tags,
          summary: '导出台账（后台任务，可查看进度）/ Start exporting a ledger as a job',
          description:
            '先统计行数并立即返回任务；完成后从 fileUrl 下载一次。公式样式的单元格（以 = + - @ 等开头）按文本写入。/ Counts the rows and returns the job at once; download from fileUrl when done. Cells that look like formulas are written as text.',
          params: LedgerNameParams,
          body: LedgerFilterInput,
          response: { 202: ExportJob },
        },
      },
      async (req, reply) => {
        const { session } = await gate.authorize(req, 'ledger.export');
        const def = ledgerNamed(req.params.name);
        if (!def) throw notFound('台账', 'Ledger');
        await gate.authorize(req, def.action);
        if (scopeOf(session.actor.role, def.action) !== 'subtree') {
          throw new AppError(403, 'forbidden', '无权导出该台账', 'you may not export this ledger');
        }
        const filter = Object.fromEntries(
          Object.entries(req.body).filter(([, v]) => v !== undefined),
        ) as LedgerFilterInput;
        const x: LedgerExport = {
          db,
          countyId: session.countyId,
          access: { appRole: gate.appRole, actor: session.actor, ip: req.ip },
          def,
          filter,
        };
        const prepared = await prepareLedger(x);
        const job = await jobs.create(session.countyId, session.actor, {
          ledger: def.name,
          titleZh: def.titleZh,
          filter,
          rowsTotal: prepared.rowsTotal,
          fileName: prepared.fileName,
        });
        void writeLedger(x, {
          file: job.file,
          prepared,
          onProgress: (done, total) => jobs.progress(job, done, total),
        })
          .then(
            () => jobs.finished(job),
            (err: unknown) => {
              req.log.error({ err, ledger: def.name }, 'ledger export failed');
              return jobs.fail(
                job,
                err instanceof AppError
                  ? { code: err.code, message: err.messageZh, messageEn: err.messageEn }
                  : {
                      code: 'internal',
                      message: '导出失败，请稍后重试',
                      messageEn: 'the export failed; try again',
                    },
              );
            },
          )
          .catch((err: unknown) =>
            req.log.error({ err, ledger: def.name }, 'ledger export could not be kept'),
          );
        return reply.status(202).send(present(job));
      },
    );

    app.get(
      '/api/ledgers/exports/:id',
      {
        schema: {
          tags,
          summary: '导出进度 / An export job’s progress',
          params: JobIdParams,
          response: { 200: ExportJob },
        },
      },
      async (req) => {
        const job = await gate.run(req, 'ledger.export', (ctx) => jobs.status(ctx, req.params.id));
        if (!job) throw notFound('导出任务', 'Export job');
        return job;
      },
    );

    app.get(
      '/api/ledgers/exports/:id/file',
      {
        schema: {
          tags,
          summary: '下载导出的台账（下载后删除）/ Download the ledger (removed once downloaded)',
          params: JobIdParams,
          produces: [XLSX_TYPE],
        },
      },
      async (req, reply) => {
        const file = await gate.run(req, 'ledger.export', (ctx) => jobs.take(ctx, req.params.id));
        if (!file) throw notFound('导出任务', 'Export job');
        return reply
          .header('Content-Type', XLSX_TYPE)
          .header('Content-Length', String(file.content.length))
          .header(
            'Content-Disposition',
            `attachment; filename="ledger-${file.ledger}.xlsx"; filename*=UTF-8''${rfc5987(file.fileName)}`,
          )
          .header('Cache-Control', 'private, no-store')
          .header('X-Content-Type-Options', 'nosniff')
          .send(file.content);
      },
    );
  };
