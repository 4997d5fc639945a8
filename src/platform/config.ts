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
  /** County administrators must use a TOTP second factor (GONGJIAN_REQUIRE_2FA=1). */
  require2fa: boolean;
  /** Sign-in attempts allowed per client address per minute before 429. */
  signInPerMinute: number;
  /** Behind a reverse proxy: trust X-Forwarded-* for the client address and https. */
  trustProxy: boolean;
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
    require2fa: env.GONGJIAN_REQUIRE_2FA === '1',
    signInPerMinute: Number(env.GONGJIAN_SIGNIN_PER_MINUTE ?? 20),
    trustProxy: env.TRUST_PROXY === '1',
  };
}
