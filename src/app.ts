import { join } from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import type { Database } from './db/database.ts';
import { appRoleName } from './db/rls.ts';
import { assessmentRoutes } from './modules/assessment/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { authRoutes, installSessions } from './modules/auth/routes.ts';
import { cardRoutes } from './modules/cards/routes.ts';
import { resolveServedCounty } from './modules/counties/service.ts';
import { moveInPhotos } from './modules/files/move-in.ts';
import { homeRoutes } from './modules/home/routes.ts';
import { householdRoutes } from './modules/households/routes.ts';
import { createGate } from './modules/http-context.ts';
import { importRoutes } from './modules/imports/routes.ts';
import { inspectionRoutes } from './modules/inspections/routes.ts';
import { ledgerRoutes } from './modules/ledgers/routes.ts';
import { memberRoutes } from './modules/members/routes.ts';
import { orgRoutes } from './modules/orgs/routes.ts';
import { pairingRoutes } from './modules/pairings/routes.ts';
import { placeRoutes } from './modules/places/routes.ts';
import { planRoutes } from './modules/plans/routes.ts';
import { renderMessagePage } from './modules/publicity/html.ts';
import { publicityRoutes } from './modules/publicity/routes.ts';
import { reportRoutes } from './modules/reports/routes.ts';
import { statsRoutes } from './modules/stats/routes.ts';
import { systemRoutes } from './modules/system/routes.ts';
import { userRoutes } from './modules/users/routes.ts';
import type { Config } from './platform/config.ts';
import { createHttpServer } from './platform/http.ts';
import { installPublicGuards } from './platform/public-guard.ts';
import { serveWebApp } from './platform/web-app.ts';

export interface AppDeps {
  database: Database;
  config: Pick<
    Config,
    'countyCode' | 'logLevel' | 'dataDir' | 'require2fa' | 'signInPerMinute' | 'trustProxy'
  > &
    /** Without publicLoad (tests that build the app themselves) public routes are not limited. */
    Partial<Pick<Config, 'secretKey' | 'publicLoad'>>;
  fastify?: FastifyServerOptions;
  logStream?: NodeJS.WritableStream;
  /** The built web app (web/dist) to serve; without it only the API and server pages answer. */
  webDist?: string;
}

/**
 * The composition root: infrastructure first (HTTP server, sessions and CSRF), then every module's
 * routes. Separate from listen() so tests drive it with inject().
 */
export async function buildApp({ database, config, fastify, logStream, webDist }: AppDeps) {
  const app = await createHttpServer({
    logLevel: config.logLevel,
    ...(logStream && { logStream }),
    fastify: { trustProxy: config.trustProxy, ...fastify },
  });
  const db = database.db;
  const gate = createGate({ db, appRole: await appRoleName(db), require2fa: config.require2fa });
  const fallbackCountyId = async () =>
    (await resolveServedCounty(db, config.countyCode).catch(() => undefined))?.id;

  // Before the session look-up: a refused public request costs no database work.
  if (config.publicLoad) await installPublicGuards(app, { ...config.publicLoad, page: renderMessagePage });
  await installSessions(app, db);
  await app.register(systemRoutes(database));
  await app.register(
    authRoutes({
      db,
      require2fa: config.require2fa,
      fallbackCountyId,
      signInLimit: { perMinute: config.signInPerMinute },
      totpKey: { configured: config.secretKey, databaseKind: database.kind, dataDir: config.dataDir },
    }),
  );
  await app.register(userRoutes(gate.run));
  await app.register(auditRoutes(gate.run));
  await app.register(orgRoutes(gate.run));
  await app.register(placeRoutes(gate.run));
  await app.register(memberRoutes(gate.run));
  await app.register(householdRoutes(gate.run));
  await app.register(statsRoutes(gate.run));
  await app.register(pairingRoutes(gate.run));
  await app.register(planRoutes(gate.run));
  await app.register(publicityRoutes(gate.run, db));
  // Photos live in the database; an install from before kept them here: moved in once.
  await moveInPhotos(db, join(config.dataDir, 'photos'), app.log);
  await app.register(cardRoutes(gate.run));
  await app.register(inspectionRoutes(gate.run));
  // Finished exports live in the database; the data directory only holds one while it is written.
  await app.register(ledgerRoutes(db, gate, join(config.dataDir, 'exports')));
  await app.register(importRoutes(database, gate, join(config.dataDir, 'uploads')));
  await app.register(assessmentRoutes(gate.run, db));
  await app.register(reportRoutes(gate.run));
  await app.register(homeRoutes(gate.run));
  await serveWebApp(app, webDist);
  return app;
}
