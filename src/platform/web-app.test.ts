import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebApp } from './web-app.ts';

describe('serving the built web app', () => {
  const dist = mkdtempSync(join(tmpdir(), 'gj-web-dist-'));
  const app = Fastify();
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>共建</title>');
    writeFileSync(join(dist, 'assets', 'main-abc123.js'), 'console.log(1)');
    await serveWebApp(app, dist);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });
  const get = (url: string, accept = 'text/html') => app.inject({ method: 'GET', url, headers: { accept } });

  it('answers the bare root, the address people type, with the app and not a 403', async () => {
    for (const accept of ['text/html', '*/*']) {
      const r = await get('/', accept);
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('<title>共建</title>');
      expect(r.headers['cache-control']).toBe('no-cache');
    }
  });

  it('answers any other page with the app, caches hashed assets for a year, and keeps API misses JSON', async () => {
    const page = await get('/pairings/12');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>共建</title>');
    const asset = await get('/assets/main-abc123.js', '*/*');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const api = await get('/api/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
