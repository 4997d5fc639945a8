import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { RateLimiter } from '../auth/rate-limit.ts';

/**
 * What the public pages without sign-in share (a notice's feedback form, a satisfaction survey):
 * plain HTML forms, never cached, refused from another site, and a limit on submissions per
 * client address, which is kept only as a salted hash.
 */

/** Forms post application/x-www-form-urlencoded; parsed only inside the plugin that asks for it. */
export function acceptForms(app: FastifyInstance, bodyLimit: number) {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
}

export const sendPage = (reply: FastifyReply, status: number, page: string) =>
  reply.status(status).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(page);

/** The API's Origin check covers /api/ only: a form posted from another site is refused here too. */
export const fromAnotherSite = (req: FastifyRequest) => {
  const origin = req.headers.origin;
  return (
    (!!origin && origin !== `${req.protocol}://${req.host}`) || req.headers['sec-fetch-site'] === 'cross-site'
  );
};

/** A posted form's field as text ('' when absent or not text). */
export const formText = (req: FastifyRequest) => {
  const form = (req.body ?? {}) as Record<string, unknown>;
  return (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
};

/** So many submissions per client address and window; beyond that 429 with Retry-After. */
export function publicSubmissions(
  limit: { max: number; windowMs: number } = { max: 5, windowMs: 600_000 },
  salt = randomBytes(32).toString('hex'),
) {
  const limiter = new RateLimiter(limit.max, limit.windowMs);
  return {
    /** Counts one submission from the address; throws 429 beyond the limit. */
    take(req: FastifyRequest, reply: FastifyReply) {
      if (limiter.take(req.ip)) return;
      reply.header('Retry-After', String(limiter.retryAfterSeconds(req.ip)));
      throw new AppError(
        429,
        'rate_limited',
        '提交过于频繁，请稍后再试',
        'too many submissions from your address; try again later',
      );
    },
    /** Enough to tell repeated senders apart, not to find them. */
    addressHash: (ip: string) => `h1:${createHmac('sha256', salt).update(ip).digest('hex')}`,
  };
}
