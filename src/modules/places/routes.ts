import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Run } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import { CreatePlaceInput, Place, PlaceListQuery } from './schemas.ts';
import * as places from './service.ts';

export const placeRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['places'];
    app.get(
      '/api/places',
      {
        schema: {
          tags,
          summary: '地点列表 / List places',
          querystring: PlaceListQuery,
          response: { 200: pageOf(Place) },
        },
      },
      async (req) => run(req, 'place.read', (ctx) => places.listPlaces(ctx, req.query)),
    );
    app.get(
      '/api/places/:id',
      { schema: { tags, summary: '一个地点 / One place', params: IdParams, response: { 200: Place } } },
      async (req) => run(req, 'place.read', (ctx) => places.getPlace(ctx, req.params.id)),
    );
    app.post(
      '/api/places',
      {
        schema: {
          tags,
          summary: '新建地点 / Create a place',
          body: CreatePlaceInput,
          response: { 201: Place },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await run(req, 'place.write', (ctx) => places.createPlace(ctx, req.body))),
    );
  };
