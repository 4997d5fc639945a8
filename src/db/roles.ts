import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type TransactionSettings,
} from 'kysely';
import type { Database, RawTx } from './database.ts';
import type { DB } from './schema.ts';

/**
 * The two roles of a database, made and kept right by `ensureRoles` after the migrations on every
 * start, so a database restored from a dump (whose roles were never made on this server, or were
 * made for another database name) works at once:
 *
 * - `gongjian_app_<db>`: what a signed-in request drops to (`enterScope`); row-level security
 *   narrows it to the user's subtree.
 * - `gongjian_maint_<db>`: maintenance (sign-in and session look-ups, public forms, the CLI, demo
 *   and imports run from the CLI, SECURITY DEFINER functions). Each table under row-level security
 *   has a policy `maintenance` letting this role, and only while it is the current role, see and
 *   change every row.
 *
 * Row-level security is forced, so the owner's own connection sees no row of those tables: only
 * code that explicitly enters maintenance (`maintenanceDatabase`, `enterMaintenance`) or a scope
 * does. Superusers (the embedded database, a `postgres` login) bypass row-level security anyway.
 */

/** Privileges of the application role on the tables migrations 0002 and 0004 list by name. */
const CODE_LIST: readonly string[] = ['SELECT'];
const APP_TABLES: Readonly<Record<string, readonly string[]>> = {
  counties: CODE_LIST,
  org_kinds: CODE_LIST,
  sectors: CODE_LIST,
  place_kinds: CODE_LIST,
  education_levels: CODE_LIST,
  member_categories: CODE_LIST,
  member_statuses: CODE_LIST,
  leader_ranks: CODE_LIST,
  household_categories: CODE_LIST,
  roles: CODE_LIST,
  orgs: ['SELECT', 'INSERT', 'UPDATE'],
  places: ['SELECT', 'INSERT', 'UPDATE'],
  members: ['SELECT', 'INSERT', 'UPDATE'],
  users: ['SELECT', 'INSERT', 'UPDATE'],
  households: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  // Append only; the trigger refuses changes for everyone, the grant keeps the role from trying.
  audit_log: ['SELECT', 'INSERT'],
  // An administrator issues a reset token in their scope; tokens are checked in maintenance.
  password_reset_tokens: ['INSERT'],
  sessions: [],
  schema_migrations: [],
};
/**
 * Every other table was made after migration 0002, whose default privileges give the role these.
 * A migration that grants a table anything else must add it to APP_TABLES: `roles.test.ts`
 * fails when a freshly migrated database and this list disagree.
 */
const APP_DEFAULT: readonly string[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
const MAINT_TABLES: readonly string[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
/** Maintenance writes the audit trail but never changes it. */
const MAINT_EXCEPT: Readonly<Record<string, readonly string[]>> = { audit_log: ['SELECT', 'INSERT'] };
const SEQUENCES: readonly string[] = ['SELECT', 'USAGE'];

export interface RoleNames {
  app: string;
  maint: string;
}

const NAMES_SQL = `SELECT ('gongjian_app_' || current_database())::name AS app,
  ('gongjian_maint_' || current_database())::name AS maint`;

export async function roleNames(tx: Pick<RawTx, 'query'>): Promise<RoleNames> {
  return (await tx.query<RoleNames>(NAMES_SQL))[0]!;
}

const id = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Makes the roles exist and hold exactly the grants the migrations give them, forces row-level
 * security with its maintenance policy on every table that has it, and hands SECURITY DEFINER
 * functions to the maintenance role (as the owner they would now see nothing). Idempotent, and
 * changes nothing on a database that is already right. Runs as the owner, under the migrations'
 * lock, so two processes starting together take turns.
 */
export async function ensureRoles(database: Database): Promise<void> {
  await database.rawTransaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(4242001)');
    const names = await roleNames(tx);
    for (const role of [names.app, names.maint]) {
      const [row] = await tx.query<{ exists: boolean; member: boolean }>(
        `SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1) AS exists,
                EXISTS (SELECT FROM pg_roles WHERE rolname = $1 AND pg_has_role(current_user, oid, 'MEMBER')) AS member`,
        [role],
      );
      if (!row!.exists) await tx.exec(`CREATE ROLE ${id(role)} NOLOGIN`);
      // The owner steps into either role with SET LOCAL ROLE.
      if (!row!.member) await tx.exec(`GRANT ${id(role)} TO current_user`);
    }
    await ensureMaintenanceCheck(tx);
    await ensureSchemaUsage(tx, names);
    await ensureTableGrants(tx, names);
    await ensureDefaultPrivileges(tx, names);
    await revokeForeignRoles(tx, names);
    await forceRowSecurity(tx, names);
    await ensureDefinerOwner(tx, names);
  });
}

async function ensureMaintenanceCheck(tx: RawTx) {
  const [row] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'app_maintenance' AND pronamespace = 'public'::regnamespace`,
  );
  if (row!.n > 0) return;
  // Compared by name, not membership: the owner is a member of the maintenance role but must see nothing.
  await tx.exec(`CREATE FUNCTION public.app_maintenance() RETURNS boolean LANGUAGE sql STABLE AS
    $$ SELECT current_user = ('gongjian_maint_' || current_database())::name $$`);
}

async function ensureSchemaUsage(tx: RawTx, names: RoleNames) {
  for (const role of [names.app, names.maint]) {
    // Asked of the ACL itself: every role may use `public` through PUBLIC, which a restore may not keep.
    const [row] = await tx.query<{ ok: boolean }>(
      `SELECT EXISTS (SELECT FROM pg_namespace n, aclexplode(n.nspacl) a
                       WHERE n.nspname = 'public' AND a.privilege_type = 'USAGE'
                         AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1)) AS ok`,
      [role],
    );
    if (!row!.ok) await tx.exec(`GRANT USAGE ON SCHEMA public TO ${id(role)}`);
  }
}

interface Held {
  name: string;
  kind: string;
  privileges: string[];
}

/** Privileges a role holds directly on each table and sequence of the public schema. */
async function held(tx: RawTx, role: string): Promise<Held[]> {
  return tx.query<Held>(
    `SELECT c.relname AS name, c.relkind::text AS kind,
            coalesce(array_agg(a.privilege_type::text ORDER BY a.privilege_type) FILTER (WHERE a.privilege_type IS NOT NULL), '{}') AS privileges
       FROM pg_class c
       LEFT JOIN LATERAL aclexplode(c.relacl) a ON a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1)
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S')
      GROUP BY c.relname, c.relkind`,
    [role],
  );
}

function wanted(role: 'app' | 'maint', t: Held): readonly string[] {
  if (t.kind === 'S') return SEQUENCES;
  if (role === 'maint') return MAINT_EXCEPT[t.name] ?? MAINT_TABLES;
  return APP_TABLES[t.name] ?? APP_DEFAULT;
}

async function ensureTableGrants(tx: RawTx, names: RoleNames) {
  for (const which of ['app', 'maint'] as const) {
    const role = names[which];
    for (const t of await held(tx, role)) {
      const want = wanted(which, t);
      const missing = want.filter((p) => !t.privileges.includes(p));
      const extra = t.privileges.filter((p) => !want.includes(p));
      const target = `${t.kind === 'S' ? 'SEQUENCE ' : ''}public.${id(t.name)}`;
      if (missing.length) await tx.exec(`GRANT ${missing.join(', ')} ON ${target} TO ${id(role)}`);
      if (extra.length) await tx.exec(`REVOKE ${extra.join(', ')} ON ${target} FROM ${id(role)}`);
    }
  }
}

/** Tables and sequences a later migration makes reach the application role as migration 0002 arranged. */
async function ensureDefaultPrivileges(tx: RawTx, names: RoleNames) {
  const rows = await tx.query<{ objtype: string; privileges: string[] }>(
    `SELECT d.defaclobjtype::text AS objtype, array_agg(a.privilege_type::text ORDER BY a.privilege_type) AS privileges
       FROM pg_default_acl d, aclexplode(d.defaclacl) a
      WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)
        AND d.defaclnamespace = 'public'::regnamespace
        AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1)
      GROUP BY d.defaclobjtype`,
    [names.app],
  );
  const has = (objtype: string, want: readonly string[]) => {
    const got = rows.find((r) => r.objtype === objtype)?.privileges ?? [];
    return want.every((p) => got.includes(p)) && got.every((p) => want.includes(p));
  };
  if (!has('r', APP_DEFAULT)) {
    await tx.exec(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ${id(names.app)}`);
    await tx.exec(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${APP_DEFAULT.join(', ')} ON TABLES TO ${id(names.app)}`,
    );
  }
  if (!has('S', SEQUENCES)) {
    await tx.exec(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ${id(names.app)}`);
    await tx.exec(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ${SEQUENCES.join(', ')} ON SEQUENCES TO ${id(names.app)}`,
    );
  }
}

/**
 * A dump restored under another name brings grants to the source database's roles (when they exist
 * on this server): those roles are not this database's and lose them.
 */
async function revokeForeignRoles(tx: RawTx, names: RoleNames) {
  const foreign = await tx.query<{ role: string }>(
    `SELECT DISTINCT r.rolname AS role
       FROM pg_roles r
      WHERE r.rolname ~ '^gongjian_(app|maint)_' AND r.rolname NOT IN ($1, $2)
        AND (EXISTS (SELECT FROM pg_class c, aclexplode(c.relacl) a
                      WHERE c.relnamespace = 'public'::regnamespace AND a.grantee = r.oid)
          OR EXISTS (SELECT FROM pg_namespace n, aclexplode(n.nspacl) a
                      WHERE n.nspname = 'public' AND a.grantee = r.oid)
          OR EXISTS (SELECT FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE a.grantee = r.oid))`,
    [names.app, names.maint],
  );
  for (const { role } of foreign) {
    await tx.exec(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${id(role)}`);
    await tx.exec(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${id(role)}`);
    await tx.exec(`REVOKE ALL ON SCHEMA public FROM ${id(role)}`);
    const grantors = await tx.query<{ grantor: string }>(
      `SELECT DISTINCT d.defaclrole::regrole::text AS grantor FROM pg_default_acl d, aclexplode(d.defaclacl) a
        WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1)
          AND pg_has_role(current_user, d.defaclrole, 'MEMBER')`,
      [role],
    );
    for (const { grantor } of grantors) {
      for (const kind of ['TABLES', 'SEQUENCES']) {
        await tx.exec(
          `ALTER DEFAULT PRIVILEGES FOR ROLE ${grantor} IN SCHEMA public REVOKE ALL ON ${kind} FROM ${id(role)}`,
        );
      }
    }
  }
}

/**
 * Every table with row-level security gets the maintenance policy and has it forced, so the owner
 * is bound by the policies too. The policy names the role, so it costs the application role's
 * queries nothing (PostgreSQL drops a policy for another role when planning).
 */
export async function forceRowSecurity(tx: RawTx, names: RoleNames) {
  const tables = await tx.query<{ name: string; forced: boolean; policy: boolean; roles_ok: boolean }>(
    `SELECT c.relname AS name, c.relforcerowsecurity AS forced, p.oid IS NOT NULL AS policy,
            coalesce(p.polroles = ARRAY[(SELECT oid FROM pg_roles WHERE rolname = $1)], false) AS roles_ok
       FROM pg_class c
       LEFT JOIN pg_policy p ON p.polrelid = c.oid AND p.polname = 'maintenance'
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relrowsecurity`,
    [names.maint],
  );
  for (const t of tables) {
    const table = `public.${id(t.name)}`;
    if (!t.policy) {
      await tx.exec(
        `CREATE POLICY maintenance ON ${table} TO ${id(names.maint)} USING (app_maintenance()) WITH CHECK (app_maintenance())`,
      );
    } else if (!t.roles_ok) {
      await tx.exec(`ALTER POLICY maintenance ON ${table} TO ${id(names.maint)}`);
    }
    if (!t.forced) await tx.exec(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  }
}

/** SECURITY DEFINER functions read past row-level security as the maintenance role, not the owner. */
async function ensureDefinerOwner(tx: RawTx, names: RoleNames) {
  const fns = await tx.query<{ fn: string }>(
    `SELECT p.oid::regprocedure::text AS fn FROM pg_proc p
      WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
        AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)`,
    [names.maint],
  );
  if (!fns.length) return;
  // A new owner must be able to create in the schema, but only for the moment of the hand-over.
  const [schema] = await tx.query<{ had: boolean }>(
    `SELECT EXISTS (SELECT FROM pg_namespace n, aclexplode(n.nspacl) a
                     WHERE n.nspname = 'public' AND a.privilege_type = 'CREATE'
                       AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1)) AS had`,
    [names.maint],
  );
  if (!schema!.had) await tx.exec(`GRANT CREATE ON SCHEMA public TO ${id(names.maint)}`);
  for (const { fn } of fns) await tx.exec(`ALTER FUNCTION ${fn} OWNER TO ${id(names.maint)}`);
  if (!schema!.had) await tx.exec(`REVOKE CREATE ON SCHEMA public FROM ${id(names.maint)}`);
}

/**
 * Lifts forced row-level security for the length of a migration's transaction (migrations run as
 * the owner and may move data), and returns how to put it back before the transaction commits.
 */
export async function liftForcedRowSecurity(tx: RawTx): Promise<() => Promise<void>> {
  const forced = await tx.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class
      WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND relforcerowsecurity`,
  );
  for (const { name } of forced) await tx.exec(`ALTER TABLE public.${id(name)} NO FORCE ROW LEVEL SECURITY`);
  return async () => {
    for (const { name } of forced) {
      const [row] = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relname = $1`,
        [name],
      );
      if (row!.n) await tx.exec(`ALTER TABLE public.${id(name)} FORCE ROW LEVEL SECURITY`);
    }
  };
}

/**
 * The same database seen in maintenance: every connection it hands out is the maintenance role
 * until it goes back to the pool, and every raw transaction starts as that role. A request's
 * transaction still drops to the application role with `enterScope` (SET LOCAL ROLE overrides it
 * for the transaction). The embedded database runs as a superuser, which row-level security never
 * binds, so it is returned as it is.
 */
export async function maintenanceDatabase(database: Database): Promise<Database> {
  if (database.kind !== 'server' || MAINTENANCE.has(database)) return database;
  const { maint } = await database.rawTransaction(roleNames);
  const setRole = CompiledQuery.raw(`SET ROLE ${id(maint)}`);
  const resetRole = CompiledQuery.raw('RESET ROLE');
  const executor = database.db.getExecutor();
  const releases = new WeakMap<DatabaseConnection, () => void>();
  const driver: Driver = {
    init: async () => {},
    acquireConnection: () =>
      new Promise<DatabaseConnection>((resolve, reject) => {
        executor
          .provideConnection(async (inner) => {
            await inner.executeQuery(setRole);
            const connection: DatabaseConnection = {
              executeQuery: (q) => inner.executeQuery(q),
              streamQuery: (q, chunkSize) => inner.streamQuery(q, chunkSize),
            };
            const released = new Promise<void>((done) => releases.set(connection, done));
            resolve(connection);
            await released;
            await inner.executeQuery(resetRole);
          })
          .catch(reject);
      }),
    beginTransaction: async (connection, settings: TransactionSettings) => {
      const level = settings.isolationLevel
        ? ` ISOLATION LEVEL ${settings.isolationLevel.toUpperCase()}`
        : '';
      const mode = settings.accessMode ? ` ${settings.accessMode.toUpperCase()}` : '';
      await connection.executeQuery(CompiledQuery.raw(`BEGIN${level}${mode}`));
    },
    commitTransaction: async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('COMMIT'));
    },
    rollbackTransaction: async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
    },
    savepoint: async (connection, name) => {
      await connection.executeQuery(CompiledQuery.raw(`SAVEPOINT ${id(name)}`));
    },
    rollbackToSavepoint: async (connection, name) => {
      await connection.executeQuery(CompiledQuery.raw(`ROLLBACK TO SAVEPOINT ${id(name)}`));
    },
    releaseSavepoint: async (connection, name) => {
      await connection.executeQuery(CompiledQuery.raw(`RELEASE SAVEPOINT ${id(name)}`));
    },
    releaseConnection: async (connection) => {
      releases.get(connection)?.();
    },
    destroy: async () => {},
  };
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createIntrospector: (k) => new PostgresIntrospector(k),
    },
  });
  const wrapped: Database = {
    kind: database.kind,
    db,
    rawTransaction: (fn) =>
      database.rawTransaction(async (tx) => {
        await tx.exec(`SET LOCAL ROLE ${id(maint)}`);
        return fn(tx);
      }),
    close: async () => {
      await db.destroy();
      await database.close();
    },
  };
  MAINTENANCE.add(wrapped);
  return wrapped;
}

const MAINTENANCE = new WeakSet<Database>();
