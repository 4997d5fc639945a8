import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import type { DB } from '../src/db/schema.ts';
import type { Role } from '../src/domain/access.ts';
import { makeIdNumber } from '../src/domain/idcard.ts';
import type { ServiceContext } from '../src/modules/context.ts';
import { createCounty, resolveServedCounty } from '../src/modules/counties/service.ts';
import type { CreateHouseholdInput } from '../src/modules/households/schemas.ts';
import { createHousehold } from '../src/modules/households/service.ts';
import type { CreateMemberInput } from '../src/modules/members/schemas.ts';
import { createMember } from '../src/modules/members/service.ts';
import type { CreateOrgInput } from '../src/modules/orgs/schemas.ts';
import { createOrg } from '../src/modules/orgs/service.ts';
import type { CreatePlaceInput } from '../src/modules/places/schemas.ts';
import { createPlace } from '../src/modules/places/service.ts';
import { createAccountWithPassword } from '../src/modules/users/service.ts';
import type { PublicLoadLimits } from '../src/platform/public-guard.ts';

/**
 * Factories build through the services (so the rules hold) and fill in only what a test did not
 * pass: plausible names, valid and unique ID numbers.
 */
let counter = 0;
const next = () => ++counter;

export async function makeCounty(db: Kysely<DB>, input: Partial<{ code: string; name: string }> = {}) {
  const n = next();
  const { county, rootOrg } = await createCounty(db, {
    code: input.code ?? String(369000 + (n % 1000)).padStart(6, '0'),
    name: input.name ?? `测试${n}县`,
  });
  const ctx: ServiceContext = { db, countyId: county.id };
  const countyPlace = await db
    .selectFrom('places')
    .select('id')
    .where('county_id', '=', county.id)
    .executeTakeFirstOrThrow();
  return { ctx, county, rootOrg, countyPlaceId: countyPlace.id };
}

export const makePlace = (ctx: ServiceContext, input: Partial<CreatePlaceInput> & { parentId: number }) =>
  createPlace(ctx, { kind: 'town', name: `${next()}号镇`, ...input });

export const makeOrg = (ctx: ServiceContext, input: Partial<CreateOrgInput> & { parentId: number }) =>
  createOrg(ctx, { name: `测试党组织${next()}`, kind: 'branch', sector: 'rural', ...input });

export function idNumberFor(birthDate = '1975-06-15', gender: 'male' | 'female' = 'male') {
  const seq = (next() * 2 + (gender === 'male' ? 1 : 0)) % 1000;
  return makeIdNumber('369901', birthDate, seq);
}

export const makeMember = (ctx: ServiceContext, input: Partial<CreateMemberInput> & { orgId: number }) =>
  createMember(ctx, {
    name: `党员${next()}`,
    idNumber: idNumberFor(input.birthDate, input.gender),
    joinDate: '2000-07-01',
    fullMemberDate: '2001-07-01',
    ...input,
  });

export const makeHousehold = (
  ctx: ServiceContext,
  input: Partial<CreateHouseholdInput> & { villageId: number },
) => createHousehold(ctx, { headName: `户主${next()}`, category: 'ordinary', ...input });

/** A township with two villages, each with its branch; the shape most tests need. */
export async function makeTownship(
  ctx: ServiceContext,
  rootOrgId: number,
  countyPlaceId: number,
  name = `${next()}镇`,
) {
  const town = await makePlace(ctx, { parentId: countyPlaceId, kind: 'town', name });
  const committee = await makeOrg(ctx, {
    parentId: rootOrgId,
    name: `中共${name}委员会`,
    shortName: `${name}党委`,
    kind: 'party_committee',
    sector: 'agency',
    placeId: town.id,
  });
  const villages = [];
  for (const v of ['东山村', '西坪村']) {
    const village = await makePlace(ctx, { parentId: town.id, kind: 'village', name: v });
    const branch = await makeOrg(ctx, {
      parentId: committee.id,
      name: `${name}${v}党支部`,
      shortName: `${v}党支部`,
      kind: 'branch',
      sector: 'rural',
      placeId: village.id,
    });
    villages.push({ village, branch });
  }
  return { town, committee, villages };
}

/**
 * Every test server logs at info level into test-results/logs/, and the run's teardown
 * (test/global-setup.ts) fails the run if any log holds an ID number, a phone, a password or a
 * session token.
 */
/** How many rows a county table holds: a refused request must leave it as it was. */
export const countyRowCount = async (db: Kysely<DB>, countyId: number, table: string) =>
  (
    await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE county_id = ${countyId}`.execute(db)
  ).rows[0]!.n;

/** The county's audit records of one action, oldest first. */
export const countyAudits = (db: Kysely<DB>, countyId: number, action: string) =>
  db
    .selectFrom('audit_log')
    .select(['action', 'target_type', 'target_id', 'details', 'username'])
    .where('county_id', '=', countyId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();

export const TEST_LOG_DIR = join(process.cwd(), 'test-results', 'logs');
let logStream: NodeJS.WritableStream | undefined;
function testLogStream() {
  if (!logStream) {
    mkdirSync(TEST_LOG_DIR, { recursive: true });
    logStream = createWriteStream(join(TEST_LOG_DIR, `${process.pid}.log`), { flags: 'a' });
  }
  return logStream;
}

export interface TestAppOptions {
  countyCode?: string;
  /** true: county administrators (GONGJIAN_REQUIRE_2FA=1); or the roles that must use 2FA. */
  require2fa?: boolean | readonly Role[];
  signInPerMinute?: number;
  /** The limits in front of the public routes; none unless a test asks. */
  publicLoad?: PublicLoadLimits;
}

export const TEST_PASSWORD = 'Gongjian-test-2026!';
/** GONGJIAN_SECRET_KEY of the test apps: one per test process. */
export const TEST_SECRET_KEY = randomBytes(32);

/**
 * The app under test, with a client that signs in on first use. `inject` acts as a county
 * administrator of the county under test; `as(role, orgId)` gives clients for other roles;
 * `raw` is the server itself, signed in as nobody.
 */
export async function testApp(database: Database, options: TestAppOptions | string = {}) {
  if (typeof options === 'string') options = { countyCode: options };
  const opts = options;
  const dataDir = join(tmpdir(), `gongjian-test-${process.pid}-${next()}`);
  const raw = await buildApp({
    database,
    logStream: testLogStream(),
    config: {
      countyCode: opts.countyCode,
      logLevel: process.env.TEST_LOG_LEVEL ?? 'info',
      dataDir,
      require2fa: opts.require2fa ?? false,
      signInPerMinute: opts.signInPerMinute ?? 10_000,
      trustProxy: false,
      // A server database has no key file: 2FA there needs a configured key, as in production.
      secretKey: TEST_SECRET_KEY,
      ...(opts.publicLoad && { publicLoad: opts.publicLoad }),
    },
  });
  let admin: TestClient | undefined;
  const as = async (role: Role, orgId?: number, memberId?: number | null) => {
    const county = await resolveServedCounty(database.db, opts.countyCode);
    const root = await database.db
      .selectFrom('orgs')
      .select('id')
      .where('county_id', '=', county.id)
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const username = `t${role.slice(0, 6)}${next()}`;
    await createAccountWithPassword(
      database.db,
      county.id,
      { username, displayName: `测试${role}`, orgId: orgId ?? root.id, memberId: memberId ?? null, role },
      TEST_PASSWORD,
    );
    return signIn(raw, username, TEST_PASSWORD);
  };
  return {
    raw,
    as,
    dataDir,
    inject: async (opts: InjectOptions) => {
      admin ??= await as('county_admin');
      return admin.inject(opts);
    },
    close: () => raw.close(),
  };
}

export interface TestClient {
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  csrfToken: string;
  cookie: string;
}

/** Signs in through the API and returns a client that sends the session cookie and CSRF token. */
export async function signIn(raw: FastifyInstance, account: string, password: string): Promise<TestClient> {
  const res = await raw.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { account, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${account} failed: ${res.statusCode} ${res.body}`);
  const cookie = String(res.headers['set-cookie']).split(';')[0]!;
  const csrfToken = res.json().csrfToken as string;
  return {
    cookie,
    csrfToken,
    inject: (opts: InjectOptions) =>
      raw.inject({
        ...opts,
        headers: { cookie, 'x-csrf-token': csrfToken, ...(opts.headers ?? {}) },
      } as InjectOptions),
  };
}
