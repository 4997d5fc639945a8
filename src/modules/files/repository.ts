import { type Kysely, sql } from 'kysely';
import type { Executor } from '../../db/ids.ts';
import type { DB } from '../../db/schema.ts';

/**
 * All SQL of stored files. Request-time reads and writes run in the caller's transaction, narrowed
 * by row-level security (a photo as its visit; an export to the user named by `actAs`).
 */

export interface NewFile {
  county_id: number;
  id: string;
  purpose: DB['stored_files']['purpose'];
  visit_id?: number | null;
  owner_user_id?: number | null;
  file_name?: string | null;
  content_type: string;
  size: number;
  sha256: string;
  content: Buffer;
  meta?: unknown;
  /** Seconds from now; absent = kept. */
  keepSeconds?: number;
}

/** Names the user this transaction acts for, which the policy on exports reads (until it ends). */
export const actAs = (db: Executor, userId: number) =>
  sql`SELECT set_config('app.user_id', ${String(userId)}, true)`.execute(db);

/** Inserts without RETURNING: a new photo is not in sight until its visit_photos row follows. */
export async function insertFile(db: Executor, f: NewFile) {
  const { keepSeconds, meta, ...row } = f;
  await db
    .insertInto('stored_files')
    .values({
      ...row,
      meta: meta === undefined ? null : JSON.stringify(meta),
      expires_at: keepSeconds === undefined ? null : sql<Date>`now() + make_interval(secs => ${keepSeconds})`,
    })
    .execute();
}

/** The same, for moving files in: a file another process moved in already is left as it is. */
export async function insertFileOnce(db: Executor, f: NewFile) {
  const { keepSeconds: _, meta: __, ...row } = f;
  const { numInsertedOrUpdatedRows } = await db
    .insertInto('stored_files')
    .values(row)
    .onConflict((oc) => oc.columns(['county_id', 'id']).doNothing())
    .executeTakeFirst();
  return Number(numInsertedOrUpdatedRows ?? 0) > 0;
}

export const findPhotoFile = (db: Executor, countyId: number, id: string) =>
  db
    .selectFrom('stored_files')
    .select(['id', 'content_type', 'size', 'sha256', 'content'])
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where('purpose', '=', 'visit_photo')
    .executeTakeFirst();

/** An export of the acting user that has not expired: what its job shows, not its bytes. */
export const findExport = (db: Executor, countyId: number, id: string) =>
  db
    .selectFrom('stored_files')
    .select(['id', 'file_name', 'size', 'meta', 'created_at', 'expires_at'])
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where('purpose', '=', 'ledger_export')
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();

/**
 * Takes an export for its one download: deleted and returned in one statement, so of two requests
 * (in any two processes) one gets the file and the other finds nothing.
 */
export const takeExport = (db: Executor, countyId: number, id: string) =>
  db
    .deleteFrom('stored_files')
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where('purpose', '=', 'ledger_export')
    .where('expires_at', '>', sql<Date>`now()`)
    .where(sql<boolean>`meta->>'status' = 'done'`)
    .returning(['id', 'file_name', 'content_type', 'size', 'meta', 'content'])
    .executeTakeFirst();

/** Replaces a file (an export's row, kept from its start, gets its bytes when it is written). */
export async function replaceFile(db: Executor, f: NewFile) {
  await db.deleteFrom('stored_files').where('county_id', '=', f.county_id).where('id', '=', f.id).execute();
  await insertFile(db, f);
}

/** Tells an export's progress (its meta), and keeps it from expiring while it runs. */
export const setExportMeta = (
  db: Executor,
  countyId: number,
  id: string,
  meta: unknown,
  keepSeconds: number,
) =>
  db
    .updateTable('stored_files')
    .set({
      meta: JSON.stringify(meta),
      expires_at: sql<Date>`now() + make_interval(secs => ${keepSeconds})`,
    })
    .where('county_id', '=', countyId)
    .where('id', '=', id)
    .where('purpose', '=', 'ledger_export')
    // Progress never overwrites the end of a job told meanwhile.
    .where(sql<boolean>`meta->>'status' = 'running'`)
    .execute();

/** The acting user's exports still running (in any process), not expired. */
export const countRunningExports = async (db: Executor, countyId: number) =>
  Number(
    (
      await db
        .selectFrom('stored_files')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('county_id', '=', countyId)
        .where('purpose', '=', 'ledger_export')
        .where('expires_at', '>', sql<Date>`now()`)
        .where(sql<boolean>`meta->>'status' = 'running'`)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Deletes what has expired, in every county (maintenance, on the platform's own handle). */
export async function deleteExpired(db: Kysely<DB>) {
  const r = await db
    .deleteFrom('stored_files')
    .where('expires_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

// Moving photos in from a data directory (maintenance, on the platform's own handle) --------------

/** Photo rows whose file is not in the database yet. */
export const photosWithoutFile = (db: Kysely<DB>) =>
  db
    .selectFrom('visit_photos as p')
    .select(['p.county_id', 'p.id', 'p.visit_id', 'p.stored_name'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('stored_files as f')
            .select(sql`1`.as('one'))
            .whereRef('f.county_id', '=', 'p.county_id')
            .whereRef('f.id', '=', 'p.stored_name'),
        ),
      ),
    )
    .orderBy('p.county_id')
    .orderBy('p.id')
    .execute();

/** What a photo row says of its file, once the file is the re-encoded one. */
export const setPhotoFileFacts = (
  db: Executor,
  row: { county_id: number; id: number },
  facts: { mime: string; size: number },
) =>
  db
    .updateTable('visit_photos')
    .set(facts)
    .where('county_id', '=', row.county_id)
    .where('id', '=', row.id)
    .execute();

/** Which of these ids are kept already (in any county). */
export const storedIds = async (db: Kysely<DB>, ids: string[]) =>
  ids.length === 0
    ? []
    : (await db.selectFrom('stored_files').select('id').where('id', 'in', ids).execute()).map((r) => r.id);
