import { join } from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import type { Database } from './db/database.ts';
import type { ServiceContext } from './modules/context.ts';
import { resolveServedCounty } from './modules/counties/service.ts';
import { householdRoutes } from './modules/households/routes.ts';
import type { ContextOf } from './modules/http-context.ts';
import { importRoutes } from './modules/imports/routes.ts';
import { memberRoutes } from './modules/members/routes.ts';
import { orgRoutes } from './modules/orgs/routes.ts';
import { placeRoutes } from './modules/places/routes.ts';
import { statsRoutes } from './modules/stats/routes.ts';
import { systemRoutes } from './modules/system/routes.ts';
import type { Config } from './platform/config.ts';
import { createHttpServer } from './platform/http.ts';

export interface AppDeps {
  database: Database;
  config: Pick<Config, 'countyCode' | 'logLevel' | 'dataDir'>;
  fastify?: FastifyServerOptions;
}

/**
 * The composition root: infrastructure first, then every module's routes. Separate from listen()
 * so tests drive it with inject().
 */
export async function buildApp({ database, config, fastify }: AppDeps) {
  const app = await createHttpServer({ logLevel: config.logLevel, ...(fastify && { fastify }) });

  let countyId: number | undefined;
  const ctxOf: ContextOf = async (): Promise<ServiceContext> => {
    countyId ??= (await resolveServedCounty(database.db, config.countyCode)).id;
    return { db: database.db, countyId };
  };

  await app.register(systemRoutes(database));
  await app.register(orgRoutes(ctxOf));
  await app.register(placeRoutes(ctxOf));
  await app.register(memberRoutes(ctxOf));
  await app.register(householdRoutes(ctxOf));
  await app.register(statsRoutes(ctxOf));
  await app.register(importRoutes(database, ctxOf, join(config.dataDir, 'uploads')));
  return app;
}
