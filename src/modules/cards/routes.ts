import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, notFound } from '../../platform/errors.ts';
import { PHOTO_TYPE, reencodePhoto } from '../files/image.ts';
import type { Run } from '../http-context.ts';
import { renderMessagePage } from '../publicity/html.ts';
import { IdParams } from '../shared-schemas.ts';
import { renderCard } from './html.ts';
import { sniffPhoto } from './photo-type.ts';
import {
  AmendInput,
  CheckInput,
  CheckResult,
  Note,
  NoteInput,
  PairingIdParams,
  Photo,
  PhotoUploadBody,
  PlanIdParams,
  Register,
  SignoffInput,
  SignoffParams,
  SignoffResult,
  YearQuery,
} from './schemas.ts';
import * as cards from './service.ts';

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const HTML = 'text/html; charset=utf-8';

/**
 * A served photo is only ever the JPEG the platform encoded (files/image.ts), so it may be shown
 * inline — in the register's <img> and when opened in a tab — with nothing to sniff (nosniff, a
 * fixed type) and nothing to run: the policy allows no script, style, frame or fetch, and
 * `sandbox` gives a document opened from it an opaque origin.
 */
const PHOTO_CSP = "default-src 'none'; img-src 'self'; sandbox";

/**
 * The card and the register (卡册): the register as JSON, the card as a printable page, the
 * mid-year check, the year-end sign-offs and the photos of visits. Photos are re-encoded on upload,
 * kept in the database (stored_files) and served only through the gate.
 */
export const cardRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(multipart, { limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 5, parts: 6 } });
    const tags = ['pairings'];

    app.get(
      '/api/pairings/:id/register',
      {
        schema: {
          tags,
          summary:
            '帮扶册：年度方案与任务（含年中检查）、进展、活动与照片、签署意见 / The register of a pairing’s year',
          params: IdParams,
          querystring: YearQuery,
          response: { 200: Register },
        },
      },
      async (req) => run(req, 'pairing.read', (ctx) => cards.getRegister(ctx, req.params.id, req.query.year)),
    );
    app.post(
      '/api/pairings/:id/notes',
      {
        schema: {
          tags,
          summary: '在帮扶册中记录进展 / Write a progress note in the register',
          params: IdParams,
          body: NoteInput,
          response: { 201: Note },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'visit.write', (ctx) => cards.addNote(ctx, req.params.id, req.body))),
    );
    app.post(
      '/api/plans/:planId/checks',
      {
        schema: {
          tags: ['plans'],
          summary: '年中督促检查：逐项记录任务进度 / Mid-year check, task by task',
          params: PlanIdParams,
          body: CheckInput,
          response: { 201: CheckResult },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'check.write', (ctx) => cards.recordChecks(ctx, req.params.planId, req.body))),
    );
    app.post(
      '/api/pairings/:id/signoffs',
      {
        schema: {
          tags,
          summary: '年末签署意见（双方签署后本年度办结）/ Year-end sign-off; both signed closes the year',
          params: IdParams,
          body: SignoffInput,
          response: { 201: SignoffResult },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'signoff.write', (ctx) => cards.signOff(ctx, req.params.id, req.body))),
    );
    app.put(
      '/api/pairings/:id/signoffs/:year/:party',
      {
        schema: {
          tags,
          summary: '县委组织部更正签署意见（须说明理由）/ The county amends a sign-off, with a reason',
          params: SignoffParams,
          body: AmendInput,
          response: { 200: SignoffResult },
        },
      },
      async (req) =>
        run(req, 'signoff.amend', (ctx) =>
          cards.amendSignoff(ctx, req.params.id, req.params.year, req.params.party, req.body),
        ),
    );

    app.post(
      '/api/visits/:id/photos',
      {
        schema: {
          tags,
          summary: '为活动记录上传照片（JPEG/PNG，≤ 10 MB）/ Add a photo to a visit',
          description:
            'multipart/form-data，文件字段名 file。按文件内容判断类型，不看文件名；照片重新编码为 JPEG（长边不超过2048像素，去除位置等元数据）后保存。/ One file field named "file"; the type is told from the content. The photo is re-encoded as a JPEG (long side at most 2048 px, no metadata such as the GPS position) before it is kept.',
          consumes: ['multipart/form-data'],
          params: IdParams,
          body: PhotoUploadBody,
          response: { 201: Photo },
        },
      },
      async (req, reply) => {
        // Rights first (a short transaction), then the upload and its re-encoding outside any
        // transaction (the embedded database has one connection), then the file and its row in one.
        await run(req, 'visit.write', (ctx) => cards.checkMayAddPhoto(ctx, req.params.id));
        const content = await reencodePhoto(await receivePhoto(req));
        const photo = await run(req, 'visit.write', (ctx) =>
          cards.addPhoto(ctx, req.params.id, { content, mime: PHOTO_TYPE }),
        );
        return reply.status(201).send(photo);
      },
    );
    app.get(
      '/api/photos/:id',
      {
        schema: {
          tags,
          summary: '查看活动照片（重新编码的 JPEG）/ A visit photo (the re-encoded JPEG)',
          params: IdParams,
          produces: [PHOTO_TYPE],
        },
        // After the server-wide headers (an onSend of the root), so this policy is the one sent.
        onSend: async (_req, reply, payload) => {
          if (reply.statusCode === 200) reply.header('Content-Security-Policy', PHOTO_CSP);
          return payload;
        },
      },
      async (req, reply) => {
        const photo = await run(req, 'pairing.read', (ctx) => cards.getPhotoFile(ctx, req.params.id));
        // Only what the platform encoded is served: a file kept otherwise is not found.
        if (photo.contentType !== PHOTO_TYPE) throw notFound('照片', 'Photo');
        return reply
          .header('Content-Type', PHOTO_TYPE)
          .header('Content-Length', String(photo.content.length))
          .header('Content-Disposition', `inline; filename="photo-${photo.id}.jpg"`)
          .header('X-Content-Type-Options', 'nosniff')
          .header('Cache-Control', 'private, no-store')
          .send(photo.content);
      },
    );

    app.get(
      '/cards/:pairingId',
      {
        schema: {
          tags,
          summary: '联系卡（打印为一页A4）/ The card of a pairing’s year, one printable A4 page',
          params: PairingIdParams,
          querystring: YearQuery,
          produces: ['text/html'],
        },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'private, no-store');
        try {
          const data = await run(req, 'pairing.read', (ctx) =>
            cards.getRegister(ctx, req.params.pairingId, req.query.year),
          );
          return reply.type(HTML).send(renderCard(data));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return reply.status(err.status).type(HTML).send(renderMessagePage('联系卡', err.messageZh));
        }
      },
    );
  };

const photoError = (status: number, code: string, zh: string, en: string) =>
  new AppError(status, code, zh, en, 'file');

const tooLarge = () =>
  photoError(413, 'too_large', '照片超过10MB，请压缩后再上传', 'the photo exceeds 10 MB');

/**
 * Reads the one file part into memory (at most MAX_PHOTO_BYTES) and tells its type from its first
 * bytes: only what starts as a JPEG, PNG or HEIC photo goes on to be decoded, so no other of
 * libvips' decoders (SVG, TIFF, …) ever sees an upload.
 */
async function receivePhoto(req: FastifyRequest): Promise<Buffer> {
  if (!req.isMultipart()) {
    throw photoError(
      406,
      'not_multipart',
      '请以 multipart/form-data 上传照片',
      'send the photo as multipart/form-data',
    );
  }
  const part = await req.file();
  if (part?.fieldname !== 'file') {
    part?.file.resume();
    throw photoError(
      400,
      'invalid',
      '请以字段名 file 上传一张照片',
      'upload one photo in a field named "file"',
    );
  }
  let content: Buffer;
  try {
    content = await part.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw err;
  }
  if (part.file.truncated) throw tooLarge();
  if (!sniffPhoto(content)) {
    throw photoError(
      400,
      'unsupported_file',
      '只能上传 JPEG、PNG 或 HEIC 格式的照片',
      'only JPEG, PNG or HEIC photos are accepted',
    );
  }
  return content;
}
