import { resolve } from 'node:path';

/** Everything the process reads from its environment, read once at the edge. */
export interface Config {
  port: number;
  host: string;
  /** Embedded database directory (PGlite); ignored when databaseUrl is set. */
  dataDir: string;
  /** A PostgreSQL server; when set, the embedded database is not used. */
  databaseUrl: string | undefined;
  logLevel: string;
  /** County code used by the API while only one county is served by this process. */
  countyCode: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.GONGJIAN_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    countyCode: env.GONGJIAN_COUNTY || undefined,
  };
}
