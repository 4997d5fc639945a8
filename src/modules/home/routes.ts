import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Run } from '../http-context.ts';
import { Home, HomeQuery } from './schemas.ts';
import { home } from './service.ts';

export const homeRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/home',
      {
        schema: {
          tags: ['system'],
          summary: '工作台：待我处理的事项 / Home: what needs me',
          querystring: HomeQuery,
          response: { 200: Home },
        },
      },
      // Every role has org.read; each section then runs with the scope of its own action.
      async (req) => run(req, 'org.read', (ctx) => home(ctx)),
    );
  };
