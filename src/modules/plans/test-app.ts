import { testApp } from '../../../test/factories.ts';
import type { Database } from '../../db/database.ts';
import { appRoleName } from '../../db/rls.ts';
import { createGate } from '../http-context.ts';
import { type PublicityOptions, publicityRoutes } from '../publicity/routes.ts';
import { planRoutes } from './routes.ts';

/**
 * The app under test with the plans and publicity routes. Until src/app.ts registers them, this
 * registers them itself (with a gate of its own: the gate holds no state); once src/app.ts does, it
 * adds nothing and the tests run against the app as built. Test-only.
 */
export async function plansTestApp(database: Database, publicity: PublicityOptions = {}) {
  const app = await testApp(database);
  if (!app.raw.hasRoute({ method: 'GET', url: '/api/plans' })) {
    const gate = createGate({ db: database.db, appRole: await appRoleName(database.db), require2fa: false });
    await app.raw.register(planRoutes(gate.run));
    await app.raw.register(publicityRoutes(gate.run, database.db, publicity));
  }
  return app;
}
