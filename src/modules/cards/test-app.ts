import { testApp } from '../../../test/factories.ts';
import type { Database } from '../../db/database.ts';
import { appRoleName } from '../../db/rls.ts';
import { createGate } from '../http-context.ts';
import { cardRoutes } from './routes.ts';

/**
 * The app under test with the card and register routes. Until src/app.ts registers them, this
 * registers them itself (with a gate of its own: the gate holds no state); once src/app.ts does, it
 * adds nothing. Photos are kept in the database (stored_files), not in the data directory.
 * Test-only.
 */
export async function cardsTestApp(database: Database) {
  const app = await testApp(database);
  if (!app.raw.hasRoute({ method: 'GET', url: '/api/pairings/:id/register' })) {
    const gate = createGate({ db: database.db, appRole: await appRoleName(database.db), require2fa: false });
    await app.raw.register(cardRoutes(gate.run));
  }
  return app;
}
