import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';

/**
 * Where the benchmark runs: the embedded database (PGlite on a data directory under the OS temp
 * directory, as `gongjian start` runs it, not in memory) and, when BENCH_DATABASE_URL is set, a
 * PostgreSQL server. Every database is the benchmark's own, made from nothing and removed at the end:
 * temp directories are deleted, server databases dropped, so the machine is left as it was found.
 */
export type TargetName = 'embedded' | 'server';

/** How to open one of the target's databases, also from a child process (it is plain JSON). */
export type DatabaseRef =
  | { kind: 'server'; url: string; name: string }
  | { kind: 'embedded'; dataDir: string };

export interface BenchTarget {
  readonly name: TargetName;
  /** Where its databases live, for the printout. */
  readonly where: string;
  /** A new, migrated database, open. */
  fresh(label: string): Promise<{ ref: DatabaseRef; database: Database }>;
  /** A copy of a closed database (a data directory copied, or CREATE DATABASE … TEMPLATE). */
  clone(ref: DatabaseRef, label: string): Promise<DatabaseRef>;
  /** Removes one (closed) database made by fresh or clone. */
  remove(ref: DatabaseRef): Promise<void>;
  /** Removes every database this target made. */
  dispose(): Promise<void>;
}

export const open = (ref: DatabaseRef): Promise<Database> =>
  openDatabase(ref.kind === 'server' ? { kind: 'server', url: ref.url } : ref);

export function embeddedTarget(): BenchTarget {
  const root = mkdtempSync(join(tmpdir(), 'gongjian-bench-'));
  return {
    name: 'embedded',
    where: `PGlite, data directories under ${root}`,
    async fresh(label) {
      const ref: DatabaseRef = { kind: 'embedded', dataDir: join(root, label) };
      const database = await open(ref);
      await migrate(database);
      return { ref, database };
    },
    async clone(ref, label) {
      if (ref.kind !== 'embedded') throw new Error('not an embedded database');
      const dataDir = join(root, label);
      // The source is closed, so its lock file is gone; filter it out all the same.
      cpSync(ref.dataDir, dataDir, { recursive: true, filter: (src) => !src.endsWith('gongjian.lock') });
      return { kind: 'embedded', dataDir };
    },
    async remove(ref) {
      if (ref.kind === 'embedded') rmSync(ref.dataDir, { recursive: true, force: true });
    },
    async dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function serverTarget(adminUrl: string): BenchTarget {
  const prefix = `gongjian_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const made: string[] = [];
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const refOf = (name: string): DatabaseRef => {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return { kind: 'server', url: url.toString(), name };
  };
  let closed = false;
  const creating = new Set<Promise<unknown>>();
  /** CREATE DATABASE <prefix>_<label> [TEMPLATE …], recorded before it runs so that dispose drops it. */
  const create = async (label: string, template: string) => {
    if (closed) throw new Error('the benchmark is shutting down');
    const name = `${prefix}_${label}`;
    made.push(name);
    const run = admin(async (c) => {
      // A backend whose client just disconnected may still be exiting: retry "being accessed by other users".
      for (let attempt = 0; ; attempt++) {
        try {
          await c.query(`CREATE DATABASE ${name}${template}`);
          return;
        } catch (err) {
          if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    });
    creating.add(run);
    try {
      await run;
    } finally {
      creating.delete(run);
    }
    return name;
  };
  const host = new URL(adminUrl);
  return {
    name: 'server',
    where: `PostgreSQL at ${host.host}, throwaway databases ${prefix}_*`,
    async fresh(label) {
      const name = await create(label, '');
      const ref = refOf(name);
      const database = await open(ref);
      await migrate(database);
      return { ref, database };
    },
    async clone(ref, label) {
      if (ref.kind !== 'server') throw new Error('not a server database');
      return refOf(await create(label, ` TEMPLATE ${ref.name}`));
    },
    async remove(ref) {
      if (ref.kind !== 'server') return;
      await admin((c) => drop(c, ref.name));
      made.splice(made.indexOf(ref.name), 1);
    },
    async dispose() {
      // Interrupted (Ctrl-C) in the middle of a CREATE DATABASE: let it finish, then drop it too.
      closed = true;
      await Promise.allSettled(creating);
      if (!made.length) return;
      await admin(async (c) => {
        for (const name of made.splice(0).reverse()) await drop(c, name);
      });
    },
  };
}

/**
 * Drops a database and the roles made for it (`gongjian_app_<database>` and `gongjian_maint_<database>`,
 * src/db/roles.ts): roles belong to the whole server, so DROP DATABASE alone would leave them behind.
 */
async function drop(c: pg.Client, name: string) {
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const roles = ['gongjian_app_', 'gongjian_maint_'].map((p) => `${p}${name}`.slice(0, 63));
  const { rows } = await c.query<{ rolname: string }>(
    'SELECT rolname FROM pg_roles WHERE rolname = ANY($1)',
    [roles],
  );
  for (const r of rows) await c.query(`DROP ROLE ${pg.escapeIdentifier(r.rolname)}`);
}

/** The server's PostgreSQL version. */
export async function serverVersion(adminUrl: string): Promise<string> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
  } finally {
    await c.end();
  }
}
