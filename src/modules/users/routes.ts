import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Run } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import { CreateUserInput, UpdateUserInput, User, UserListQuery } from './schemas.ts';
import * as users from './service.ts';

export const userRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['users'];
    app.get(
      '/api/users',
      {
        schema: {
          tags,
          summary: '账号列表 / List accounts',
          querystring: UserListQuery,
          response: { 200: pageOf(User) },
        },
      },
      async (req) => run(req, 'user.read', (ctx) => users.listUsers(ctx, req.query)),
    );
    app.get(
      '/api/users/:id',
      { schema: { tags, summary: '一个账号 / One account', params: IdParams, response: { 200: User } } },
      async (req) => run(req, 'user.read', (ctx) => users.getUser(ctx, req.params.id)),
    );
    app.post(
      '/api/users',
      {
        schema: {
          tags,
          summary:
            '新建账号（返回一次性密码，首次登录须修改）/ Create an account; returns a one-time password',
          body: CreateUserInput,
          response: { 201: z.object({ user: User, oneTimePassword: z.string() }) },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await run(req, 'user.manage', (ctx) => users.createUser(ctx, req.body))),
    );
    app.patch(
      '/api/users/:id',
      {
        schema: {
          tags,
          summary: '修改账号的角色、组织或状态 / Change role, organisation or status',
          params: IdParams,
          body: UpdateUserInput,
          response: { 200: User },
        },
      },
      async (req) => run(req, 'user.manage', (ctx) => users.updateUser(ctx, req.params.id, req.body)),
    );
    app.post(
      '/api/users/:id/password-reset',
      {
        schema: {
          tags,
          summary: '发放一次性密码重置码（24小时内有效）/ Issue a one-time reset token, valid 24 hours',
          params: IdParams,
          response: { 200: z.object({ token: z.string(), expiresAt: z.string() }) },
        },
      },
      async (req) => run(req, 'user.manage', (ctx) => users.issuePasswordReset(ctx, req.params.id)),
    );
  };
