import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Run } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import {
  CloseOrgInput,
  CreateOrgInput,
  MoveOrgInput,
  Org,
  OrgDetail,
  OrgListQuery,
  TreeNode,
  TreeQuery,
  UpdateOrgInput,
} from './schemas.ts';
import * as orgs from './service.ts';

export const orgRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['orgs'];
    app.get(
      '/api/orgs',
      {
        schema: {
          tags,
          summary: '组织列表 / List organisations',
          querystring: OrgListQuery,
          response: { 200: pageOf(Org) },
        },
      },
      async (req) => run(req, 'org.read', (ctx) => orgs.listOrgs(ctx, req.query)),
    );
    app.get(
      '/api/orgs/tree',
      {
        schema: {
          tags,
          summary: '组织树（按层懒加载）/ Organisation tree, lazily by depth',
          querystring: TreeQuery,
          response: { 200: TreeNode },
        },
      },
      async (req) => run(req, 'org.read', (ctx) => orgs.getTree(ctx, req.query.root, req.query.depth)),
    );
    app.get(
      '/api/orgs/:id',
      {
        schema: {
          tags,
          summary: '组织及其统计 / One organisation with its counts',
          params: IdParams,
          response: { 200: OrgDetail },
        },
      },
      async (req) => run(req, 'org.read', (ctx) => orgs.getOrg(ctx, req.params.id)),
    );
    app.post(
      '/api/orgs',
      {
        schema: {
          tags,
          summary: '新建组织 / Create an organisation',
          body: CreateOrgInput,
          response: { 201: Org },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await run(req, 'org.write', (ctx) => orgs.createOrg(ctx, req.body))),
    );
    app.patch(
      '/api/orgs/:id',
      {
        schema: {
          tags,
          summary: '修改组织 / Update an organisation',
          params: IdParams,
          body: UpdateOrgInput,
          response: { 200: Org },
        },
      },
      async (req) => run(req, 'org.write', (ctx) => orgs.updateOrg(ctx, req.params.id, req.body)),
    );
    app.post(
      '/api/orgs/:id/move',
      {
        schema: {
          tags,
          summary: '调整隶属关系（整棵子树）/ Move with its subtree',
          params: IdParams,
          body: MoveOrgInput,
          response: { 200: Org },
        },
      },
      async (req) => run(req, 'org.write', (ctx) => orgs.moveOrg(ctx, req.params.id, req.body.parentId)),
    );
    app.post(
      '/api/orgs/:id/close',
      {
        schema: {
          tags,
          summary: '撤销组织 / Close an organisation',
          params: IdParams,
          body: CloseOrgInput,
          response: { 200: Org },
        },
      },
      async (req) => run(req, 'org.write', (ctx) => orgs.closeOrg(ctx, req.params.id, req.body)),
    );
  };
