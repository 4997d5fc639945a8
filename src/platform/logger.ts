import type { FastifyServerOptions } from 'fastify';

/**
 * Log options. Personal data never reaches the logs: request bodies and query strings are not
 * logged, the paths below are redacted wherever they appear in a logged object, and every logged
 * string is scrubbed of anything shaped like an ID number or a mobile number (database errors
 * quote the values that clashed).
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.idNumber',
  '*.id_number',
  '*.phone',
  '*.token',
];

const ID_NUMBER = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9Xx])/g;
const MOBILE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g;

export const scrub = (s: string) => s.replace(ID_NUMBER, '[身份证号]').replace(MOBILE, '[手机号]');

/** Scrubs every string in a logged object, however deep (redaction paths reach one level only). */
function deepScrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => deepScrub(v, depth + 1));
  // Only plain data: requests, responses and errors are shaped by the serializers.
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = /password|token/i.test(k) ? '[redacted]' : deepScrub(v, depth + 1);
  return out;
}

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
}

export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream && { stream }),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: scrub(req.url.split('?')[0] ?? ''),
        ip: req.ip,
      }),
      err: (err: Error & { code?: string; statusCode?: number }) => ({
        type: err.name,
        message: scrub(err.message ?? ''),
        code: err.code,
        statusCode: err.statusCode,
        stack: scrub(err.stack ?? ''),
      }),
    },
    formatters: { log: (obj) => deepScrub(obj) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
}
