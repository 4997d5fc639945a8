import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PAIRING_KINDS } from '../../domain/pairings.ts';
import type { Run } from '../http-context.ts';
import { IdParams, IsoDate, pageOf } from '../shared-schemas.ts';
import {
  CreatePairingInput,
  CreateVisitInput,
  Pairing,
  PairingDetail,
  PairingKind,
  PairingListQuery,
  QuotaRuleInput,
  Summary,
  SummaryQuery,
  UpdateVisitInput,
  Visit,
} from './schemas.ts';
import * as pairings from './service.ts';

export const pairingRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['pairings'];
    app.get(
      '/api/pairings',
      {
        schema: {
          tags,
          summary: '结对列表（含完成情况）/ Pairings with compliance',
          querystring: PairingListQuery,
          response: { 200: pageOf(Pairing) },
        },
      },
      async (req) => run(req, 'pairing.read', (ctx) => pairings.listPairings(ctx, req.query)),
    );
    app.get(
      '/api/pairings/:id',
      {
        schema: {
          tags,
          summary:
            '一个结对：完成情况与活动记录（册）/ One pairing: compliance and its visits (the register)',
          params: IdParams,
          querystring: z.strictObject({ year: z.coerce.number().int().optional(), asOf: IsoDate.optional() }),
          response: { 200: PairingDetail },
        },
      },
      async (req) =>
        run(req, 'pairing.read', (ctx) =>
          pairings.getPairing(ctx, req.params.id, req.query.year, req.query.asOf),
        ),
    );
    app.post(
      '/api/pairings',
      {
        schema: {
          tags,
          summary: '建立结对 / Create a pairing',
          body: CreatePairingInput,
          response: { 201: PairingDetail },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'pairing.write', (ctx) => pairings.createPairing(ctx, req.body))),
    );
    app.post(
      '/api/visits',
      {
        schema: {
          tags,
          summary: '登记走访/活动（一条记录可计入多个结对）/ Log a visit, counting for one or more pairings',
          body: CreateVisitInput,
          response: { 201: Visit },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await run(req, 'visit.write', (ctx) => pairings.createVisit(ctx, req.body))),
    );
    app.patch(
      '/api/visits/:id',
      {
        schema: {
          tags,
          summary: '修改活动记录（30天后须党(工)委或组织部）/ Edit a visit; after 30 days staff only',
          params: IdParams,
          body: UpdateVisitInput,
          response: { 200: Visit },
        },
      },
      async (req) => run(req, 'visit.write', (ctx) => pairings.updateVisit(ctx, req.params.id, req.body)),
    );
    app.get(
      '/api/reports/summary',
      {
        schema: {
          tags: ['reports'],
          summary: '三联共建情况汇总（调研报告000的口径）/ The co-building headline and compliance',
          querystring: SummaryQuery,
          response: { 200: Summary },
        },
      },
      async (req) => run(req, 'report.read', (ctx) => pairings.summary(ctx, req.query)),
    );
    app.get(
      '/api/pairing-kinds',
      { schema: { tags, summary: '结对类型及其规则 / Pairing kinds and their rules' } },
      async () =>
        PAIRING_KINDS.map((k) => ({
          code: k.code,
          zh: k.zh,
          en: k.en,
          plan: k.plan,
          helper: k.helper,
          helped: k.helped,
          defaultQuota: k.defaultQuota,
        })),
    );
    app.put(
      '/api/quota-rules/:kind',
      {
        schema: {
          tags,
          summary: '县里修改某类结对的年度次数要求 / The county sets a kind’s quota rule',
          params: z.strictObject({ kind: PairingKind }),
          body: QuotaRuleInput,
        },
      },
      async (req) => run(req, 'rules.manage', (ctx) => pairings.setQuotaRule(ctx, req.params.kind, req.body)),
    );
  };
