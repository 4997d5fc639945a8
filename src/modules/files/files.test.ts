import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countyRowCount,
  makeCounty,
  makeMember,
  makeTownship,
  type TestClient,
  testApp,
} from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { buildApp } from '../../app.ts';
import { appRoleName, enterScope } from '../../db/rls.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { ExportJobs } from '../ledgers/jobs.ts';
import { countyToday } from '../plans/clock.ts';

/**
 * Files in the database (issue 16, items 4 and 12): two platform processes on one database serve
 * the same photos and exports, a backup of the database holds them, photos kept from a data
 * directory are moved in at start, and what is served is a re-encoded JPEG, never the upload.
 */
const Y = Number(countyToday().slice(0, 4));

interface Client {
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

function multipart(filename: string, type: string, content: Buffer) {
  const boundary = `----gongjian${randomBytes(8).toString('hex')}`;
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

/** A phone photo: 3000×1500, EXIF with a GPS position and the camera's make. */
const gpsPhoto = () =>
  sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#4a7' } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'GongjianCam', Model: 'X1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '28/1 41/1 3/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '115/1 53/1 31/1',
      },
    })
    .toBuffer();

const SCRIPT = '<html><body><script>alert(document.cookie)</script></body></html>';

/** A JPEG that decodes, with HTML in a comment segment after SOI and again after its end. */
async function decodingPolyglot() {
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c33' } })
    .jpeg()
    .toBuffer();
  const html = Buffer.from(SCRIPT);
  const com = Buffer.alloc(4);
  com.writeUInt16BE(0xfffe, 0);
  com.writeUInt16BE(html.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), com, html, jpeg.subarray(2), html]);
}

/** Another process's client: the same session (sessions live in the database), another server. */
const through = (raw: FastifyInstance, client: TestClient): Client => ({
  inject: (opts) =>
    raw.inject({
      ...opts,
      headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken, ...(opts.headers ?? {}) },
    } as InjectOptions),
});

describe.each(dbTargets())('files kept in the database on the $name database', (target) => {
  let database: TestDatabase;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let one: Awaited<ReturnType<typeof testApp>>;
  let two: Awaited<ReturnType<typeof testApp>>;
  let staffA: TestClient;
  let staffB: TestClient;
  let admin: TestClient;
  let visitId = 0;
  const dirs: string[] = [];

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369951', name: '存档县' });
    const a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    const b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    const branch = a.villages[0]!.branch;
    const helper = await makeMember(t.ctx, { orgId: branch.id, name: '赵志强' });
    const needy = await makeMember(t.ctx, { orgId: branch.id, name: '孙秀英', isNeedy: true });
    const pairingId = (
      await database.db
        .insertInto('pairings')
        .values({
          county_id: t.county.id,
          year_from: Y,
          year_to: Y,
          started_on: `${Y}-01-01`,
          kind: 'member_assist',
          helper_member_id: helper.id,
          helper_org_id: branch.id,
          helped_org_id: branch.id,
          helped_member_id: needy.id,
          title: '赵志强帮扶孙秀英',
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    // Two platform processes on one database, each with a data directory of its own.
    one = await testApp(database);
    two = await testApp(database);
    staffA = (await one.as('committee_staff', a.committee.id)) as TestClient;
    staffB = (await one.as('committee_staff', b.committee.id)) as TestClient;
    admin = (await one.as('county_admin')) as TestClient;
    const visit = await staffA.inject({
      method: 'POST',
      url: '/api/visits',
      payload: { pairingIds: [pairingId], visitedOn: `${Y}-01-02`, kind: 'daily_help', content: '入户走访' },
    });
    expect(visit.statusCode, visit.body).toBe(201);
    visitId = visit.json().id;
  });
  afterAll(async () => {
    await one?.close().catch(() => {});
    await two?.close().catch(() => {});
    await database?.dispose();
    for (const d of [...dirs, one?.dataDir, two?.dataDir])
      if (d) await rm(d, { recursive: true, force: true });
  });

  const upload = (client: Client, content: Buffer, name = 'photo.jpg', type = 'image/jpeg') =>
    client.inject({
      method: 'POST',
      url: `/api/visits/${visitId}/photos`,
      ...multipart(name, type, content),
    });

  const storedFile = (id: string) =>
    database.db
      .selectFrom('stored_files')
      .select(['content', 'content_type', 'size', 'sha256', 'purpose', 'visit_id'])
      .where('county_id', '=', t.county.id)
      .where('id', '=', id)
      .executeTakeFirst();

  const storedNameOf = async (photoId: number) =>
    (
      await database.db
        .selectFrom('visit_photos')
        .select('stored_name')
        .where('county_id', '=', t.county.id)
        .where('id', '=', photoId)
        .executeTakeFirstOrThrow()
    ).stored_name;

  it('a photo uploaded through one process is served by another, and its bytes are in the database', async () => {
    const res = await upload(staffA, await gpsPhoto());
    expect(res.statusCode, res.body).toBe(201);
    const photo = res.json();
    const fromTwo = await through(two.raw, staffA).inject({ method: 'GET', url: photo.url });
    expect(fromTwo.statusCode, fromTwo.body).toBe(200);
    const fromOne = await staffA.inject({ method: 'GET', url: photo.url });
    expect(fromOne.rawPayload.equals(fromTwo.rawPayload)).toBe(true);
    // What a pg_dump carries: the bytes served, with their checksum, in the database.
    const row = await storedFile(await storedNameOf(photo.id));
    expect(row).toBeDefined();
    expect(Buffer.from(row!.content).equals(fromTwo.rawPayload)).toBe(true);
    expect(row).toMatchObject({ purpose: 'visit_photo', visit_id: visitId, content_type: 'image/jpeg' });
    expect(row!.size).toBe(fromTwo.rawPayload.length);
    expect(photo.size).toBe(fromTwo.rawPayload.length);
    expect(row!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Nothing in either data directory.
    for (const dir of [one.dataDir, two.dataDir]) {
      expect(await readdir(join(dir, 'photos')).catch(() => [])).toEqual([]);
    }
    // Row-level security as for its visit: another township does not see it, through either process.
    expect((await staffB.inject({ method: 'GET', url: photo.url })).statusCode).toBe(404);
    expect((await through(two.raw, staffB).inject({ method: 'GET', url: photo.url })).statusCode).toBe(404);
  });

  it('a photo comes back re-encoded: no EXIF or GPS, at most 2048 px, as a JPEG that nothing sniffs', async () => {
    const input = await gpsPhoto();
    expect((await sharp(input).metadata()).exif).toBeDefined();
    expect(input.includes('GongjianCam')).toBe(true);
    const res = await upload(staffA, input);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().mime).toBe('image/jpeg');
    const got = await staffA.inject({ method: 'GET', url: res.json().url });
    expect(got.statusCode).toBe(200);
    const meta = await sharp(got.rawPayload).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(2048);
    expect(got.rawPayload.includes('GongjianCam')).toBe(false);
    expect(got.rawPayload.includes('Exif')).toBe(false);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toBe(`inline; filename="photo-${res.json().id}.jpg"`);
    expect(String(got.headers['content-security-policy'])).toMatch(/^default-src 'none'/);
    expect(got.headers['cache-control']).toBe('private, no-store');
  });

  it('a PNG is kept and served as a JPEG', async () => {
    const png = await sharp({ create: { width: 20, height: 10, channels: 4, background: '#00000000' } })
      .png()
      .toBuffer();
    const res = await upload(staffA, png, 'a.png', 'image/png');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().mime).toBe('image/jpeg');
    const got = await staffA.inject({ method: 'GET', url: res.json().url });
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(await sharp(got.rawPayload).metadata()).toMatchObject({ format: 'jpeg', width: 20, height: 10 });
  });

  it('a JPEG-magic + HTML polyglot that does not decode is refused in Chinese and English; nothing is kept', async () => {
    const before = await countyRowCount(database.db, t.county.id, 'stored_files');
    const photosBefore = await countyRowCount(database.db, t.county.id, 'visit_photos');
    const poly = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(SCRIPT)]);
    const res = await upload(staffA, poly);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'unreadable_photo', field: 'file' });
    expect(res.json().error.message).toMatch(/照片/);
    expect(res.json().error.messageEn).toMatch(/photo/);
    expect(await countyRowCount(database.db, t.county.id, 'stored_files')).toBe(before);
    expect(await countyRowCount(database.db, t.county.id, 'visit_photos')).toBe(photosBefore);
  });

  it('a polyglot that decodes comes back re-encoded, without the HTML', async () => {
    const poly = await decodingPolyglot();
    expect(poly.includes('<script>')).toBe(true);
    const res = await upload(staffA, poly);
    expect(res.statusCode, res.body).toBe(201);
    const got = await staffA.inject({ method: 'GET', url: res.json().url });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.includes('<script')).toBe(false);
    expect(got.rawPayload.includes('<html')).toBe(false);
    expect(got.headers['content-type']).toBe('image/jpeg');
    const stored = await storedFile(await storedNameOf(res.json().id));
    expect(Buffer.from(stored!.content).includes('<script')).toBe(false);
  });

  it('photos an earlier version kept in the data directory are moved into the database at start, once', async () => {
    // An install from before: the photo row names a file under <dataDir>/photos; one file is junk.
    const dataDir = join(tmpdir(), `gongjian-movein-${process.pid}-${randomBytes(4).toString('hex')}`);
    dirs.push(dataDir);
    await mkdir(join(dataDir, 'photos'), { recursive: true });
    const good = randomBytes(16).toString('hex');
    const junk = randomBytes(16).toString('hex');
    await writeFile(join(dataDir, 'photos', good), await gpsPhoto());
    await writeFile(
      join(dataDir, 'photos', junk),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from(SCRIPT)]),
    );
    const oldRow = async (stored_name: string) =>
      (
        await database.db
          .insertInto('visit_photos')
          .values({ county_id: t.county.id, visit_id: visitId, stored_name, mime: 'image/jpeg', size: 123 })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const goodId = await oldRow(good);
    const junkId = await oldRow(junk);
    const start = () =>
      buildApp({
        database,
        config: {
          logLevel: 'warn',
          dataDir,
          require2fa: false,
          signInPerMinute: 10_000,
          trustProxy: false,
          countyCode: undefined,
        },
      });
    const app = await start();
    try {
      const client = through(app, staffA);
      const got = await client.inject({ method: 'GET', url: `/api/photos/${goodId}` });
      expect(got.statusCode, got.body).toBe(200);
      expect(got.headers['content-type']).toBe('image/jpeg');
      expect((await sharp(got.rawPayload).metadata()).exif).toBeUndefined();
      expect(Buffer.from((await storedFile(good))!.content).equals(got.rawPayload)).toBe(true);
      const row = await database.db
        .selectFrom('visit_photos')
        .select(['mime', 'size'])
        .where('county_id', '=', t.county.id)
        .where('id', '=', goodId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ mime: 'image/jpeg', size: got.rawPayload.length });
      // The moved file is gone from the disk; the junk stays there, unserved, for an operator.
      expect(existsSync(join(dataDir, 'photos', good))).toBe(false);
      expect(existsSync(join(dataDir, 'photos', junk))).toBe(true);
      expect((await client.inject({ method: 'GET', url: `/api/photos/${junkId}` })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
    const files = await countyRowCount(database.db, t.county.id, 'stored_files');
    const again = await start();
    await again.close();
    expect(await countyRowCount(database.db, t.county.id, 'stored_files')).toBe(files);
    await sql`DELETE FROM visit_photos WHERE county_id = ${t.county.id} AND id = ${junkId}`.execute(
      database.db,
    );
  });

  // Ledger exports -----------------------------------------------------------------------------------

  async function finishedExport(client: Client) {
    const started = await client.inject({
      method: 'POST',
      url: '/api/ledgers/pairings/exports',
      payload: { year: Y },
    });
    expect(started.statusCode, started.body).toBe(202);
    let job = started.json();
    for (let i = 0; i < 400 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      job = (await client.inject({ method: 'GET', url: `/api/ledgers/exports/${job.id}` })).json();
    }
    expect(job.status, JSON.stringify(job)).toBe('done');
    return job;
  }

  it('an export finished in one process is downloaded once through another, even after the first closed', async () => {
    const job = await finishedExport(admin);
    const other = through(two.raw, admin);
    const seen = await other.inject({ method: 'GET', url: `/api/ledgers/exports/${job.id}` });
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json()).toMatchObject({
      id: job.id,
      status: 'done',
      ledger: 'pairings',
      fileUrl: job.fileUrl,
      rowsDone: job.rowsDone,
      fileName: job.fileName,
    });
    // In the database while it waits: a backup holds it, any process hands it out.
    const stored = await storedFile(job.id);
    expect(stored).toMatchObject({ purpose: 'ledger_export' });
    // Another user, through either process, finds nothing.
    expect((await through(two.raw, staffA).inject({ method: 'GET', url: job.fileUrl })).statusCode).toBe(404);
    await one.close();
    const file = await other.inject({ method: 'GET', url: job.fileUrl });
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    expect(file.rawPayload.equals(Buffer.from(stored!.content))).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getCell(1, 1).value).toContain('结对台账');
    // One download: then gone, from the database too.
    expect((await other.inject({ method: 'GET', url: job.fileUrl })).statusCode).toBe(404);
    expect(await storedFile(job.id)).toBeUndefined();
    one = await testApp(database);
  });

  it('an export not downloaded expires after an hour, in every process', async () => {
    const job = await finishedExport(through(two.raw, admin));
    const stored = await database.db
      .selectFrom('stored_files')
      .select(sql<number>`extract(epoch FROM expires_at - created_at)::int`.as('keep'))
      .where('county_id', '=', t.county.id)
      .where('id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(stored.keep).toBe(3600);
    await sql`UPDATE stored_files SET expires_at = now() - interval '1 second' WHERE id = ${job.id}`.execute(
      database.db,
    );
    const other = through(one.raw, admin);
    expect((await other.inject({ method: 'GET', url: `/api/ledgers/exports/${job.id}` })).statusCode).toBe(
      404,
    );
    expect((await other.inject({ method: 'GET', url: job.fileUrl })).statusCode).toBe(404);
    const { sweepExpired } = await import('./service.ts');
    expect(await sweepExpired(database.db)).toBeGreaterThanOrEqual(1);
    expect(await storedFile(job.id)).toBeUndefined();
  });

  it('a running export tells every process its progress; the limit of three counts them all', async () => {
    const user = await database.db
      .selectFrom('users as u')
      .innerJoin('orgs as o', (j) =>
        j.onRef('o.county_id', '=', 'u.county_id').onRef('o.id', '=', 'u.org_id'),
      )
      .select(['u.id', 'u.username', 'u.org_id', 'o.path'])
      .where('u.county_id', '=', t.county.id)
      .where('u.role', '=', 'county_admin')
      .orderBy('u.id')
      .executeTakeFirstOrThrow();
    const actor: Actor = {
      userId: user.id,
      username: user.username,
      role: 'county_admin',
      orgId: user.org_id,
      orgPath: String(user.path),
      memberId: null,
    };
    const appRole = await appRoleName(database.db);
    const asUser = <T>(fn: (ctx: ServiceContext) => Promise<T>) =>
      database.db.transaction().execute(async (trx) => {
        await enterScope(trx, appRole, t.county.id, actor.orgPath);
        return fn({ db: trx, countyId: t.county.id, actor, scope: 'subtree' });
      });
    const scratch = join(tmpdir(), `gongjian-jobs-${process.pid}-${randomBytes(4).toString('hex')}`);
    dirs.push(scratch);
    const here = new ExportJobs(join(scratch, 'a'), database.db, appRole);
    const there = new ExportJobs(join(scratch, 'b'), database.db, appRole);
    await here.start();
    await there.start();
    try {
      const init = {
        ledger: 'visits',
        titleZh: '走访台账',
        filter: {},
        rowsTotal: 10,
        fileName: '走访台账.xlsx',
      };
      const job = await here.create(t.county.id, actor, init);
      job.toldAt = 0;
      here.progress(job, 4, 10);
      await job.telling;
      expect(await asUser((ctx) => there.status(ctx, job.id))).toMatchObject({
        status: 'running',
        rowsDone: 4,
        rowsTotal: 10,
        fileUrl: null,
      });
      await expect(asUser((ctx) => there.take(ctx, job.id))).rejects.toMatchObject({ status: 409 });
      // Three running, one of them in the other process: a fourth is refused wherever it starts.
      const more = [
        await there.create(t.county.id, actor, init),
        await here.create(t.county.id, actor, init),
      ];
      await expect(there.create(t.county.id, actor, init)).rejects.toMatchObject({
        status: 429,
        code: 'too_many_exports',
      });
      // Written here, handed out there.
      await writeFile(job.file, Buffer.from('PK fake xlsx'));
      await here.finished(job);
      expect(await asUser((ctx) => there.status(ctx, job.id))).toMatchObject({
        status: 'done',
        fileUrl: `/api/ledgers/exports/${job.id}/file`,
      });
      const taken = await asUser((ctx) => there.take(ctx, job.id));
      expect(taken?.content.toString()).toBe('PK fake xlsx');
      expect(await asUser((ctx) => here.take(ctx, job.id))).toBeUndefined();
      await here.fail(more[1]!, { code: 'internal', message: '导出失败', messageEn: 'failed' });
      expect(await asUser((ctx) => there.status(ctx, more[1]!.id))).toMatchObject({ status: 'failed' });
      await there.fail(more[0]!, { code: 'internal', message: '导出失败', messageEn: 'failed' });
    } finally {
      await here.close();
      await there.close();
    }
  });
});
