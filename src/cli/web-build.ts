import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_DIR = join(ROOT, 'web');
/** Where the build goes and is served from; GONGJIAN_WEB_DIST moves it (several checkouts' servers side by side). */
export const WEB_DIST = process.env.GONGJIAN_WEB_DIST || join(WEB_DIR, 'dist');
const stampOf = (outDir: string) => join(outDir, '.build-hash');

/** Everything the bundle is made from: the web sources, the server code it imports (schemas, domain), the lockfile, this builder. */
const INPUTS = [
  'src/cli/web-build.ts',
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'src/domain',
  'src/modules',
  'package-lock.json',
];

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  const st = statSync(path);
  if (st.isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

export function sourceHash(): string {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap((p) => files(join(ROOT, p)))) {
    if (f.endsWith('.test.ts')) continue;
    h.update(relative(ROOT, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

export const webBuildIsCurrent = (outDir = WEB_DIST) =>
  existsSync(stampOf(outDir)) && readFileSync(stampOf(outDir), 'utf8') === sourceHash();

/** Gzip copies beside the files, so the server sends them compressed without compressing per request. */
function precompress(dir: string) {
  for (const f of files(dir)) {
    if (/\.(js|css|html|svg|json)$/.test(f))
      writeFileSync(`${f}.gz`, gzipSync(readFileSync(f), { level: 9 }));
  }
}

/**
 * Builds the web app into web/dist (or `outDir`) unless the build there was made from the same
 * sources. Returns whether it built.
 */
export async function ensureWebBuilt({
  force = false,
  quiet = false,
  outDir = WEB_DIST,
} = {}): Promise<boolean> {
  if (!force && webBuildIsCurrent(outDir)) return false;
  const hash = sourceHash();
  if (!quiet) console.log('正在构建网页端… / building the web app…');
  const started = Date.now();
  const { build } = await import('vite');
  // Vite takes React's build (production or development) from NODE_ENV when it is set, and test
  // runners set it to "test": the bundle people download is always the production one.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(WEB_DIR, 'vite.config.ts'),
      mode: 'production',
      logLevel: quiet ? 'silent' : 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  precompress(outDir);
  writeFileSync(stampOf(outDir), hash);
  if (!quiet) console.log(`网页端已构建（${((Date.now() - started) / 1000).toFixed(1)}秒）/ web app built`);
  return true;
}
