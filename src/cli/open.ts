import type { Database } from '../db/database.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { maintenanceDatabase } from '../db/roles.ts';
import type { ServiceContext } from '../modules/context.ts';
import { resolveServedCounty } from '../modules/counties/service.ts';
import { type Config, loadConfig } from '../platform/config.ts';

/**
 * Opens the configured database (server by DATABASE_URL, else embedded under the data dir), migrated,
 * with its roles and grants made sure of, and seen in maintenance: sign-in, sessions, public forms and
 * the CLI run as the maintenance role; a signed-in request drops to the application role.
 */
export async function openConfigured(
  config: Config = loadConfig(),
): Promise<{ database: Database; applied: string[] }> {
  const database = config.databaseUrl
    ? await openDatabase({ kind: 'server', url: config.databaseUrl })
    : await openDatabase({ kind: 'embedded', dataDir: config.dataDir });
  try {
    const applied = await migrate(database);
    return { database: await maintenanceDatabase(database), applied };
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Runs a CLI command against the database and always closes it (and releases the data-dir lock). */
export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { database } = await openConfigured(config);
  try {
    return await fn(database, config);
  } finally {
    await database.close();
  }
}

export async function countyContext(database: Database, code: string | undefined): Promise<ServiceContext> {
  const county = await resolveServedCounty(database.db, code ?? loadConfig().countyCode);
  return { db: database.db, countyId: county.id };
}
