import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../../db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Gate } from '../http-context.ts';
import { ErrorWorkbookParams, ImportQuery, ImportReportResponse, UploadBody } from './schemas.ts';
import { type ImportReport, importMembers, importOrgs } from './service.ts';

const MAX_UPLOAD = 50 * 1024 * 1024;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Error workbooks are kept a day: long enough to download, short enough not to pile up personal data. */
const KEEP_ERRORS_MS = 24 * 3600 * 1000;
const ACCEPTED = new Set(['.xlsx', '.csv']);

type Importer = typeof importMembers;

/**
 * Uploading the county's sheets. The upload is saved under uploadDir with a random name, imported,
 * and deleted; the error workbook (failed rows + 错误原因) stays under uploadDir/errors behind a
 * random token for a day.
 */
export const importRoutes =
  (database: Database, gate: Gate, uploadDir: string): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(multipart, { limits: { fileSize: MAX_UPLOAD, files: 1, fields: 5, parts: 6 } });
    const errorsDir = join(uploadDir, 'errors');
    const tags = ['imports'];
    const upload = (summary: string, description: string) => ({
      tags,
      summary,
      description: `${description} multipart/form-data，文件字段名 file，≤ 50 MB，.xlsx 或 .csv（UTF-8 或 GBK）。/ One file field named "file", at most 50 MB.`,
      consumes: ['multipart/form-data'],
      body: UploadBody,
      querystring: ImportQuery,
      response: { 200: ImportReportResponse },
    });

    const run = async (
      req: FastifyRequest,
      importer: Importer,
      dryRun: boolean,
    ): Promise<ImportReportResponse> => {
      const { session } = await gate.authorize(req, 'import.run');
      const saved = await saveUpload(req, uploadDir);
      try {
        const token = randomBytes(16).toString('hex');
        const report = await importer(database, session.countyId, saved, {
          dryRun,
          access: { appRole: gate.appRole, actor: session.actor, ip: req.ip },
          errorWorkbook: join(errorsDir, `${token}.xlsx`),
        });
        void sweepOldErrors(errorsDir);
        return present(report, token);
      } finally {
        await rm(saved, { force: true });
      }
    };

    app.post(
      '/api/imports/members',
      {
        schema: upload(
          '导入党员花名册 / Import the members sheet',
          '按身份证号新增或更新党员；出错的行不导入，并列出原因。',
        ),
      },
      async (req) => run(req, importMembers, req.query.dryRun),
    );
    app.post(
      '/api/imports/orgs',
      {
        schema: upload(
          '导入党组织台账 / Import the organisations sheet',
          '按组织全称新增或更新党组织，上级可在同一文件的前面几行。',
        ),
      },
      async (req) => run(req, importOrgs, req.query.dryRun),
    );
    app.get(
      '/api/imports/errors/:token',
      {
        schema: {
          tags,
          summary: '下载导入错误表 / Download the error workbook of an import',
          params: ErrorWorkbookParams,
          produces: [XLSX_TYPE],
        },
      },
      async (req, reply) => {
        await gate.authorize(req, 'import.run');
        const path = join(errorsDir, req.params.token);
        if (!(await stat(path).catch(() => null))?.isFile()) throw notFound('错误表', 'Error workbook');
        return reply
          .header('Content-Type', XLSX_TYPE)
          .header(
            'Content-Disposition',
            `attachment; filename="import-errors.xlsx"; filename*=UTF-8''${encodeURIComponent('导入错误.xlsx')}`,
          )
          .header('Cache-Control', 'no-store')
          .send(createReadStream(path));
      },
    );
  };

function present(report: ImportReport, token: string): ImportReportResponse {
  const { errorWorkbook, ...rest } = report;
  return { ...rest, ...(errorWorkbook && { errorWorkbookUrl: `/api/imports/errors/${token}.xlsx` }) };
}

/** Saves the one file part under a random name, keeping only its extension (which decides the format). */
async function saveUpload(req: FastifyRequest, dir: string): Promise<string> {
  if (!req.isMultipart()) {
    throw new AppError(
      406,
      'not_multipart',
      '请以 multipart/form-data 上传文件',
      'send the file as multipart/form-data',
      'file',
    );
  }
  const part = await req.file();
  if (part?.fieldname !== 'file') {
    part?.file.resume();
    throw new AppError(
      400,
      'invalid',
      '请以字段名 file 上传一个文件',
      'upload one file in a field named "file"',
      'file',
    );
  }
  const ext = extname(part.filename).toLowerCase();
  if (!ACCEPTED.has(ext)) {
    part.file.resume();
    throw new AppError(
      400,
      'unsupported_file',
      `不支持的文件类型“${ext || part.filename}”，请上传 .xlsx 或 .csv（旧版 .xls 请先另存为 .xlsx）`,
      `unsupported file type "${ext || part.filename}": upload .xlsx or .csv`,
      'file',
    );
  }
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomBytes(16).toString('hex')}${ext}`);
  try {
    await pipeline(part.file, createWriteStream(path, { mode: 0o600 }));
    if (part.file.truncated) throw tooLarge();
  } catch (err) {
    await rm(path, { force: true });
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw err;
  }
  return path;
}

const tooLarge = () =>
  new AppError(
    413,
    'too_large',
    '文件超过50MB，请分成几个文件导入',
    'the file exceeds 50 MB; split it into several files',
    'file',
  );

async function sweepOldErrors(dir: string) {
  const now = Date.now();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > KEEP_ERRORS_MS) await rm(path, { force: true }).catch(() => {});
  }
}
