import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';

/**
 * Where database tests run: the embedded database always, and a PostgreSQL server as well when
 * TEST_DATABASE_URL is set. A server test gets a database of its own, created and dropped here,
 * so the server is left as it was found.
 */
export interface TestTarget {
  name: 'embedded' | 'server';
  open(): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** Closes and, on a server, drops the test's own database. */
  dispose(): Promise<void>;
}

export function dbTargets(): TestTarget[] {
  const targets: TestTarget[] = [{ name: 'embedded', open: openEmbedded }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) targets.push({ name: 'server', open: () => openServer(url) });
  return targets;
}

async function openEmbedded(): Promise<TestDatabase> {
  const database = await openDatabase({ kind: 'embedded' });
  await migrate(database);
  return Object.assign(database, { dispose: () => database.close() });
}

async function openServer(adminUrl: string): Promise<TestDatabase> {
  const name = `gongjian_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'server', url: url.toString() });
  await migrate(database);
  return Object.assign(database, {
    dispose: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      // The database's own roles (src/db/roles.ts) go with it; the server keeps no trace of the test.
      await dropDatabaseRoles(c, name);
      await c.end();
    },
  });
}

/** Drops the application and maintenance roles made for a database that is gone. */
export async function dropDatabaseRoles(client: pg.Client, database: string) {
  for (const prefix of ['gongjian_app_', 'gongjian_maint_']) {
    await client.query(`DROP ROLE IF EXISTS "${prefix}${database}"`);
  }
}
