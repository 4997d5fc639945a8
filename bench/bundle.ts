import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBuilt, WEB_DIST } from '../src/cli/web-build.ts';

/**
 * What each screen downloads, gzip-compressed as the server sends it: the staff app's first screens
 * (the entry, its static imports, and the screen's own lazily loaded chunk with its imports) and the
 * public notice page (server-rendered; its scripts, if any). Budgets from issue 5: public page under
 * 150 KB of JavaScript, the staff app's first screen under 600 KB.
 */

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

export const BUDGET = { publicPageKB: 150, firstScreenKB: 600 };

const gz = (file: string) => gzipSync(readFileSync(join(WEB_DIST, file)), { level: 9 }).length;

/** The JS and CSS files a chunk needs before it runs: itself and its static imports, transitively. */
function closure(manifest: Manifest, keys: string[]): { js: Set<string>; css: Set<string> } {
  const js = new Set<string>();
  const css = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const c = manifest[key];
    if (!c) throw new Error(`not in the build manifest: ${key}`);
    js.add(c.file);
    for (const f of c.css ?? []) css.add(f);
    for (const i of c.imports ?? []) visit(i);
  };
  for (const k of keys) visit(k);
  return { js, css };
}

export interface ScreenSize {
  screen: string;
  files: number;
  jsKB: number;
  cssKB: number;
  budgetKB: number;
}

export function screenSizes(): ScreenSize[] {
  const manifest = JSON.parse(readFileSync(join(WEB_DIST, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const entry = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
  if (!entry) throw new Error('no entry in the build manifest');
  const kb = (files: Set<string>) => Math.round(([...files].reduce((n, f) => n + gz(f), 0) / 1024) * 10) / 10;
  const screens: [string, string][] = [
    ['登录 sign-in', 'src/features/auth/sign-in.tsx'],
    ['工作台 home', 'src/features/home/home.tsx'],
    ['登记走访 visit logging', 'src/features/visits/log-visit.tsx'],
    ['统计看板 dashboard (+ECharts)', 'src/features/dashboard/dashboard.tsx'],
  ];
  return screens.map(([screen, page]) => {
    const keys = [entry, page];
    if (page.includes('dashboard')) keys.push('src/components/echarts-core.ts');
    const { js, css } = closure(manifest, keys);
    return { screen, files: js.size, jsKB: kb(js), cssKB: kb(css), budgetKB: BUDGET.firstScreenKB };
  });
}

export async function bundleReport(): Promise<ScreenSize[]> {
  await ensureWebBuilt({ quiet: true });
  // The public notice page is rendered by the server without any script (publicity routes test
  // asserts there is no <script>), so it downloads 0 KB of JavaScript whatever the web build weighs.
  return [
    {
      screen: '公示页 public notice (server-rendered)',
      files: 0,
      jsKB: 0,
      cssKB: 0,
      budgetKB: BUDGET.publicPageKB,
    },
    ...screenSizes(),
  ];
}

export function formatBundle(rows: ScreenSize[]): string {
  const lines = [
    'screen | JS files | JS gzip KB | CSS gzip KB | budget KB | within',
    '--- | ---: | ---: | ---: | ---: | ---',
  ];
  for (const r of rows) {
    lines.push(
      `${r.screen} | ${r.files} | ${r.jsKB} | ${r.cssKB} | ${r.budgetKB} | ${r.jsKB <= r.budgetKB ? 'yes' : 'NO'}`,
    );
  }
  return lines.join('\n');
}

if (process.argv.some((a) => a.endsWith(`bench${'/'}bundle.ts`))) {
  const rows = await bundleReport();
  console.log(formatBundle(rows));
  if (rows.some((r) => r.jsKB > r.budgetKB)) process.exitCode = 1;
}
