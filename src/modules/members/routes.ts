import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ContextOf } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import { CreateMemberInput, Member, MemberListQuery, UpdateMemberInput } from './schemas.ts';
import * as members from './service.ts';

export const memberRoutes =
  (ctxOf: ContextOf): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['members'];
    app.get(
      '/api/members',
      {
        schema: {
          tags,
          summary: '党员列表（筛选、分页）/ List members with filters and paging',
          querystring: MemberListQuery,
          response: { 200: pageOf(Member) },
        },
      },
      async (req) => members.listMembers(await ctxOf(req), req.query),
    );
    app.get(
      '/api/members/:id',
      { schema: { tags, summary: '一名党员 / One member', params: IdParams, response: { 200: Member } } },
      async (req) => members.getMember(await ctxOf(req), req.params.id),
    );
    app.post(
      '/api/members',
      {
        schema: {
          tags,
          summary: '登记党员 / Register a member',
          body: CreateMemberInput,
          response: { 201: Member },
        },
      },
      async (req, reply) => reply.status(201).send(await members.createMember(await ctxOf(req), req.body)),
    );
    app.patch(
      '/api/members/:id',
      {
        schema: {
          tags,
          summary: '修改党员信息 / Update a member',
          params: IdParams,
          body: UpdateMemberInput,
          response: { 200: Member },
        },
      },
      async (req) => members.updateMember(await ctxOf(req), req.params.id, req.body),
    );
  };
