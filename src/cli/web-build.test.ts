import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt, webBuildIsCurrent } from './web-build.ts';

describe('building the web app', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'gj-web-build-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('builds React for production even when the test runner set NODE_ENV=test, and leaves NODE_ENV as it was', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    expect(await ensureWebBuilt({ force: true, quiet: true, outDir })).toBe(true);
    expect(process.env.NODE_ENV).toBe('test');
    const js = readdirSync(join(outDir, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(outDir, 'assets', f), 'utf8'))
      .join('\n');
    expect(js.includes('createRoot')).toBe(true);
    // Only React's development build carries these (matched as booleans: a bundle is too long to print).
    const devOnly = ['Download the React DevTools', 'react-stack-bottom-frame'].filter((s) => js.includes(s));
    expect(devOnly).toEqual([]);
  });

  it('builds again only when its sources changed', async () => {
    expect(webBuildIsCurrent(outDir)).toBe(true);
    expect(await ensureWebBuilt({ quiet: true, outDir })).toBe(false);
  });
});
