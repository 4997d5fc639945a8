import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, makeMember, makeTownship, signIn, TEST_PASSWORD } from '../../../test/factories.ts';
import { dropDatabaseRoles } from '../../../test/helpers/db.ts';
import { buildApp } from '../../app.ts';
import { type Database, openDatabase } from '../../db/database.ts';
import { migrate } from '../../db/migrate.ts';
import { maintenanceDatabase } from '../../db/roles.ts';
import { countyToday } from '../plans/clock.ts';
import { createAccountWithPassword } from '../users/service.ts';
import { sweepExpired } from './service.ts';

/**
 * Files under forced row-level security, as in production: the database is owned by a role that is
 * not a superuser (superusers — the embedded database, the test server's `postgres` — bypass
 * row-level security whatever is forced), the platform runs on the maintenance handle. Photos are
 * moved in at start, uploaded, served; an export is kept and taken; expired rows are swept; the
 * owner's own connection sees none of it.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const Y = Number(countyToday().slice(0, 4));

const admin = async (fn: (c: pg.Client) => Promise<void>) => {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await fn(c);
  } finally {
    await c.end();
  }
};

const urlOf = (database: string, user: string) => {
  const u = new URL(serverUrl!);
  u.pathname = `/${database}`;
  u.username = user;
  u.password = '';
  return u.toString();
};

describe.runIf(serverUrl)('files on a database whose owner is not a superuser', () => {
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const owner = `gongjian_owner_f${tag}`;
  const name = `gongjian_files_${tag}`;
  const dataDir = join(tmpdir(), `gongjian-owner-drill-${tag}`);
  let raw: Database;
  let maint: Database;
  let visitId = 0;
  let countyId = 0;
  let staffOrg = 0;

  beforeAll(async () => {
    await admin(async (c) => {
      await c.query(`CREATE ROLE "${owner}" LOGIN NOSUPERUSER CREATEROLE`);
      await c.query(`CREATE DATABASE "${name}" OWNER "${owner}"`);
    });
    raw = await openDatabase({ kind: 'server', url: urlOf(name, owner) });
    await migrate(raw);
    maint = await maintenanceDatabase(raw);
    const t = await makeCounty(maint.db, { code: '369952', name: '强制存档县' });
    countyId = t.county.id;
    const a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    staffOrg = a.committee.id;
    const branch = a.villages[0]!.branch;
    const helper = await makeMember(t.ctx, { orgId: branch.id });
    const needy = await makeMember(t.ctx, { orgId: branch.id, isNeedy: true });
    const pairingId = (
      await maint.db
        .insertInto('pairings')
        .values({
          county_id: countyId,
          year_from: Y,
          year_to: Y,
          started_on: `${Y}-01-01`,
          kind: 'member_assist',
          helper_member_id: helper.id,
          helper_org_id: branch.id,
          helped_org_id: branch.id,
          helped_member_id: needy.id,
          title: '结对',
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    visitId = (
      await maint.db
        .insertInto('visits')
        .values({
          county_id: countyId,
          visited_on: `${Y}-01-03`,
          kind: 'daily_help',
          content: '走访',
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await maint.db
      .insertInto('visit_pairings')
      .values({ county_id: countyId, visit_id: visitId, pairing_id: pairingId } as never)
      .execute();
  });
  afterAll(async () => {
    await maint?.close();
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropDatabaseRoles(c, name);
      await c.query(`DROP ROLE IF EXISTS "${owner}"`);
    });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('moves old photos in, serves and takes files, sweeps what expired; the owner sees no file', async () => {
    // An install from before: a photo row and its file under <dataDir>/photos.
    const stored = randomBytes(16).toString('hex');
    await mkdir(join(dataDir, 'photos'), { recursive: true });
    await writeFile(
      join(dataDir, 'photos', stored),
      await sharp({ create: { width: 30, height: 20, channels: 3, background: '#246' } })
        .jpeg()
        .toBuffer(),
    );
    const oldPhoto = (
      await maint.db
        .insertInto('visit_photos')
        .values({ county_id: countyId, visit_id: visitId, stored_name: stored, mime: 'image/jpeg', size: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;

    const app = await buildApp({
      database: maint,
      config: {
        countyCode: '369952',
        logLevel: 'warn',
        dataDir,
        require2fa: false,
        signInPerMinute: 10_000,
        trustProxy: false,
      },
    });
    try {
      expect(existsSync(join(dataDir, 'photos', stored))).toBe(false);
      await createAccountWithPassword(
        maint.db,
        countyId,
        {
          username: `drill${tag}`.slice(0, 40),
          displayName: '演练',
          orgId: staffOrg,
          memberId: null,
          role: 'committee_staff',
        },
        TEST_PASSWORD,
      );
      const staff = await signIn(app, `drill${tag}`.slice(0, 40), TEST_PASSWORD);
      const old = await staff.inject({ method: 'GET', url: `/api/photos/${oldPhoto}` });
      expect(old.statusCode, old.body).toBe(200);
      expect(old.headers['content-type']).toBe('image/jpeg');

      const boundary = `----drill${randomBytes(6).toString('hex')}`;
      const jpeg = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#642' } })
        .jpeg()
        .toBuffer();
      const up = await staff.inject({
        method: 'POST',
        url: `/api/visits/${visitId}/photos`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
          ),
          jpeg,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      });
      expect(up.statusCode, up.body).toBe(201);
      expect((await staff.inject({ method: 'GET', url: up.json().url })).statusCode).toBe(200);

      const started = await staff.inject({
        method: 'POST',
        url: '/api/ledgers/pairings/exports',
        payload: { year: Y },
      });
      expect(started.statusCode, started.body).toBe(202);
      let job = started.json();
      for (let i = 0; i < 400 && job.status === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        job = (await staff.inject({ method: 'GET', url: `/api/ledgers/exports/${job.id}` })).json();
      }
      expect(job.status, JSON.stringify(job)).toBe('done');
      // The owner's own connection sees no file (forced); maintenance sees them all.
      const count = async (db: Database['db']) =>
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM stored_files`.execute(db)).rows[0]!.n;
      expect(await count(raw.db)).toBe(0);
      expect(await count(maint.db)).toBe(3);
      const file = await staff.inject({ method: 'GET', url: job.fileUrl });
      expect(file.statusCode, file.body).toBe(200);

      const second = await staff.inject({
        method: 'POST',
        url: '/api/ledgers/pairings/exports',
        payload: { year: Y },
      });
      expect(second.statusCode, second.body).toBe(202);
      for (let i = 0; i < 400; i++) {
        const s = (
          await staff.inject({ method: 'GET', url: `/api/ledgers/exports/${second.json().id}` })
        ).json();
        if (s.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await sql`UPDATE stored_files SET expires_at = now() - interval '1 second' WHERE id = ${second.json().id}`.execute(
        maint.db,
      );
      expect(await sweepExpired(maint.db)).toBe(1);
      expect(await count(maint.db)).toBe(2);
    } finally {
      await app.close();
    }
  });
});
