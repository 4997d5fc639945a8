import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Role, Scope } from '../domain/access.ts';

/** The signed-in user a use case acts for. */
export interface Actor {
  userId: number;
  username: string;
  role: Role;
  orgId: number;
  orgPath: string;
  memberId: number | null;
}

/**
 * What every use case runs with: the database (for a signed-in user, a transaction already
 * narrowed to their subtree by row-level security), the county it acts in, and who acts. The
 * county is never taken from a request body. No actor means the CLI or the system itself.
 */
export interface ServiceContext {
  db: Kysely<DB>;
  countyId: number;
  actor?: Actor;
  /** The scope the access table grants for the action being run. */
  scope?: Scope;
  ip?: string;
}

/** Runs fn in a transaction: the caller's one if there is one already, else a new one. */
export function withTransaction<T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
