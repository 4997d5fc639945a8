import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { enterScope } from '../db/rls.ts';
import type { DB } from '../db/schema.ts';
import { type Action, ROLE_LABELS, type Role, type Scope, scopeOf } from '../domain/access.ts';
import { AppError } from '../platform/errors.ts';
import { recordAuditAlone } from './audit/service.ts';
import type { SessionInfo } from './auth/service.ts';
import type { ServiceContext } from './context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionInfo | null;
  }
}

/**
 * How a route runs its use case: `run(request, action, ctx => service(ctx, …))`.
 * It requires a session, checks the access table for the action (403 if the role may not), and
 * runs the use case in one transaction narrowed by row-level security to the user's subtree, so a
 * record outside it is simply not found (404).
 */
export type Run = <T>(
  request: FastifyRequest,
  action: Action,
  fn: (ctx: ServiceContext) => Promise<T>,
) => Promise<T>;

/**
 * Who must have a second factor on before doing anything else: the roles listed, or `true` for
 * county administrators only (what GONGJIAN_REQUIRE_2FA=1 always meant), or `false` for nobody.
 */
export type TwoFactorPolicy = boolean | readonly Role[];

export const mustUseTotp = (policy: TwoFactorPolicy, role: Role) =>
  policy === true ? role === 'county_admin' : policy !== false && policy.includes(role);

export interface RunnerOptions {
  db: Kysely<DB>;
  appRole: string;
  require2fa: TwoFactorPolicy;
}

export const unauthenticated = () => new AppError(401, 'unauthenticated', '请先登录', 'please sign in');

/** Why a signed-in session may only change its password or set up 2FA, if it must. */
export function sessionRestriction(session: SessionInfo, require2fa: TwoFactorPolicy): AppError | null {
  if (session.mustChangePassword) {
    return new AppError(
      403,
      'password_change_required',
      '首次登录请先修改密码',
      'change your one-time password first',
    );
  }
  const role = session.actor.role;
  if (!session.totpEnabled && mustUseTotp(require2fa, role)) {
    return new AppError(
      403,
      'totp_setup_required',
      `${ROLE_LABELS[role].zh}须先绑定身份验证器`,
      `${ROLE_LABELS[role].en} accounts must set up two-factor sign-in first`,
    );
  }
  return null;
}

/** Checks a request may perform an action at all: a session, no pending restriction, a grant. */
export type Authorize = (
  request: FastifyRequest,
  action: Action,
) => Promise<{ session: SessionInfo; scope: Scope }>;

export interface Gate {
  run: Run;
  authorize: Authorize;
  appRole: string;
}

export function createGate({ db, appRole, require2fa }: RunnerOptions): Gate {
  const authorize: Authorize = async (request, action) => {
    const session = request.session;
    if (!session) throw unauthenticated();
    const restricted = sessionRestriction(session, require2fa);
    if (restricted) throw restricted;
    const scope = scopeOf(session.actor.role, action);
    if (!scope) {
      await recordAuditAlone(
        db,
        session.countyId,
        { userId: session.actor.userId, username: session.actor.username, ip: request.ip },
        {
          action: 'access.denied',
          result: 'denied',
          details: { action, route: request.routeOptions.url ?? request.url.split('?')[0] },
        },
      );
      throw new AppError(403, 'forbidden', '无权进行此操作', 'you are not allowed to do this');
    }
    return { session, scope };
  };
  const run: Run = async (request, action, fn) => {
    const { session, scope } = await authorize(request, action);
    return db.transaction().execute(async (trx) => {
      await enterScope(trx, appRole, session.countyId, session.actor.orgPath);
      return fn({ db: trx, countyId: session.countyId, actor: session.actor, scope, ip: request.ip });
    });
  };
  return { run, authorize, appRole };
}
