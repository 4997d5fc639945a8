import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { ACTIONS, can, ROLE_LABELS } from '../../domain/access.ts';
import { AppError } from '../../platform/errors.ts';
import { sessionRestriction, type TwoFactorPolicy, unauthenticated } from '../http-context.ts';
import { RateLimiter } from './rate-limit.ts';
import {
  ChangePasswordInput,
  Me,
  Ok,
  ResetPasswordInput,
  SignInInput,
  TotpEnableInput,
  TotpSetup,
} from './schemas.ts';
import * as auth from './service.ts';
import { type KeyringOptions, totpKeyring } from './totp-key.ts';

/** The session cookie over plain http (local use, tests, a proxy that is not trusted). */
export const SESSION_COOKIE = 'gj_session';
/**
 * Over https the browser keeps a `__Host-` cookie only if it is Secure, has Path=/ and no Domain,
 * so no sibling host under the same domain can set or overwrite it (cookie tossing).
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** Each scheme reads only its own name: over https a plain-named cookie may come from a sibling host. */
const sessionCookieName = (request: FastifyRequest) =>
  request.protocol === 'https' ? SECURE_SESSION_COOKIE : SESSION_COOKIE;

export interface AuthRouteOptions {
  db: Kysely<DB>;
  require2fa: TwoFactorPolicy;
  /** The county a failed sign-in of an unknown account is recorded in, if one can be told. */
  fallbackCountyId: () => Promise<number | undefined>;
  signInLimit?: { perMinute: number };
  /** Where the key that seals TOTP secrets comes from (see totp-key.ts). */
  totpKey: KeyringOptions;
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string | null) {
  reply.setCookie(sessionCookieName(request), token ?? '', {
    path: '/',
    httpOnly: true,
    // Lax, not Strict: a link opened from a WeChat message must arrive signed in (docs/SECURITY.md).
    sameSite: 'lax',
    secure: request.protocol === 'https',
    ...(token === null && { maxAge: 0 }),
  });
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Reachable without a session: sign-in, reset with a token, and everything public. */
const NO_SESSION_PATHS = ['/api/auth/sign-in', '/api/auth/reset-password'];

/**
 * Installed on the root server (hooks inside a plugin would reach only that plugin's routes):
 * reads the session cookie of every request, and protects against cross-site request forgery: every state-changing request must
 * come from our own origin (the Origin header, when sent, must match the host) and, when signed in,
 * carry the session's token in X-CSRF-Token. See docs/SECURITY.md.
 */
export async function installSessions(app: FastifyInstance, db: Kysely<DB>) {
  // @fastify/cookie decodes leniently: a malformed value (`%E0%A4%A`) stays as sent, finds no
  // session, and so counts as signed out instead of failing the request.
  await app.register(cookie);
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[sessionCookieName(request)];
    request.session = token ? await auth.getSession(db, token) : null;
    if (!STATE_CHANGING.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin && origin !== `${request.protocol}://${request.host}`) {
      throw new AppError(403, 'bad_origin', '请求来源不符', 'cross-origin request refused');
    }
    // The route matched, not the raw URL: "/%61pi/…" reaches the same route and the same checks.
    const route = request.routeOptions.url ?? '';
    if (route.startsWith('/api/public/') || route.startsWith('/public/') || NO_SESSION_PATHS.includes(route))
      return;
    if (request.session && request.headers['x-csrf-token'] !== request.session.csrfToken) {
      throw new AppError(
        403,
        'bad_csrf',
        '页面已过期，请刷新后重试',
        'missing or wrong X-CSRF-Token; reload the page',
      );
    }
  });
}

export const authRoutes =
  (options: AuthRouteOptions): FastifyPluginAsyncZod =>
  async (app) => {
    const limiter = new RateLimiter(options.signInLimit?.perMinute ?? 20, 60_000);
    const keyring = totpKeyring(options.totpKey);
    const required =
      options.require2fa === true || (Array.isArray(options.require2fa) && options.require2fa.length > 0);
    const prepared = await auth.prepareTotpSecrets(options.db, keyring, required);
    if (prepared.sealed)
      app.log.info({ sealed: prepared.sealed }, 'TOTP secrets stored in plain text were sealed');
    if (prepared.plainLeft) {
      app.log.warn(
        { plain: prepared.plainLeft },
        'TOTP secrets stay in plain text: set GONGJIAN_SECRET_KEY to seal them (docs/SECURITY.md)',
      );
    }

    /** Answers 429 with Retry-After at once, before any password is hashed. */
    const limit = (req: FastifyRequest, reply: FastifyReply) => {
      if (limiter.take(req.ip)) return;
      reply.header('Retry-After', String(limiter.retryAfterSeconds(req.ip)));
      throw new AppError(
        429,
        'rate_limited',
        '尝试次数过多，请稍后再试',
        'too many attempts; try again later',
      );
    };
    const tags = ['auth'];
    const me = (s: auth.SessionInfo) => ({
      userId: s.actor.userId,
      username: s.actor.username,
      displayName: s.displayName,
      role: s.actor.role,
      roleLabel: ROLE_LABELS[s.actor.role].zh,
      orgId: s.actor.orgId,
      orgName: s.orgName,
      countyCode: s.countyCode,
      memberId: s.actor.memberId,
      mustChangePassword: s.mustChangePassword,
      totpEnabled: s.totpEnabled,
      totpSetupRequired: sessionRestriction(s, options.require2fa)?.code === 'totp_setup_required',
      csrfToken: s.csrfToken,
      permissions: ACTIONS.filter((a) => can(s.actor.role, a)),
    });

    app.post(
      '/api/auth/sign-in',
      {
        schema: {
          tags,
          summary: '登录（账号名或手机号）/ Sign in with account name or phone',
          body: SignInInput,
          response: { 200: Me },
        },
      },
      async (req, reply) => {
        limit(req, reply);
        const session = await auth.signIn(options.db, keyring, await options.fallbackCountyId(), {
          ...req.body,
          ip: req.ip,
          userAgent: req.headers['user-agent'],
        });
        setSessionCookie(req, reply, session.token);
        return me(session);
      },
    );
    app.get(
      '/api/auth/me',
      { schema: { tags, summary: '当前用户 / The signed-in user', response: { 200: Me } } },
      async (req) => {
        if (!req.session) throw unauthenticated();
        return me(req.session);
      },
    );
    app.get(
      '/api/auth/session',
      {
        schema: {
          tags,
          summary:
            '当前会话：已登录为当前用户，未登录为 null（不报 401）/ The session: the user, or null when signed out (never a 401)',
          response: { 200: z.object({ user: Me.nullable() }) },
        },
      },
      // The web app asks this on every start: a page that is not signed in yet is not an error.
      async (req) => ({ user: req.session ? me(req.session) : null }),
    );
    app.post(
      '/api/auth/sign-out',
      { schema: { tags, summary: '退出登录 / Sign out', response: { 200: Ok } } },
      async (req, reply) => {
        if (req.session) await auth.signOut(options.db, req.session, req.ip);
        setSessionCookie(req, reply, null);
        return { ok: true as const };
      },
    );
    app.post(
      '/api/auth/password',
      {
        schema: {
          tags,
          summary: '修改密码 / Change my password',
          body: ChangePasswordInput,
          response: { 200: Ok },
        },
      },
      async (req) => {
        if (!req.session) throw unauthenticated();
        await auth.changePassword(options.db, req.session, req.body, req.ip);
        return { ok: true as const };
      },
    );
    app.post(
      '/api/auth/reset-password',
      {
        schema: {
          tags,
          summary: '凭一次性重置码设置新密码 / Set a new password with a one-time reset token',
          body: ResetPasswordInput,
          response: { 200: Ok },
        },
      },
      async (req, reply) => {
        limit(req, reply);
        await auth.resetPassword(options.db, req.body, req.ip);
        return { ok: true as const };
      },
    );
    app.post(
      '/api/auth/totp/setup',
      {
        schema: {
          tags,
          summary: '开始绑定身份验证器 / Begin two-factor set-up',
          response: { 200: TotpSetup },
        },
      },
      async (req) => {
        if (!req.session) throw unauthenticated();
        return auth.beginTotp(options.db, keyring, req.session, req.ip);
      },
    );
    app.post(
      '/api/auth/totp/enable',
      {
        schema: {
          tags,
          summary: '确认动态码并启用 / Confirm a code and enable two-factor sign-in',
          body: TotpEnableInput,
          response: { 200: Ok },
        },
      },
      async (req) => {
        if (!req.session) throw unauthenticated();
        await auth.enableTotp(options.db, keyring, req.session, req.body.code, req.ip);
        return { ok: true as const };
      },
    );
  };
