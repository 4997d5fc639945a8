import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.ts';

/** Paths the server answers itself; anything else a browser asks for is the web app's (its router decides). */
const SERVER_PREFIXES = ['/api/', '/public/', '/cards/'];

/**
 * Serves the built web app (web/dist): hashed assets cached for a year, pre-compressed .gz files
 * when the client accepts them, and index.html for every other page a browser asks for. Without a
 * build, only the API answers (tests, `DATABASE_URL` servers run headless).
 */
export async function serveWebApp(app: FastifyInstance, distDir: string | undefined) {
  const hasBuild = !!distDir && existsSync(join(distDir, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root: distDir,
      prefix: '/',
      wildcard: true,
      // The bare root is a directory to the static handler: without an index it answered 403.
      index: ['index.html'],
      preCompressed: true,
      // @fastify/static 10 hands over the reply (its types still say a raw response).
      setHeaders(res: unknown, path: string) {
        (res as { header(name: string, value: string): void }).header(
          'Cache-Control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  // Browsers ask every site for /favicon.ico; our pages name their icon, and a 404 here would be a
  // console error on every public page opened from a link.
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
    reply.status(204).header('Cache-Control', 'public, max-age=86400').send(),
  );
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const wantsPage =
      request.method === 'GET' &&
      !SERVER_PREFIXES.some((p) => path.startsWith(p)) &&
      String(request.headers.accept ?? '').includes('text/html');
    if (hasBuild && wantsPage) {
      return reply
        .header('Cache-Control', 'no-cache')
        .type('text/html; charset=utf-8')
        .sendFile('index.html');
    }
    return reply
      .status(404)
      .send(new AppError(404, 'not_found', `没有这个地址：${path}`, `no such address: ${path}`).toJSON());
  });
}
