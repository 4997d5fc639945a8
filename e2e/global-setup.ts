import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type RunningApp, startApp } from './helpers/server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
  }
}

/** One platform for every e2e file: `npm start` on a fresh embedded database with the demo county. */
export default async function setup(project: TestProject) {
  const app: RunningApp = await startApp();
  project.provide('appUrl', app.url);
  return async () => {
    const logs = join(process.cwd(), 'test-results', 'logs');
    mkdirSync(logs, { recursive: true });
    writeFileSync(join(logs, 'e2e-server.log'), app.output());
    await app.stop();
  };
}
