import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

/**
 * What stands in front of everything reachable without signing in (`/api/public/…` and the pages
 * under `/public/…`: notices, feedback, satisfaction surveys): a limit per client address (429)
 * and load shedding (503), both with Retry-After, so a flood of anonymous requests cannot starve
 * the staff. Signed-in routes are not touched. It runs before the session look-up, so a refused
 * request costs no database work.
 *
 * The counts are kept in this process's memory (@fastify/rate-limit's store): with several
 * processes behind a balancer each counts apart, so an address may make up to N × the limit.
 */
export interface PublicLoadLimits {
  /** Requests per client address and minute over all public routes; 0 = no limit. */
  perMinute: number;
  /** Public requests being answered at once; beyond it 503 at once; 0 = no cap. */
  maxInFlight: number;
  /** Mean event-loop delay (ms) over the last sample beyond which public requests get 503; 0 = off. */
  maxEventLoopDelayMs: number;
}

export interface PublicGuardOptions extends PublicLoadLimits {
  /** How often the event-loop delay is sampled (tests shorten it). */
  sampleIntervalMs?: number;
  /** The page for a refused public page: people read it in a browser, not a script. */
  page?: (title: string, text: string) => string;
}

export const isPublicRoute = (route: string | undefined) =>
  !!route && (route.startsWith('/api/public/') || route.startsWith('/public/'));

const SHED_RETRY_SECONDS = 5;
const BUSY_RETRY_SECONDS = 2;
const released = Symbol('gongjian.publicSlotReleased');

export async function installPublicGuards(app: FastifyInstance, options: PublicGuardOptions) {
  // global: false: the limiter is called below for public routes only, not attached to every route.
  await app.register(rateLimit, { global: false });
  await app.register(underPressure, { sampleInterval: options.sampleIntervalMs ?? 1000 });
  const take =
    options.perMinute > 0 ? app.createRateLimit({ max: options.perMinute, timeWindow: 60_000 }) : null;
  let inFlight = 0;

  const refuse = (req: FastifyRequest, reply: FastifyReply, error: AppError, retryAfter: number) => {
    reply.header('Retry-After', String(retryAfter)).header('Cache-Control', 'no-store');
    if (options.page && req.routeOptions.url?.startsWith('/public/')) {
      return reply
        .status(error.status)
        .type('text/html; charset=utf-8')
        .send(options.page(error.status === 429 ? '访问过于频繁' : '访问人数较多', error.messageZh));
    }
    return reply.status(error.status).send(error.toJSON());
  };

  app.addHook('onRequest', async (req, reply) => {
    if (!isPublicRoute(req.routeOptions.url)) return;
    if (take) {
      const r = await take(req);
      if (!r.isAllowed && r.isExceeded) {
        const seconds = Math.max(1, r.ttlInSeconds);
        return refuse(
          req,
          reply,
          new AppError(
            429,
            'rate_limited',
            `访问过于频繁，请${seconds}秒后再试`,
            `too many requests from your address; try again in ${seconds} s`,
          ),
          seconds,
        );
      }
    }
    const lagging =
      options.maxEventLoopDelayMs > 0 && app.memoryUsage().eventLoopDelay > options.maxEventLoopDelayMs;
    const full = options.maxInFlight > 0 && inFlight >= options.maxInFlight;
    if (lagging || full) {
      return refuse(
        req,
        reply,
        new AppError(503, 'overloaded', '访问人数较多，请稍后再试', 'the server is busy; try again shortly'),
        lagging ? SHED_RETRY_SECONDS : BUSY_RETRY_SECONDS,
      );
    }
    inFlight++;
    const state = req as unknown as Record<symbol, boolean>;
    const release = () => {
      if (state[released]) return;
      state[released] = true;
      inFlight--;
    };
    // 'close' comes after the answer is sent and also when the client goes away first.
    reply.raw.once('close', release);
    reply.raw.once('finish', release);
  });
}
