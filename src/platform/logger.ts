import type { FastifyServerOptions } from 'fastify';

/**
 * Log options. Personal data never reaches the logs: request bodies are not logged, and the paths
 * listed here are redacted wherever they appear in a logged object.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.idNumber',
  '*.id_number',
  '*.phone',
  '*.token',
];

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}
