import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';
import { ensureRoles, liftForcedRowSecurity } from './roles.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

/** The ordered migrations: files named NNNN_name.sql in src/db/migrations. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
      return {
        version: version!,
        name: rest.join('_'),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex').slice(0, 16),
      };
    });
}

/**
 * Applies the migrations not yet recorded, each in its own transaction with its record, so each runs
 * once. An applied migration whose file changed since is an error: migrations are append-only.
 * Then makes sure the database's roles, grants and forced row-level security are right
 * (`ensureRoles`), every time: a restored database may have none of them.
 */
export async function migrate(database: Database, migrations = listMigrations()): Promise<string[]> {
  await database.rawTransaction((tx) =>
    tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`),
  );
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await database.rawTransaction(async (tx) => {
      // Serialises concurrent migrators on a server; harmless on the single-connection embedded database.
      await tx.query('SELECT pg_advisory_xact_lock(4242001)');
      const rows = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE version = $1',
        [m.version],
      );
      if (rows[0]) {
        if (rows[0].checksum !== m.checksum) {
          throw new Error(`migration ${m.version}_${m.name} was changed after it was applied`);
        }
        return false;
      }
      // A migration runs as the owner, whom forced row-level security would show no rows to.
      const restore = await liftForcedRowSecurity(tx);
      await tx.exec(m.sql);
      await restore();
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      return true;
    });
    if (done) applied.push(`${m.version}_${m.name}`);
  }
  await ensureRoles(database);
  return applied;
}
