import { resolve } from 'node:path';
import { ROLES, type Role } from '../domain/access.ts';
import type { PublicLoadLimits } from './public-guard.ts';

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
  /** Roles that must use a TOTP second factor (GONGJIAN_REQUIRE_2FA); `true` = county administrators. */
  require2fa: boolean | readonly Role[];
  /** Sign-in attempts allowed per client address per minute before 429. */
  signInPerMinute: number;
  /** Behind a reverse proxy: trust X-Forwarded-* for the client address and https. */
  trustProxy: boolean;
  /** GONGJIAN_SECRET_KEY: seals TOTP secrets; the embedded database can use a key file instead. */
  secretKey: Buffer | undefined;
  /** Limits in front of the public pages and API (per address per minute, in flight, event-loop delay). */
  publicLoad: PublicLoadLimits;
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
    require2fa: parseRequire2fa(env.GONGJIAN_REQUIRE_2FA),
    signInPerMinute: Number(env.GONGJIAN_SIGNIN_PER_MINUTE ?? 20),
    trustProxy: env.TRUST_PROXY === '1',
    publicLoad: {
      perMinute: count(env, 'GONGJIAN_PUBLIC_PER_MINUTE', 300),
      maxInFlight: count(env, 'GONGJIAN_PUBLIC_MAX_IN_FLIGHT', 32),
      maxEventLoopDelayMs: count(env, 'GONGJIAN_MAX_EVENT_LOOP_DELAY_MS', 500),
    },
    secretKey: env.GONGJIAN_SECRET_KEY
      ? decodeSecretKey(env.GONGJIAN_SECRET_KEY, 'GONGJIAN_SECRET_KEY')
      : undefined,
  };
}

/**
 * GONGJIAN_REQUIRE_2FA: unset, empty or `0` for nobody; `1` for county administrators (as before);
 * `all`; or role codes separated by commas (`county_admin,committee_staff`). An unknown word stops
 * the start rather than leaving accounts unprotected by a typo.
 */
export function parseRequire2fa(value: string | undefined): readonly Role[] {
  const v = (value ?? '').trim();
  if (v === '' || v === '0') return [];
  if (v === '1') return ['county_admin'];
  if (v === 'all') return ROLES;
  const words = v
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  const unknown = words.filter((w) => !(ROLES as readonly string[]).includes(w));
  if (unknown.length) {
    throw new Error(
      `GONGJIAN_REQUIRE_2FA: 未知角色 / unknown role "${unknown.join(',')}"; use 1, all, or some of ${ROLES.join(',')}`,
    );
  }
  return [...new Set(words)] as Role[];
}

/** A 32-byte key written in base64 (`openssl rand -base64 32`), from the environment or a key file. */
export function decodeSecretKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32 || key.toString('base64') !== text.trim()) {
    throw new Error(
      `${where}: 须为32字节密钥的base64编码 / must be 32 bytes in base64 (openssl rand -base64 32)`,
    );
  }
  return key;
}

/** A whole number ≥ 0 from the environment (0 switches the limit off), or the default when unset. */
function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} 须为非负整数 / must be a whole number ≥ 0, got "${raw}"`);
  return n;
}
