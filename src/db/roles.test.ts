import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, makeHousehold, makeMember, makeTownship, testApp } from '../../test/factories.ts';
import { dbTargets, dropDatabaseRoles, type TestDatabase } from '../../test/helpers/db.ts';
import { openConfigured } from '../cli/open.ts';
import { loadConfig } from '../platform/config.ts';
import { type Database, openDatabase, type RawTx } from './database.ts';
import { migrate } from './migrate.ts';
import { appRoleName, enterScope } from './rls.ts';
import { ensureRoles, maintenanceDatabase, roleNames } from './roles.ts';

const run = promisify(execFile);

/**
 * Everything `ensureRoles` looks after, with this database's role names written APP and MAINT so
 * that two databases (a source and its restored copy) compare equal.
 */
async function roleState(database: Database) {
  return database.rawTransaction(async (tx: RawTx) => {
    const { app, maint } = await roleNames(tx);
    const who = (r: string) => (r === app ? 'APP' : r === maint ? 'MAINT' : r);
    const acl = await tx.query<{ object: string; grantee: string; privileges: string }>(
      `SELECT c.relkind::text || ':' || c.relname AS object, g.rolname AS grantee,
              string_agg(a.privilege_type, ',' ORDER BY a.privilege_type) AS privileges
         FROM pg_class c, aclexplode(c.relacl) a, pg_roles g
        WHERE c.relnamespace = 'public'::regnamespace AND g.oid = a.grantee AND g.rolname LIKE 'gongjian\\_%'
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const schema = await tx.query<{ grantee: string; privileges: string }>(
      `SELECT g.rolname AS grantee, string_agg(a.privilege_type, ',') AS privileges
         FROM pg_namespace n, aclexplode(n.nspacl) a, pg_roles g
        WHERE n.nspname = 'public' AND g.oid = a.grantee AND g.rolname LIKE 'gongjian\\_%' GROUP BY 1 ORDER BY 1`,
    );
    const defaults = await tx.query<{ objtype: string; grantee: string; privileges: string }>(
      `SELECT d.defaclobjtype::text AS objtype, g.rolname AS grantee,
              string_agg(a.privilege_type, ',' ORDER BY a.privilege_type) AS privileges
         FROM pg_default_acl d, aclexplode(d.defaclacl) a, pg_roles g
        WHERE g.oid = a.grantee AND g.rolname LIKE 'gongjian\\_%' GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const tables = await tx.query<{
      name: string;
      rls: boolean;
      forced: boolean;
      maintenance: string | null;
    }>(
      `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              (SELECT string_agg(r.rolname, ',') FROM pg_policy p, unnest(p.polroles) pr, pg_roles r
                WHERE p.polrelid = c.oid AND p.polname = 'maintenance' AND r.oid = pr) AS maintenance
         FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' ORDER BY 1`,
    );
    const definers = await tx.query<{ fn: string; owner: string }>(
      `SELECT p.proname AS fn, pg_get_userbyid(p.proowner) AS owner FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef ORDER BY 1`,
    );
    return {
      acl: acl.map((r) => ({ ...r, grantee: who(r.grantee) })),
      schema: schema.map((r) => ({ ...r, grantee: who(r.grantee) })),
      defaults: defaults.map((r) => ({ ...r, grantee: who(r.grantee) })),
      tables: tables.map((t) => ({ ...t, maintenance: t.maintenance && who(t.maintenance) })),
      definers: definers.map((d) => ({ ...d, owner: who(d.owner) })),
    };
  });
}

describe.each(dbTargets())('the roles of the $name database', (target) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(() => database?.dispose());

  it('are as the migrations leave them, and making sure again changes nothing', async () => {
    const state = await roleState(database);
    // The grants migrations 0002 and 0004 give by name, and what the default privileges give the rest.
    const app = (object: string) =>
      state.acl.find((r) => r.object === object && r.grantee === 'APP')?.privileges;
    expect(app('r:audit_log')).toBe('INSERT,SELECT');
    expect(app('r:members')).toBe('INSERT,SELECT,UPDATE');
    expect(app('r:households')).toBe('DELETE,INSERT,SELECT,UPDATE');
    expect(app('r:password_reset_tokens')).toBe('INSERT');
    expect(app('r:sessions')).toBeUndefined();
    expect(app('r:schema_migrations')).toBeUndefined();
    expect(app('r:counties')).toBe('SELECT');
    expect(app('r:pairings')).toBe('DELETE,INSERT,SELECT,UPDATE');
    expect(app('S:members_id_seq')).toBe('SELECT,USAGE');
    // Every table under row-level security is forced and has its maintenance policy.
    const rls = state.tables.filter((t) => t.rls);
    expect(rls.length).toBeGreaterThan(30);
    expect(rls.filter((t) => !t.forced || t.maintenance !== 'MAINT')).toEqual([]);
    expect(state.definers.length).toBeGreaterThan(5);
    expect(state.definers.filter((d) => d.owner !== 'MAINT')).toEqual([]);

    await ensureRoles(database);
    await ensureRoles(database);
    expect(await roleState(database)).toEqual(state);
    expect(await migrate(database)).toEqual([]);
    expect(await roleState(database)).toEqual(state);
  });

  it('are made again, exactly, when the database arrives without them', async () => {
    const before = await roleState(database);
    // What a restore onto another server leaves: no roles, so no grants, policies or owners naming them.
    await database.rawTransaction(async (tx) => {
      const { app, maint } = await roleNames(tx);
      await tx.exec(`REASSIGN OWNED BY "${maint}" TO current_user`);
      for (const role of [app, maint]) {
        await tx.exec(`DROP OWNED BY "${role}"`);
        await tx.exec(`DROP ROLE "${role}"`);
      }
    });
    const bare = await roleState(database);
    expect(bare.acl).toEqual([]);
    expect(bare.tables.filter((t) => t.maintenance)).toEqual([]);

    await ensureRoles(database);
    expect(await roleState(database)).toEqual(before);
  });
});

const serverUrl = process.env.TEST_DATABASE_URL;

/** A database of the shared server by name, and a way to run SQL as its administrator. */
function urlOf(name: string, user?: string) {
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  if (user) url.username = user;
  return url.toString();
}
async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe.runIf(serverUrl)('a server database restored from a dump', () => {
  const created: string[] = [];
  let dir: string;
  let source: TestDatabase;
  let sourceName: string;
  let memberCount: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongjian-restore-'));
    source = await dbTargets()
      .find((t) => t.name === 'server')!
      .open();
    sourceName = (await sql<{ n: string }>`SELECT current_database() AS n`.execute(source.db)).rows[0]!.n;
    const t = await makeCounty(source.db, { code: '369941', name: '还原县' });
    const town = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '复原镇');
    for (const v of town.villages) {
      await makeMember(t.ctx, { orgId: v.branch.id });
      await makeHousehold(t.ctx, { villageId: v.village.id });
    }
    memberCount = 2;
    await run('pg_dump', ['-Fc', '-f', join(dir, 'dump'), urlOf(sourceName)]);
  });
  afterAll(async () => {
    await source?.dispose().catch(() => {});
    await admin(async (c) => {
      for (const name of created) {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await dropDatabaseRoles(c, name);
      }
    });
    await rm(dir, { recursive: true, force: true });
  });

  /** pg_restore into a new database (its exit status 1 means "errors ignored"), then start on it. */
  async function restoreAndServe(name: string) {
    created.push(name);
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    const restored = await run('pg_restore', ['-d', urlOf(name), join(dir, 'dump')]).then(
      () => '',
      (err: { code: number; stderr: string }) => {
        expect(err.code).toBe(1);
        return err.stderr;
      },
    );
    const { database } = await openConfigured({ ...loadConfig({}), databaseUrl: urlOf(name) });
    const app = await testApp(database, '369941');
    try {
      const res = await app.inject({ method: 'GET', url: '/api/members' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().total).toBe(memberCount);
      const raw = await roleState(database);
      return { restored, raw };
    } finally {
      await app.close();
      await database.close();
    }
  }

  it('answers signed-in calls at once, beside its source on the same server', async () => {
    const { raw } = await restoreAndServe(`${sourceName}_r1`);
    // The dump's grants to the source's roles are not this database's to keep.
    expect(raw.acl.filter((r) => !['APP', 'MAINT'].includes(r.grantee))).toEqual([]);
    expect(raw.defaults.filter((r) => !['APP', 'MAINT'].includes(r.grantee))).toEqual([]);
    expect(raw).toEqual(await roleState(source));
  });

  it('answers signed-in calls at once on a server that never had its roles', async () => {
    // The source and its roles are gone (and can go: the copy above holds nothing of theirs).
    await source.dispose();
    const { restored, raw } = await restoreAndServe(`${sourceName}_r2`);
    const errors = restored.split('\n').filter((l) => /error:/i.test(l) && !/errors ignored/i.test(l));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((l) => !/role "gongjian_(app|maint)_\w+" does not exist/.test(l))).toEqual([]);
    expect(raw.tables.filter((t) => t.rls && (!t.forced || t.maintenance !== 'MAINT'))).toEqual([]);
  });
});

/**
 * Forced row-level security, seen by an owner that is not a superuser (superusers, like the embedded
 * database and the test server's `postgres`, bypass row-level security whatever is forced).
 */
describe.runIf(serverUrl)('a database owned by a role that is not a superuser', () => {
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const owner = `gongjian_owner_${tag}`;
  const name = `gongjian_owned_${tag}`;
  let raw: Database;
  let maint: Database;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;

  beforeAll(async () => {
    await admin(async (c) => {
      await c.query(`CREATE ROLE "${owner}" LOGIN NOSUPERUSER CREATEROLE`);
      await c.query(`CREATE DATABASE "${name}" OWNER "${owner}"`);
    });
    raw = await openDatabase({ kind: 'server', url: urlOf(name, owner) });
    await migrate(raw);
    maint = await maintenanceDatabase(raw);
    t = await makeCounty(maint.db, { code: '369951', name: '强制县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    for (const v of [...a.villages, ...b.villages]) await makeMember(t.ctx, { orgId: v.branch.id });
  });
  afterAll(async () => {
    await maint?.close();
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await dropDatabaseRoles(c, name);
      await c.query(`DROP ROLE IF EXISTS "${owner}"`);
    });
  });

  const count = async (db: Database['db'], table: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0]!.n;

  it("the owner's own connection sees no row of a table under row-level security", async () => {
    const [who] = await raw.rawTransaction((tx) =>
      tx.query<{ superuser: boolean }>(
        'SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
      ),
    );
    expect(who!.superuser).toBe(false);
    expect(await count(raw.db, 'members')).toBe(0);
    expect(await count(raw.db, 'orgs')).toBe(0);
    expect(await count(raw.db, 'audit_log')).toBe(0);
    await expect(raw.rawTransaction((tx) => tx.query('SELECT count(*) FROM members'))).resolves.toEqual([
      { count: 0 },
    ]);
    // In maintenance, explicitly, everything.
    expect(await count(maint.db, 'members')).toBe(4);
    await expect(maint.rawTransaction((tx) => tx.query('SELECT count(*) FROM members'))).resolves.toEqual([
      { count: 4 },
    ]);
    // A transaction's SET LOCAL ROLE ends with it: the pooled connection goes back as the owner.
    expect(await count(raw.db, 'members')).toBe(0);
  });

  it('sign-in, requests, public reads and SECURITY DEFINER look-ups still work', async () => {
    const app = await testApp(maint, '369951');
    try {
      const members = await app.inject({ method: 'GET', url: '/api/members' });
      expect(members.statusCode, members.body).toBe(200);
      expect(members.json().total).toBe(4);
      const created = await app.inject({
        method: 'POST',
        url: '/api/households',
        payload: { villageId: a.villages[0]!.village.id, headName: '张三', category: 'ordinary' },
      });
      expect(created.statusCode, created.body).toBe(201);
      const audit = await app.inject({ method: 'GET', url: '/api/audit?action=auth.sign_in' });
      expect(audit.statusCode, audit.body).toBe(200);
      // A township's staff: scoped to their subtree by the policies, as before.
      const staff = await app.as('committee_staff', a.committee.id);
      const theirs = await staff.inject({ method: 'GET', url: '/api/members' });
      expect(theirs.json().total).toBe(2);
      const notices = await app.raw.inject({ method: 'GET', url: '/api/public/notices?county=369951' });
      expect(notices.statusCode, notices.body).toBe(200);
    } finally {
      await app.close();
    }
    // A pairing's other side is named past the caller's scope: the function reads as maintenance.
    const other = await maint.db.transaction().execute(async (trx) => {
      await enterScope(trx, await appRoleName(trx), t.ctx.countyId, a.committee.path);
      return sql<{
        name: string | null;
      }>`SELECT pairing_org_name(${t.ctx.countyId}, ${b.committee.id}) AS name`.execute(trx);
    });
    expect(other.rows[0]!.name).toBe(b.committee.name);
  });
});
