import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Run } from '../http-context.ts';
import { StatsQuery, StructureStats } from './schemas.ts';
import { getStructureStats } from './service.ts';

export const statsRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/stats/structure',
      {
        schema: {
          tags: ['stats'],
          summary: '结构统计（性别、年龄、学历、领域）/ Structure statistics of a subtree',
          querystring: StatsQuery,
          response: { 200: StructureStats },
        },
      },
      async (req) => run(req, 'stats.read', (ctx) => getStructureStats(ctx, req.query.org, req.query.asOf)),
    );
  };
