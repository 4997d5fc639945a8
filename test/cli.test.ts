import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The `gongjian` CLI end to end: real processes on a real embedded database in a temp directory.
 * Each spawned command pays for the TypeScript loader and the embedded database start.
 */
const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'gongjian.js');
const SLOW = 60_000;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a spawned command: the embedded database in `dataDir`, nothing inherited that would steer it elsewhere. */
function envFor(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GONGJIAN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extra };
  for (const key of ['DATABASE_URL', 'TEST_DATABASE_URL', 'GONGJIAN_COUNTY', 'NODE_OPTIONS', 'VITEST']) {
    if (!(key in extra)) delete env[key];
  }
  // The CLI never needs a port except for `start`; make sure none is taken by accident.
  if (!('PORT' in extra)) env.PORT = '1';
  // The web app is built and checked by the e2e project; `start` here serves the API only.
  if (!('GONGJIAN_WEB' in extra)) env.GONGJIAN_WEB = 'off';
  return env;
}

function run(args: string[], dataDir: string, extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, env: envFor(dataDir, extra), timeout: SLOW, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** The JSON a command printed (the last line that parses, so any chatter before it is skipped). */
function jsonOf(r: Run) {
  try {
    return JSON.parse(r.stdout);
  } catch {
    const lines = r.stdout.trim().split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        return JSON.parse(lines.slice(i).join('\n'));
      } catch {}
    }
    throw new Error(`no JSON in: ${r.stdout}\n${r.stderr}`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** A started server: its process, and everything it printed so far. */
interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startServer(dataDir: string, port: number): Started {
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: ROOT,
    env: envFor(dataDir, { PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** Waits until the server says it is running and its health endpoint answers. */
async function waitUntilRunning(s: Started, port: number, timeoutMs = SLOW) {
  const deadline = Date.now() + timeoutMs;
  let stopped = false;
  void s.exited.then(() => {
    stopped = true;
  });
  while (Date.now() < deadline) {
    if (stopped) throw new Error(`the server stopped:\n${s.output()}`);
    if (s.output().includes('共建平台已启动')) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/health`);
        if (res.ok) return (await res.json()) as { status: string; database: string };
      } catch {}
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not start in time:\n${s.output()}`);
}

describe('the gongjian CLI on the embedded database', () => {
  /** help, migrate, demo load, stats, county create. */
  let dir: string;
  /** `start` on an empty directory, and its lock. */
  let serverDir: string;
  let server: Started | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gongjian-cli-'));
    serverDir = await mkdtemp(join(tmpdir(), 'gongjian-cli-start-'));
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await rm(dir, { recursive: true, force: true });
    await rm(serverDir, { recursive: true, force: true });
  });

  it('--help lists start, migrate, demo and stats, and names the platform 共建; an unknown command fails', {
    timeout: SLOW,
  }, async () => {
    // Neither touches the database, so they run side by side.
    const [r, unknown] = await Promise.all([run(['--help'], dir), run(['frobnicate'], dir)]);
    expect(r.code).toBe(0);
    for (const command of ['start', 'migrate', 'demo', 'stats']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(r.stdout).toContain('共建');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('frobnicate');
  });

  it('migrate applies the migrations once; a second run says the database is up to date', {
    timeout: SLOW,
  }, async () => {
    const first = await run(['migrate'], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('0001_foundation');
    const second = await run(['migrate'], dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('数据库已是最新');
    expect(second.stdout).toContain('already up to date');
  });

  it('demo load --json prints a summary with the seed figures', { timeout: SLOW }, async () => {
    const r = await run(['demo', 'load', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOf(r)).toMatchObject({
      countyCode: '369901',
      countyName: '青山县',
      townships: 15,
      villages: 124,
      committees: 29,
      branches: 344,
      villageBranches: 124,
      members: 8165,
      ruralMembers: 5165,
    });
  });

  it('a second demo load fails with a non-zero exit and says 演示县已存在', { timeout: SLOW }, async () => {
    const r = await run(['demo', 'load'], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('演示县已存在');
  });

  it('stats --json prints the county figures', { timeout: SLOW }, async () => {
    const r = await run(['stats', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const s = jsonOf(r);
    expect(s.orgs).toMatchObject({ committees: 29, branches: 344, villageBranches: 124 });
    expect(s.members).toMatchObject({ total: 8165, rural: 5165 });
    expect(s.org.name).toBe('中共青山县委员会');
  });

  it('stats for a person reads in Chinese with the same figures', { timeout: SLOW }, async () => {
    const r = await run(['stats', '--as-of', '2026-06-30'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('基层党(工)委');
    expect(r.stdout).toMatch(/基层党\(工\)委[\s　]+29\b/);
    expect(r.stdout).toMatch(/党员[\s　]+8165\b/);
    expect(r.stdout).toMatch(/其中农村党员[\s　]+5165\b/);
    expect(r.stdout).toContain('截至2026-06-30');
  });

  it('with a second county, stats needs --county (or GONGJIAN_COUNTY); the new county has no members', {
    timeout: SLOW,
  }, async () => {
    const created = await run(['county', 'create', '--code', '369903', '--name', '新县'], dir);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('新县');

    const ambiguous = await run(['stats'], dir);
    expect(ambiguous.code).not.toBe(0);
    expect(ambiguous.stderr).toContain('GONGJIAN_COUNTY');

    const fresh = await run(['stats', '--county', '369903', '--json'], dir);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(jsonOf(fresh).members.total).toBe(0);
    expect(jsonOf(fresh).org.name).toBe('中共新县委员会');

    const byEnv = await run(['stats', '--json'], dir, { GONGJIAN_COUNTY: '369901' });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect(jsonOf(byEnv).members.total).toBe(8165);

    const unknown = await run(['stats', '--county', '369999'], dir);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('369999');
  });

  it('a lock left by a process that no longer runs does not keep the data directory shut', {
    timeout: SLOW,
  }, async () => {
    const lock = join(dir, 'gongjian.lock');
    // A pid far above any pid_max in use.
    await writeFile(lock, '4194000');
    const r = await run(['stats', '--county', '369903', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('start on an empty directory loads the demo county, says so, and answers on its health endpoint', {
    timeout: 2 * SLOW,
  }, async () => {
    const port = await freePort();
    server = startServer(serverDir, port);
    const health = await waitUntilRunning(server, port);
    expect(health).toEqual({ status: 'ok', database: 'embedded' });
    expect(server.output()).toContain('已载入演示县');
    expect(server.output()).toContain('8165名党员');
  });

  it('while the server runs, a second command on its data directory fails naming the process (正被进程)', {
    timeout: SLOW,
  }, async () => {
    expect(server, 'the server of the previous test').toBeDefined();
    const r = await run(['stats'], serverDir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('正被进程');
    expect(r.stderr).toContain(String(server!.child.pid));
    // The refused command has not disturbed the server.
    expect(server!.child.exitCode).toBeNull();
  });

  it('the server stops cleanly on SIGTERM, releases its lock, and its data is still there', {
    timeout: SLOW,
  }, async () => {
    expect(server, 'the server of the previous tests').toBeDefined();
    server!.child.kill('SIGTERM');
    const { code } = await server!.exited;
    expect(code).toBe(0);
    expect(server!.output()).toContain('正在停止');
    expect(existsSync(join(serverDir, 'gongjian.lock'))).toBe(false);
    const r = await run(['stats', '--json'], serverDir);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOf(r).members).toMatchObject({ total: 8165, rural: 5165 });
  });

  it('start on a directory that already holds a county does not load the demo again', {
    timeout: 2 * SLOW,
  }, async () => {
    const port = await freePort();
    server = startServer(serverDir, port);
    await waitUntilRunning(server, port);
    expect(server.output()).not.toContain('已载入演示县');
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });

  it('start on a port already taken fails saying so, and leaves the data directory fit to open', {
    timeout: 2 * SLOW,
  }, async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const failed = startServer(serverDir, port);
      const { code } = await failed.exited;
      expect(code).not.toBe(0);
      expect(failed.output()).toContain('EADDRINUSE');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
    const r = await run(['stats', '--json'], serverDir);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonOf(r).members).toMatchObject({ total: 8165 });
  });
});
