import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty, makeTownship, testApp } from '../../test/factories.ts';
import { isDatabaseUnavailable } from '../platform/errors.ts';
import { type Database, openDatabase } from './database.ts';
import { migrate } from './migrate.ts';

/**
 * Drills for a database that goes away under load (issue 16): a backend terminated, a backend
 * killed (the server restarts every backend), the server stopped and started again. The platform
 * must stay up, answer 503 with Retry-After while the database is away, and recover by itself.
 * They run on a throw-away cluster this file starts, never on the machine's shared server.
 */
const BIN = '/usr/lib/postgresql/15/bin';
const UNAVAILABLE = '数据库暂时无法连接，请稍后再试';

/** Root cannot run initdb or the server: they run as the postgres user, in a directory it owns. */
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, cmd), ...args], { stdio: 'pipe' })
    : execFileSync(join(BIN, cmd), args, { stdio: 'pipe' });

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

class Cluster {
  dir = '';
  data = '';
  port = 0;

  async init() {
    this.dir = mkdtempSync(join(tmpdir(), 'gongjian-faults-'));
    this.data = join(this.dir, 'data');
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', this.dir]);
    asPostgres('initdb', [
      '-D',
      this.data,
      '--data-checksums',
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
    ]);
    this.port = await freePort();
    this.start();
  }
  start() {
    asPostgres('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40`,
      'start',
    ]);
  }
  stop(mode: 'fast' | 'immediate' = 'fast') {
    asPostgres('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }
  running() {
    try {
      asPostgres('pg_ctl', ['-D', this.data, 'status']);
      return true;
    } catch {
      return false;
    }
  }
  url(db: string) {
    return `postgres://postgres@127.0.0.1:${this.port}/${db}`;
  }
  /** A connection of its own, beside the platform's pool, as an operator's psql would be. */
  async admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: this.url('postgres') });
    c.on('error', () => {});
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end().catch(() => {});
    }
  }
  remove() {
    if (!this.dir) return;
    try {
      if (this.running()) this.stop('immediate');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A response while the database is away: a 503 that says when to try again, in Chinese first. */
function expectUnavailable(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(503);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.json()).toMatchObject({
    error: { code: 'database_unavailable', message: UNAVAILABLE, messageEn: expect.any(String) },
  });
}

describe('a server database that drops connections under load', () => {
  const cluster = new Cluster();
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  let database: Database;
  let app: Awaited<ReturnType<typeof testApp>>;
  let villageId: number;
  let n = 0;

  const post = () =>
    app.inject({
      method: 'POST',
      url: '/api/households',
      payload: { villageId, headName: `断线户${++n}`, category: 'ordinary' },
    });

  /** Six clients creating households until told to stop; every answer is kept. */
  function load() {
    const answers: LightMyRequestResponse[] = [];
    let stopped = false;
    const loops = Array.from({ length: 6 }, async () => {
      while (!stopped) answers.push(await post());
    });
    return {
      answers,
      stop: async () => {
        stopped = true;
        await Promise.all(loops);
        return answers;
      },
    };
  }

  /** Nothing in between: each answer is a household made, or a 503 that says to try again. */
  function expectCreatedOrUnavailable(answers: LightMyRequestResponse[]) {
    const other = answers.filter((r) => r.statusCode !== 201 && r.statusCode !== 503);
    expect(other.map((r) => `${r.statusCode} ${r.body}`)).toEqual([]);
    for (const r of answers.filter((r) => r.statusCode === 503)) expectUnavailable(r);
  }

  /** Recovered by itself: a burst of six succeeds, and reads answer too. */
  async function expectRecovered() {
    let health: LightMyRequestResponse | undefined;
    for (let i = 0; i < 100; i++) {
      health = await app.raw.inject({ method: 'GET', url: '/api/health' });
      if (health.statusCode === 200) break;
      await sleep(100);
    }
    expect(health?.statusCode).toBe(200);
    const burst = await Promise.all(Array.from({ length: 6 }, post));
    expect(burst.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    const list = await app.inject({ method: 'GET', url: `/api/households?village=${villageId}` });
    expect(list.statusCode, list.body).toBe(200);
  }

  /** Client backends of the platform's database that a request holds (running, or in its transaction). */
  const busyBackends = () =>
    cluster.admin(async (c) =>
      (
        await c.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
            WHERE datname = 'gongjian' AND backend_type = 'client backend' AND state <> 'idle'`,
        )
      ).rows.map((r) => r.pid),
    );

  /** Waits until load holds backends, so the fault hits connections that are checked out. */
  async function whenBusy() {
    for (let i = 0; i < 200; i++) {
      const pids = await busyBackends();
      if (pids.length) return pids;
      await sleep(10);
    }
    throw new Error('the load never held a backend');
  }

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    await cluster.init();
    await cluster.admin((c) => c.query('CREATE DATABASE gongjian'));
    database = await openDatabase({ kind: 'server', url: cluster.url('gongjian') });
    await migrate(database);
    const t = await makeCounty(database.db, { code: '369977', name: '断线县' });
    const town = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '断线镇');
    villageId = town.villages[0]!.village.id;
    app = await testApp(database);
    // Signs in now, while the database is there.
    const first = await post();
    expect(first.statusCode, first.body).toBe(201);
  });

  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    try {
      await app?.close();
      await database?.close();
    } finally {
      cluster.remove();
    }
  });

  it('keeps running when backends holding requests are terminated (pg_terminate_backend)', async () => {
    const run = load();
    let terminated = 0;
    // Rounds until a request has felt it: a backend seen busy may have gone idle by the time it is hit.
    for (
      let round = 0;
      round < 10 && (round < 3 || !run.answers.some((r) => r.statusCode === 503));
      round++
    ) {
      const pids = await whenBusy();
      terminated += await cluster.admin(
        async (c) =>
          (await c.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]))
            .rowCount ?? 0,
      );
      await sleep(150);
    }
    await sleep(300);
    const answers = await run.stop();
    expect(terminated).toBeGreaterThan(0);
    expect(uncaught).toEqual([]);
    expectCreatedOrUnavailable(answers);
    expect(answers.filter((r) => r.statusCode === 503).length).toBeGreaterThan(0);
    await expectRecovered();
  });

  it('keeps running when a backend is killed and the server restarts every backend (kill -9)', async () => {
    const run = load();
    const [pid] = await whenBusy();
    process.kill(pid!, 'SIGKILL');
    await sleep(1000);
    const answers = await run.stop();
    expect(uncaught).toEqual([]);
    expectCreatedOrUnavailable(answers);
    expect(answers.filter((r) => r.statusCode === 503).length).toBeGreaterThan(0);
    await expectRecovered();
  });

  it('answers 503 while the server is stopped (pg_ctl -m fast stop) and recovers when it is back', async () => {
    const run = load();
    await whenBusy();
    cluster.stop('fast');
    await sleep(300);
    const answers = await run.stop();
    expect(uncaught).toEqual([]);
    expectCreatedOrUnavailable(answers);

    // Every kind of route while it is away: a write, a read, the session check, sign-in.
    expectUnavailable(await post());
    expectUnavailable(await app.inject({ method: 'GET', url: '/api/households' }));
    expectUnavailable(await app.inject({ method: 'GET', url: '/api/auth/me' }));
    expectUnavailable(
      await app.raw.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { account: 'nobody', password: 'x' },
      }),
    );
    expect((await app.raw.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(503);

    cluster.start();
    await expectRecovered();
    expect(uncaught).toEqual([]);
  });
});

describe('an embedded database that is closed', () => {
  it('answers 503, not 500', async () => {
    const database = await openDatabase({ kind: 'embedded' });
    await migrate(database);
    const t = await makeCounty(database.db, { code: '369978', name: '关闭县' });
    const town = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '关闭镇');
    const app = await testApp(database);
    const ok = await app.inject({ method: 'GET', url: '/api/households' });
    expect(ok.statusCode, ok.body).toBe(200);
    await database.close();
    try {
      expectUnavailable(await app.inject({ method: 'GET', url: '/api/households' }));
      expectUnavailable(
        await app.inject({
          method: 'POST',
          url: '/api/households',
          payload: { villageId: town.villages[0]!.village.id, headName: '关闭户', category: 'ordinary' },
        } as InjectOptions),
      );
    } finally {
      await app.close();
    }
  });
});

/** What PGlite throws when its WebAssembly aborts (the namespace is not in the server's types). */
const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: ErrorConstructor } })
  .WebAssembly.RuntimeError;

describe('what counts as the database being away', () => {
  /** The error a real connection attempt gives. */
  async function connectError(config: pg.ClientConfig) {
    const c = new pg.Client({ ...config, connectionTimeoutMillis: 5_000 });
    c.on('error', () => {});
    const err = await c.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    await c.end().catch(() => {});
    return err;
  }

  it('recognises refused, missing and timed-out connections, an aborted PGlite', async () => {
    const port = await freePort();
    for (const err of [
      await connectError({ host: '127.0.0.1', port, user: 'x', database: 'x' }),
      // "localhost" is tried on IPv6 and IPv4: the refusals may come as one AggregateError.
      await connectError({ host: 'localhost', port, user: 'x', database: 'x' }),
      // A socket directory with no server in it.
      await connectError({ host: join(tmpdir(), 'gongjian-no-server'), port, user: 'x', database: 'x' }),
      new Error('timeout exceeded when trying to connect'),
      new WasmRuntimeError('Aborted(). Build with -sASSERTIONS for more info.'),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
    ]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(true);
    }
  });

  it('leaves faults of the request or the code alone', () => {
    for (const err of [
      Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }),
      Object.assign(new Error('relation "nope" does not exist'), { code: '42P01' }),
      Object.assign(new Error('permission denied for table households'), { code: '42501' }),
      Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), {
        code: 'ENOENT',
        syscall: 'open',
      }),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      'Connection terminated unexpectedly',
      undefined,
    ]) {
      expect(isDatabaseUnavailable(err), String(err)).toBe(false);
    }
  });
});
