import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Run } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import { CreateMemberInput, Member, MemberListQuery, UpdateMemberInput } from './schemas.ts';
import * as members from './service.ts';

export const memberRoutes =
  (run: Run): FastifyPluginAsyncZod =>
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
      async (req) => run(req, 'member.read', (ctx) => members.listMembers(ctx, req.query)),
    );
    app.get(
      '/api/members/:id',
      { schema: { tags, summary: '一名党员 / One member', params: IdParams, response: { 200: Member } } },
      async (req) => run(req, 'member.read', (ctx) => members.getMember(ctx, req.params.id)),
    );
    app.get(
      '/api/members/:id/unmasked',
      {
        schema: {
          tags,
          summary: '查看完整身份证号、电话和住址（留痕）/ Full ID number, phone and address, audited',
          params: IdParams,
          response: {
            200: z.object({
              id: z.number().int(),
              name: z.string(),
              idNumber: z.string(),
              phone: z.string().nullable(),
              address: z.string().nullable(),
            }),
          },
        },
      },
      async (req) => run(req, 'member.unmask', (ctx) => members.getUnmaskedIdentity(ctx, req.params.id)),
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
      async (req, reply) =>
        reply.status(201).send(await run(req, 'member.write', (ctx) => members.createMember(ctx, req.body))),
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
      async (req) => run(req, 'member.write', (ctx) => members.updateMember(ctx, req.params.id, req.body)),
    );
  };
