import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Run } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import { CreateHouseholdInput, Household, HouseholdListQuery, UpdateHouseholdInput } from './schemas.ts';
import * as households from './service.ts';

export const householdRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['households'];
    app.get(
      '/api/households',
      {
        schema: {
          tags,
          summary: '农户列表 / List households',
          querystring: HouseholdListQuery,
          response: { 200: pageOf(Household) },
        },
      },
      async (req) => run(req, 'household.read', (ctx) => households.listHouseholds(ctx, req.query)),
    );
    app.get(
      '/api/households/:id',
      { schema: { tags, summary: '一户 / One household', params: IdParams, response: { 200: Household } } },
      async (req) => run(req, 'household.read', (ctx) => households.getHousehold(ctx, req.params.id)),
    );
    app.post(
      '/api/households',
      {
        schema: {
          tags,
          summary: '登记农户 / Register a household',
          body: CreateHouseholdInput,
          response: { 201: Household },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'household.write', (ctx) => households.createHousehold(ctx, req.body))),
    );
    app.patch(
      '/api/households/:id',
      {
        schema: {
          tags,
          summary: '修改农户 / Update a household',
          params: IdParams,
          body: UpdateHouseholdInput,
          response: { 200: Household },
        },
      },
      async (req) =>
        run(req, 'household.write', (ctx) => households.updateHousehold(ctx, req.params.id, req.body)),
    );
  };
