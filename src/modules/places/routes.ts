import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ContextOf } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import { CreatePlaceInput, Place, PlaceListQuery } from './schemas.ts';
import * as places from './service.ts';

export const placeRoutes =
  (ctxOf: ContextOf): FastifyPluginAsyncZod =>
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
      async (req) => places.listPlaces(await ctxOf(req), req.query),
    );
    app.get(
      '/api/places/:id',
      { schema: { tags, summary: '一个地点 / One place', params: IdParams, response: { 200: Place } } },
      async (req) => places.getPlace(await ctxOf(req), req.params.id),
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
      async (req, reply) => reply.status(201).send(await places.createPlace(await ctxOf(req), req.body)),
    );
  };
