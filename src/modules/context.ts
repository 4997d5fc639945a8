import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * What every use case runs with: the database and the county it acts in. The county is never taken
 * from a request body; the HTTP layer (and later the signed-in user) decides it.
 */
export interface ServiceContext {
  db: Kysely<DB>;
  countyId: number;
}
