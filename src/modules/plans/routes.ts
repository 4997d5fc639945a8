import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Action } from '../../domain/access.ts';
import type { Run } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import {
  CreatePlanInput,
  Plan,
  PlanDetail,
  PlanListQuery,
  type TRANSITION_ACTIONS,
  TransitionInput,
  UpdatePlanInput,
} from './schemas.ts';
import * as plans from './service.ts';

/**
 * The grant each step needs from the access table; the workflow then decides on the plan itself
 * (the committee above reviews, the county approves, nobody decides on their own plan). Sending
 * back needs review rights — for a reviewed plan the workflow asks the county's.
 */
const GRANT: Record<(typeof TRANSITION_ACTIONS)[number], Action> = {
  submit: 'plan.write',
  review: 'plan.review',
  return: 'plan.review',
  publish: 'plan.review',
  approve: 'plan.approve',
};

export const planRoutes =
  (run: Run): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['plans'];
    app.get(
      '/api/plans',
      {
        schema: {
          tags,
          summary: '方案列表；inbox=true 为待我审查/审定 / List plans; inbox=true: waiting for me',
          querystring: PlanListQuery,
          response: { 200: pageOf(Plan) },
        },
      },
      async (req) => run(req, 'plan.read', (ctx) => plans.listPlans(ctx, req.query)),
    );
    app.get(
      '/api/plans/:id',
      {
        schema: {
          tags,
          summary:
            '一个方案：任务、流程记录、可进行的操作、退回以来的修改 / One plan with tasks, history, actions, diff',
          params: IdParams,
          response: { 200: PlanDetail },
        },
      },
      async (req) => run(req, 'plan.read', (ctx) => plans.getPlan(ctx, req.params.id)),
    );
    app.post(
      '/api/plans',
      {
        schema: {
          tags,
          summary: '起草结对年度方案 / Draft the plan of a pairing for a year',
          body: CreatePlanInput,
          response: { 201: PlanDetail },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await run(req, 'plan.write', (ctx) => plans.createPlan(ctx, req.body))),
    );
    app.patch(
      '/api/plans/:id',
      {
        schema: {
          tags,
          summary: '修改草稿（须带版本号）/ Edit a draft (with the version read)',
          params: IdParams,
          body: UpdatePlanInput,
          response: { 200: PlanDetail },
        },
      },
      async (req) => run(req, 'plan.write', (ctx) => plans.updatePlan(ctx, req.params.id, req.body)),
    );
    app.post(
      '/api/plans/:id/transitions',
      {
        schema: {
          tags,
          summary: '提交、审查、审定、退回、公示（须带版本号）/ Submit, review, approve, send back, publish',
          params: IdParams,
          body: TransitionInput,
          response: { 200: PlanDetail },
        },
      },
      async (req) =>
        run(req, GRANT[req.body.action], (ctx) => plans.transitionPlan(ctx, req.params.id, req.body)),
    );
  };
