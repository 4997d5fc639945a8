import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Run } from '../http-context.ts';
import { renderMessagePage } from '../publicity/html.ts';
import { IdParams } from '../shared-schemas.ts';
import { renderCard } from './html.ts';
import { extensionOf, isPhotoType, SNIFF_BYTES, sniffPhoto } from './photo-type.ts';
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
const STORED_NAME = /^[0-9a-f]{32}$/;
const HTML = 'text/html; charset=utf-8';

/**
 * The card and the register (卡册): the register as JSON, the card as a printable page, the
 * mid-year check, the year-end sign-offs and the photos of visits. Photos are kept under photoDir
 * with random names and served only through the gate.
 */
export const cardRoutes =
  (run: Run, photoDir: string): FastifyPluginAsyncZod =>
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
          summary: '为活动记录上传照片（JPEG/PNG/HEIC，≤ 10 MB）/ Add a photo to a visit',
          description:
            'multipart/form-data，文件字段名 file。按文件内容判断类型，不看文件名。/ One file field named "file"; the type is told from the content.',
          consumes: ['multipart/form-data'],
          params: IdParams,
          body: PhotoUploadBody,
          response: { 201: Photo },
        },
      },
      async (req, reply) => {
        // Rights first (a short transaction), then the upload outside any transaction, then the row.
        await run(req, 'visit.write', (ctx) => cards.checkMayAddPhoto(ctx, req.params.id));
        const saved = await savePhoto(req, photoDir);
        try {
          const photo = await run(req, 'visit.write', (ctx) => cards.addPhoto(ctx, req.params.id, saved));
          return reply.status(201).send(photo);
        } catch (err) {
          await rm(join(photoDir, saved.storedName), { force: true });
          throw err;
        }
      },
    );
    app.get(
      '/api/photos/:id',
      {
        schema: {
          tags,
          summary: '查看活动照片 / A visit photo',
          params: IdParams,
          produces: ['image/jpeg', 'image/png', 'image/heic', 'image/heif'],
        },
      },
      async (req, reply) => {
        const photo = await run(req, 'pairing.read', (ctx) => cards.getPhoto(ctx, req.params.id));
        if (!STORED_NAME.test(photo.stored_name) || !isPhotoType(photo.mime)) throw notFound('照片', 'Photo');
        const path = join(photoDir, photo.stored_name);
        const info = await stat(path).catch(() => null);
        if (!info?.isFile()) throw notFound('照片', 'Photo');
        return reply
          .header('Content-Type', photo.mime)
          .header('Content-Length', String(info.size))
          .header('Content-Disposition', `inline; filename="photo-${photo.id}.${extensionOf(photo.mime)}"`)
          .header('X-Content-Type-Options', 'nosniff')
          .header('Cache-Control', 'private, no-store')
          .send(createReadStream(path));
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
 * Saves the one file part under photoDir with a random name and no extension, and tells its type
 * from its first bytes; anything but a JPEG, PNG or HEIC photo is deleted and refused.
 */
async function savePhoto(req: FastifyRequest, dir: string): Promise<cards.SavedPhoto> {
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
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const storedName = randomBytes(16).toString('hex');
  const path = join(dir, storedName);
  let head = Buffer.alloc(0);
  let size = 0;
  const sniff = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]);
      done(null, chunk);
    },
  });
  try {
    await pipeline(part.file, sniff, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    if (part.file.truncated) throw tooLarge();
  } catch (err) {
    await rm(path, { force: true });
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw err;
  }
  const mime = sniffPhoto(head);
  if (!mime) {
    await rm(path, { force: true });
    throw photoError(
      400,
      'unsupported_file',
      '只能上传 JPEG、PNG 或 HEIC 格式的照片',
      'only JPEG, PNG or HEIC photos are accepted',
    );
  }
  return { storedName, mime, size };
}
