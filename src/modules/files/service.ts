import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ServiceContext } from '../context.ts';
import * as repo from './repository.ts';

/**
 * Files kept in the database (docs/OPERATIONS.md, "Files"): a visit's photos and finished ledger
 * exports. Every process on the database reads the same bytes, and a backup of the database holds
 * them. Callers pass a context whose transaction row-level security narrows: a photo is seen as its
 * visit is, an export by its own user only.
 */

export const newFileId = () => randomBytes(16).toString('hex');
export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The driver's bytes as a Buffer (the server driver gives one; the embedded one a Uint8Array). */
export const asBuffer = (b: Uint8Array) =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Keeps a photo of a visit (already re-encoded); returns its id, which visit_photos names. */
export async function storeVisitPhoto(
  ctx: ServiceContext,
  visitId: number,
  content: Buffer,
  contentType: string,
): Promise<string> {
  const id = newFileId();
  await repo.insertFile(ctx.db, {
    county_id: ctx.countyId,
    id,
    purpose: 'visit_photo',
    visit_id: visitId,
    owner_user_id: ctx.actor?.userId ?? null,
    content_type: contentType,
    size: content.length,
    sha256: sha256(content),
    content,
  });
  return id;
}

/** A photo's bytes, if its visit is in sight. */
export async function readVisitPhoto(ctx: ServiceContext, id: string) {
  const f = await repo.findPhotoFile(ctx.db, ctx.countyId, id);
  return f && { contentType: f.content_type, size: f.size, sha256: f.sha256, content: asBuffer(f.content) };
}

export interface ExportFile<M> {
  id: string;
  fileName: string;
  contentType: string;
  content: Buffer;
  /** What the job shows (its status among it), so any process can tell it. */
  meta: M;
  keepSeconds: number;
}

const requireActor = (ctx: ServiceContext) => {
  if (!ctx.actor) throw new Error('an export belongs to a signed-in user');
  return ctx.actor;
};

/**
 * Keeps an export's row for its user: from the job's start (no bytes yet, its progress in `meta`)
 * so any process can tell how it goes, then with the written file until it is downloaded or expires.
 */
export async function storeExport<M>(ctx: ServiceContext, f: ExportFile<M>) {
  const actor = requireActor(ctx);
  await repo.actAs(ctx.db, actor.userId);
  await repo.replaceFile(ctx.db, {
    county_id: ctx.countyId,
    id: f.id,
    purpose: 'ledger_export',
    owner_user_id: actor.userId,
    file_name: f.fileName,
    content_type: f.contentType,
    size: f.content.length,
    sha256: sha256(f.content),
    content: f.content,
    meta: f.meta,
    keepSeconds: f.keepSeconds,
  });
}

/** Tells an export's progress; it does not expire while it is told. */
export async function setExportMeta<M>(ctx: ServiceContext, id: string, meta: M, keepSeconds: number) {
  await repo.actAs(ctx.db, requireActor(ctx).userId);
  await repo.setExportMeta(ctx.db, ctx.countyId, id, meta, keepSeconds);
}

/** How many exports of the user are running, in every process. */
export async function runningExports(ctx: ServiceContext) {
  await repo.actAs(ctx.db, requireActor(ctx).userId);
  return repo.countRunningExports(ctx.db, ctx.countyId);
}

/** An export of the user's own, not expired: its meta, without its bytes. */
export async function findExport<M>(ctx: ServiceContext, id: string) {
  await repo.actAs(ctx.db, requireActor(ctx).userId);
  const f = await repo.findExport(ctx.db, ctx.countyId, id);
  return f && { id: f.id, fileName: f.file_name ?? `${f.id}.bin`, size: f.size, meta: f.meta as M };
}

/** The user's own finished export for its one download: gone from the database as it is handed over. */
export async function takeExport<M>(ctx: ServiceContext, id: string) {
  await repo.actAs(ctx.db, requireActor(ctx).userId);
  const f = await repo.takeExport(ctx.db, ctx.countyId, id);
  return (
    f && {
      id: f.id,
      fileName: f.file_name ?? `${f.id}.bin`,
      contentType: f.content_type,
      content: asBuffer(f.content),
      meta: f.meta as M,
    }
  );
}

/** Deletes expired files of every county (the platform's own handle: no user acts). */
export const sweepExpired = (db: Kysely<DB>) => repo.deleteExpired(db);
