import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/** The application role of this database (one per database; made by `ensureRoles`, src/db/roles.ts). */
export async function appRoleName(db: Kysely<DB>): Promise<string> {
  // As a name, cut to PostgreSQL's 63 bytes as the role's own name was.
  const { rows } = await sql<{
    role: string;
  }>`SELECT ('gongjian_app_' || current_database())::name AS role`.execute(db);
  return rows[0]!.role;
}

/**
 * Narrows a transaction to a county and an organisation subtree: drops to the application role,
 * which row-level security applies to, and sets the scope the policies read. Both end with the
 * transaction.
 */
export async function enterScope(trx: Kysely<DB>, role: string, countyId: number, scopePath: string) {
  await sql`SET LOCAL ROLE ${sql.id(role)}`.execute(trx);
  await sql`SELECT set_config('app.county', ${String(countyId)}, true), set_config('app.scope', ${scopePath}, true)`.execute(
    trx,
  );
}
