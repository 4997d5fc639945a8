/**
 * Errors a user can act on. Every message is Chinese first with its English beside it, and names
 * the field it concerns where there is one.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(`${messageZh} / ${messageEn}`);
    this.name = 'AppError';
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.messageZh,
        messageEn: this.messageEn,
        ...(this.field ? { field: this.field } : {}),
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const notFound = (what: string, whatEn: string) =>
  new AppError(404, 'not_found', `${what}不存在`, `${whatEn} not found`);

export const invalid = (field: string, zh: string, en: string, details?: unknown) =>
  new AppError(400, 'invalid', zh, en, field, details);

/**
 * A reference in a request body that names nothing the user may use: one that does not exist and one
 * outside the user's subtree get this same answer, which names neither.
 */
export const unknownRef = (field: string, what: string, whatEn: string) =>
  invalid(field, `${what}不存在或不在您的管辖范围内`, `${whatEn} does not exist or is outside your scope`);

export const conflict = (zh: string, en: string, field?: string) =>
  new AppError(409, 'conflict', zh, en, field);

/** Domain rules carry one "中文 / English" message; the API sends the two halves apart. */
export function fieldError(problems: { field: string; message: string }[]): AppError {
  const first = problems[0]!;
  const [zh, en] = first.message.split(' / ');
  return new AppError(400, 'invalid', zh!, en ?? zh!, first.field, problems);
}

/** Seconds a client is told to wait before it tries again while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export const databaseUnavailable = () =>
  new AppError(
    503,
    'database_unavailable',
    '数据库暂时无法连接，请稍后再试',
    'the database is temporarily unavailable, please try again shortly',
  );

/**
 * SQLSTATEs that mean the connection or the server is gone, not that the statement was wrong:
 * class 08 (connection exception), 57P01–57P03 (terminated by an administrator, crash of another
 * backend, cannot connect now: starting, shutting down, recovering), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
/** Socket errors of a connection to the server (node's errno codes). */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/**
 * Drivers' own words for a connection that is gone: node-postgres (a server that ended it, a pool
 * connect timeout, a client left unusable), PGlite closed or closing, Kysely after its handle was
 * destroyed (a request still running while the process shuts down).
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated( unexpectedly| due to connection timeout)?$/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^PGlite is clos(ed|ing)$/,
  /^PGlite instance is already closed\.$/,
  /^driver has already been destroyed$/,
];

/**
 * Whether an error means the database cannot be reached right now (the request may succeed when
 * tried again), as opposed to a fault of the request or of the code. Looks through `cause`, where
 * drivers and Kysely wrap the original error.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  // An aborted embedded database (WebAssembly.RuntimeError: "Aborted(…)" or a trap) never answers
  // again without a restart. By name: the WebAssembly namespace is not in the types the server uses.
  if (err instanceof Error && err.name === 'RuntimeError') return true;
  const { code, syscall, message, cause } = err as Record<string, unknown>;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATE.test(code) || SOCKET_CODES.has(code)) return true;
    // A Unix socket that is not there: the server is not running.
    if (code === 'ENOENT' && syscall === 'connect') return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
  // Every address of a host name refused (IPv6 and IPv4 of "localhost") comes as one AggregateError.
  if (err instanceof AggregateError && err.errors.some((e) => isDatabaseUnavailable(e, depth + 1)))
    return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
