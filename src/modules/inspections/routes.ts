import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Run } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import {
  Check,
  CheckDetail,
  CheckListQuery,
  CloseInput,
  CompleteCheckInput,
  CreateRoundInput,
  Dashboard,
  DashboardQuery,
  RecordCheckInput,
  Rectification,
  RectificationListQuery,
  Round,
  RoundDetail,
  RoundListQuery,
} from './schemas.ts';
import * as inspections from './service.ts';

/** 督查: check rounds, checks and their rectifications. */
export const inspectionRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['inspections'];

    app.post(
      '/api/inspection-rounds',
      {
        schema: {
          tags,
          summary: '安排季度督查：检查哪些结对或组织、由谁检查 / Plan a quarter’s check round',
          description:
            '每项为一个结对或一个党组织（须在督查范围内），指定一名组织部门工作人员负责。全部成功或全部不写入。/ Each item is a pairing or an organisation within the round’s subtree, assigned to a staff account; all or nothing.',
          body: CreateRoundInput,
          response: { 201: RoundDetail },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'inspection.write', (ctx) => inspections.createRound(ctx, req.body))),
    );
    app.get(
      '/api/inspection-rounds',
      {
        schema: {
          tags,
          summary: '督查轮次及进度 / Check rounds with their progress',
          querystring: RoundListQuery,
          response: { 200: pageOf(Round) },
        },
      },
      async (req) => run(req, 'inspection.read', (ctx) => inspections.listRounds(ctx, req.query)),
    );
    app.get(
      '/api/inspection-rounds/:id',
      {
        schema: {
          tags,
          summary:
            '一轮督查：进度（计划、已查、发现问题、未销号整改）与各检查项 / One round: progress and its items',
          params: IdParams,
          response: { 200: RoundDetail },
        },
      },
      async (req) => run(req, 'inspection.read', (ctx) => inspections.getRound(ctx, req.params.id)),
    );

    app.post(
      '/api/inspections',
      {
        schema: {
          tags,
          summary: '录入一次检查及发现问题的整改要求 / Record a check with a rectification per problem',
          description:
            '检查对象为结对或党组织（二选一）；结论为“存在问题”时须逐条填写问题、整改责任单位和整改期限。检查与整改一并写入。/ A pairing or an organisation; each problem becomes a rectification with an owner and a due date, in one transaction.',
          body: RecordCheckInput,
          response: { 201: CheckDetail },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'inspection.write', (ctx) => inspections.recordCheck(ctx, req.body))),
    );
    app.post(
      '/api/inspections/:id/complete',
      {
        schema: {
          tags,
          summary: '完成督查轮次中的一项检查 / Complete a planned check of a round',
          params: IdParams,
          body: CompleteCheckInput,
          response: { 200: CheckDetail },
        },
      },
      async (req) =>
        run(req, 'inspection.write', (ctx) => inspections.completeCheck(ctx, req.params.id, req.body)),
    );
    app.get(
      '/api/inspections',
      {
        schema: {
          tags,
          summary: '检查记录（按轮次、结对、组织、日期、结论筛选）/ Checks, filtered',
          querystring: CheckListQuery,
          response: { 200: pageOf(Check) },
        },
      },
      async (req) => run(req, 'inspection.read', (ctx) => inspections.listChecks(ctx, req.query)),
    );
    app.get(
      '/api/inspections/:id',
      {
        schema: {
          tags,
          summary: '一次检查及其整改事项 / One check with its rectifications',
          params: IdParams,
          response: { 200: CheckDetail },
        },
      },
      async (req) => run(req, 'inspection.read', (ctx) => inspections.getCheck(ctx, req.params.id)),
    );

    app.get(
      '/api/rectifications',
      {
        schema: {
          tags,
          summary: '整改事项（整改中/逾期/已销号）/ Rectifications: open, overdue, closed',
          querystring: RectificationListQuery,
          response: { 200: pageOf(Rectification) },
        },
      },
      async (req) => run(req, 'inspection.read', (ctx) => inspections.listRectifications(ctx, req.query)),
    );
    app.get(
      '/api/rectifications/mine',
      {
        schema: {
          tags,
          summary:
            '我的待整改事项（本人或本单位负责，首页显示）/ Open rectifications I or my organisation own',
          response: {
            200: z.object({
              items: z.array(Rectification),
              open: z.number().int(),
              overdue: z.number().int(),
            }),
          },
        },
      },
      async (req) => run(req, 'inspection.read', (ctx) => inspections.myRectifications(ctx)),
    );
    app.get(
      '/api/rectifications/dashboard',
      {
        schema: {
          tags,
          summary: '整改情况统计（按乡镇）/ Rectifications by township: open, overdue, closed this year',
          querystring: DashboardQuery,
          response: { 200: Dashboard },
        },
      },
      async (req) => run(req, 'inspection.read', (ctx) => inspections.rectificationDashboard(ctx, req.query)),
    );
    app.post(
      '/api/rectifications/:id/close',
      {
        schema: {
          tags,
          summary: '整改销号（须填写整改情况和佐证）/ Close a rectification, with evidence',
          params: IdParams,
          body: CloseInput,
          response: { 200: Rectification },
        },
      },
      async (req) =>
        run(req, 'rectification.close', (ctx) =>
          inspections.closeRectification(ctx, req.params.id, req.body),
        ),
    );
  };
