import { PGlite } from '@electric-sql/pglite';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './lock.ts';
import type { DB } from './schema.ts';

/** A multi-statement script runner inside one transaction (migrations, bulk loads). */
export interface RawTx {
  exec(script: string): Promise<void>;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

/** One handle for both modes: the embedded PGlite and a PostgreSQL server share every code path. */
export interface Database {
  readonly kind: 'embedded' | 'server';
  readonly db: Kysely<DB>;
  rawTransaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type OpenOptions =
  | { kind: 'server'; url: string }
  /** dataDir undefined = in memory (tests). */
  | { kind: 'embedded'; dataDir?: string };

// bigint ids and counts fit in a JS number (< 2^53); dates stay 'YYYY-MM-DD' strings, never shifted by a time zone.
const INT8 = 20;
const DATE = 1082;
const parseInt8 = (v: string) => Number(v);
const keepDate = (v: string) => v;

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.kind === 'server' ? openServer(options.url) : openEmbedded(options.dataDir);
}

async function openEmbedded(dataDir?: string): Promise<Database> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      extensions: { ltree },
      parsers: { [INT8]: parseInt8, [DATE]: keepDate },
    });
  } catch (err) {
    release();
    throw err;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    kind: 'embedded',
    db,
    rawTransaction: (fn) =>
      // Through the driver's transaction API: PGlite is one connection, a raw BEGIN would interleave.
      pglite.transaction((tx) =>
        fn({
          exec: async (script) => {
            await tx.exec(script);
          },
          query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params)).rows,
        }),
      ),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
}

function logLostConnection(err: Error & { code?: string }) {
  // 57P01: an administrator (or a dropped test database) ended it; expected, and not worth a line.
  if (err.code !== '57P01') console.error(`数据库连接中断 / database connection lost: ${err.message}`);
}

async function openServer(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // A server that does not answer must not hold requests forever: after this long waiting for a
    // connection (to open one, or for a free one) the query fails and the request gets a 503.
    connectionTimeoutMillis: 10_000,
    // Row-level security inflates cost estimates past the JIT thresholds: a county dashboard spent
    // ~0.5 s compiling for ~0.1 s of work (docs/PERFORMANCE.md). Plain execution is faster here.
    options: '-c jit=off',
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === INT8) return parseInt8;
        if (oid === DATE) return keepDate;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A connection the server ends (a restart, a terminated backend, a dropped test database) emits
  // 'error' on its client, and an 'error' with no listener ends the process. The pool listens only
  // while a client is idle; a checked-out client (a request's transaction, rawTransaction) would
  // take the platform down under load. So every client listens for its whole life: its queries fail
  // (the HTTP layer answers 503), the pool drops it on release as no longer queryable, and the next
  // request opens a fresh connection once the server is back.
  pool.on('connect', (client) => {
    client.on('error', logLostConnection);
  });
  // The pool re-emits an idle client's error; the client's own listener has logged it already.
  pool.on('error', () => {});
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'server',
    db,
    rawTransaction: async (fn) => {
      // The client listens for 'error' from the pool's 'connect' handler, so a connection lost here
      // fails the transaction instead of the process.
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn({
          exec: async (script) => {
            await client.query(script);
          },
          query: async <T>(text: string, params?: unknown[]) =>
            (await client.query(text, params as unknown[])).rows as T[],
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        // A connection that cannot even roll back is not given back to the pool.
        await client.query('ROLLBACK').catch((e: Error) => {
          broken = e;
        });
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => db.destroy(),
  };
}
