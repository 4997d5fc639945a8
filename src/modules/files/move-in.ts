import { readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { PHOTO_TYPE, reencodePhoto } from './image.ts';
import * as repo from './repository.ts';
import { asBuffer, sha256 } from './service.ts';

const STORED_NAME = /^[0-9a-f]{32}$/;

export interface MoveInLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface MoveInResult {
  moved: number;
  /** Files that did not decode: left where they were, their photo not served. */
  unreadable: number;
  /** Photo rows with no file in the directory (moved by another process, or lost). */
  missing: number;
}

/**
 * Moves the photos an earlier version kept under `<dataDir>/photos` into the database, once: each
 * re-encoded as every upload is now, under its old random name, the photo row told its new type and
 * size, the file deleted once the row is committed. Run at every start and idempotent: with no
 * directory it costs one readdir; a file another process moved in already is only deleted. Runs on
 * the platform's own handle (no user acts; every county).
 */
export async function moveInPhotos(db: Kysely<DB>, dir: string, log: MoveInLog): Promise<MoveInResult> {
  const result: MoveInResult = { moved: 0, unreadable: 0, missing: 0 };
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => STORED_NAME.test(n));
  if (names.length === 0) {
    await rmdir(dir).catch(() => {});
    return result;
  }
  const onDisk = new Set(names);
  const left = new Set(names);
  for (const row of await repo.photosWithoutFile(db)) {
    if (!onDisk.has(row.stored_name)) {
      result.missing++;
      continue;
    }
    const path = join(dir, row.stored_name);
    let jpeg: Buffer;
    try {
      jpeg = await reencodePhoto(asBuffer(await readFile(path)));
    } catch {
      result.unreadable++;
      left.delete(row.stored_name);
      log.warn(
        { photoId: row.id, countyId: row.county_id, file: path },
        'photo file does not decode: left in place',
      );
      continue;
    }
    await db.transaction().execute(async (trx) => {
      const stored = await repo.insertFileOnce(trx, {
        county_id: row.county_id,
        id: row.stored_name,
        purpose: 'visit_photo',
        visit_id: row.visit_id,
        content_type: PHOTO_TYPE,
        size: jpeg.length,
        sha256: sha256(jpeg),
        content: jpeg,
      });
      if (stored) await repo.setPhotoFileFacts(trx, row, { mime: PHOTO_TYPE, size: jpeg.length });
    });
    await rm(path, { force: true });
    left.delete(row.stored_name);
    result.moved++;
  }
  // Files kept in the database already (by another process, or a start stopped before deleting).
  for (const id of await repo.storedIds(db, [...left])) await rm(join(dir, id), { force: true });
  await rmdir(dir).catch(() => {});
  if (result.moved || result.unreadable || result.missing) {
    log.info({ ...result, dir }, 'visit photos moved from the data directory into the database');
  }
  return result;
}
