import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AppError,
  DATABASE_RETRY_AFTER_SECONDS,
  databaseUnavailable,
  isDatabaseUnavailable,
} from './errors.ts';
import { loggerOptions } from './logger.ts';

// Validation messages in Chinese first (the users read Chinese); the error's messageEn carries English.
z.config(z.locales.zhCN());

/** On every response: no framing, no type sniffing, scripts and styles only from ourselves. */
export const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
} as const;

export type HttpServer = FastifyInstance & { withTypeProvider(): FastifyInstance };

export interface HttpOptions {
  logLevel?: string;
  /** Where logs go (default stdout); the tests collect every log of the run to check it. */
  logStream?: NodeJS.WritableStream;
  /** Extra Fastify options (tests silence the logger). */
  fastify?: FastifyServerOptions;
}

/**
 * The HTTP server without any module: zod schemas for validation and OpenAPI, one error shape,
 * the API documents. Modules register their routes on what this returns.
 */
export async function createHttpServer(options: HttpOptions = {}) {
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'info', options.logStream),
    bodyLimit: 2 * 1024 * 1024,
    ...options.fastify,
  }).withTypeProvider<ZodTypeProvider>();
  app.addHook('onSend', async (_request, reply) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      info: {
        title: '共建 Gongjian API',
        description:
          '城乡党建共建平台接口。Urban–rural party-building co-building platform API. 所有错误形如 {error:{code,message,messageEn,field?}}。',
        version: '0.1.0',
      },
      tags: [
        { name: 'system', description: '系统 / System' },
        { name: 'orgs', description: '党组织 / Organisations' },
        { name: 'places', description: '地点 / Places' },
        { name: 'members', description: '党员 / Party members' },
        { name: 'households', description: '农户 / Households' },
        { name: 'stats', description: '结构统计 / Structure statistics' },
        { name: 'imports', description: '导入 / Imports' },
        { name: 'auth', description: '登录与会话 / Sign-in and sessions' },
        { name: 'users', description: '账号与角色 / Accounts and roles' },
        { name: 'audit', description: '审计记录 / Audit trail' },
        { name: 'pairings', description: '结对、走访与完成情况 / Pairings, visits and compliance' },
        { name: 'reports', description: '汇总与通报 / Reports' },
        { name: 'plans', description: '方案审查审定 / Plans and their review' },
        { name: 'notices', description: '公示与群众意见 / Notices and feedback (staff)' },
        { name: 'publicity', description: '公开页面（无需登录）/ Public, no sign-in' },
        { name: 'inspections', description: '督查与整改 / Checks and rectifications' },
        { name: 'ledgers', description: '台账导出 / Ledgers (Excel)' },
        {
          name: 'assessment',
          description: '年终考评与满意度测评 / Year-end assessment and satisfaction surveys',
        },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) return reply.status(err.status).send(err.toJSON());
    // Any route, one place: a database that is away (stopped, restarting, a dropped connection) is
    // the service being unavailable for a moment, not a fault of the request or the code.
    if (isDatabaseUnavailable(err)) {
      request.log.warn({ err }, 'database unavailable');
      return reply
        .status(503)
        .header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
        .send(databaseUnavailable().toJSON());
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({
        field: fieldOf(v.instancePath, v.params),
        message: v.message,
      }));
      const first = issues[0];
      return reply
        .status(400)
        .send(
          new AppError(
            400,
            'invalid',
            `请求数据有误：${first?.field ?? ''} ${first?.message ?? ''}`.trim(),
            `invalid request: ${first?.field ?? ''} ${first?.message ?? ''}`.trim(),
            first?.field,
            issues,
          ).toJSON(),
        );
    }
    if ((err as { code?: string }).code === '23505') {
      // A unique key the service could not see (row-level security hides other subtrees).
      return reply
        .status(409)
        .send(
          new AppError(
            409,
            'conflict',
            '记录已存在（与已有数据重复）',
            'a record with the same key exists',
            uniqueField((err as { constraint?: string }).constraint),
          ).toJSON(),
        );
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err }, 'response did not match its schema');
      return reply
        .status(500)
        .send(new AppError(500, 'internal', '服务器内部错误', 'internal error').toJSON());
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply
        .status(err.statusCode)
        .send(new AppError(err.statusCode, err.code ?? 'bad_request', err.message, err.message).toJSON());
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(new AppError(500, 'internal', '服务器内部错误', 'internal error').toJSON());
  });
  return app;
}

/** The request field behind a unique constraint, for a 409 that names it. */
const UNIQUE_FIELDS: [RegExp, string][] = [
  [/head_id_number/, 'headIdNumber'],
  [/id_number/, 'idNumber'],
  [/username/, 'username'],
  [/phone/, 'phone'],
  [/pairing_id_year/, 'year'],
  [/name/, 'name'],
];
function uniqueField(constraint: string | undefined): string | undefined {
  return constraint ? UNIQUE_FIELDS.find(([re]) => re.test(constraint))?.[1] : undefined;
}

function fieldOf(instancePath: string, params: unknown): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const keys = (params as { keys?: string[] } | undefined)?.keys;
  if (keys?.length) return [path, ...keys].filter(Boolean).join('.');
  return path || 'body';
}
