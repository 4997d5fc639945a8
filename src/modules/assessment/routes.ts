import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Run } from '../http-context.ts';
import { renderMessagePage } from '../publicity/html.ts';
import {
  acceptForms,
  formText,
  fromAnotherSite,
  publicSubmissions,
  sendPage,
} from '../publicity/public-forms.ts';
import { IdParams, Paging, pageOf } from '../shared-schemas.ts';
import { renderSurveyPage, surveyFormUrl } from './html.ts';
import {
  Catalogue,
  Decision,
  DecisionInput,
  DecisionListQuery,
  PublicSurvey,
  ResponseInput,
  ResponseReceipt,
  ResultsPage,
  ResultsQuery,
  RunInput,
  RunListQuery,
  Run as RunSchema,
  Scheme,
  SchemeInput,
  SchemeListQuery,
  Survey,
  SurveyInput,
  SurveyListQuery,
  SurveyResponse,
  TokenParams,
} from './schemas.ts';
import * as assessment from './service.ts';

export interface AssessmentOptions {
  /** Survey answers accepted per client address and window; default 5 per 10 minutes. */
  responseLimit?: { max: number; windowMs: number };
  /** The secret salt of the address hash; default a random one per process. */
  addressSalt?: string;
}

const FORM_BODY_LIMIT = 8 * 1024;

/**
 * The year-end assessment (年终考评) for staff under /api/assessment through the gate, and the
 * satisfaction survey for the masses without sign-in: JSON under /api/public/surveys/:token and a
 * phone page under /public/surveys/:token, read through `db` (the owner's handle) by token alone.
 */
export const assessmentRoutes =
  (run: Run, db: Kysely<DB>, options: AssessmentOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const submissions = publicSubmissions(options.responseLimit, options.addressSalt);
    const tags = ['assessment'];

    app.get(
      '/api/assessment/catalogue',
      {
        schema: {
          tags,
          summary: '考评方法、决定类型与测评选项 / Scoring methods, decision kinds and survey answers',
          response: { 200: Catalogue },
        },
      },
      async (req) => run(req, 'assessment.read', async () => assessment.catalogue()),
    );

    // Schemes -------------------------------------------------------------------------------------
    app.get(
      '/api/assessment/schemes',
      {
        schema: {
          tags,
          summary: '考评方案（各年度各版本）/ Assessment schemes, every version',
          querystring: SchemeListQuery,
          response: { 200: z.array(Scheme) },
        },
      },
      async (req) => run(req, 'assessment.read', (ctx) => assessment.listSchemes(ctx, req.query.year)),
    );
    app.get(
      '/api/assessment/schemes/:id',
      {
        schema: {
          tags,
          summary: '一个考评方案版本 / One scheme version',
          params: IdParams,
          response: { 200: Scheme },
        },
      },
      async (req) => run(req, 'assessment.read', (ctx) => assessment.getScheme(ctx, req.params.id)),
    );
    app.post(
      '/api/assessment/schemes',
      {
        schema: {
          tags,
          summary:
            '制定考评方案（保存为该年度新版本，可同时启用；留痕）/ Save a scheme as the year’s next version',
          description:
            '指标权重之和须为100；等次从高到低，最低等次分数线为0。方案不可修改，每次调整保存为新版本。/ Weights sum to 100; bands highest first down to 0. Schemes are never edited: each change is a new version.',
          body: SchemeInput,
          response: { 201: Scheme },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'assessment.manage', (ctx) => assessment.createScheme(ctx, req.body))),
    );
    app.post(
      '/api/assessment/schemes/:id/activate',
      {
        schema: {
          tags,
          summary: '启用该版本（同年度其他版本停用；留痕）/ Make this version the active one',
          params: IdParams,
          response: { 200: Scheme },
        },
      },
      async (req) => run(req, 'assessment.manage', (ctx) => assessment.activateScheme(ctx, req.params.id)),
    );

    // Surveys -------------------------------------------------------------------------------------
    app.get(
      '/api/assessment/surveys',
      {
        schema: {
          tags,
          summary: '群众满意度测评及答卷统计 / Satisfaction surveys with their counts',
          querystring: SurveyListQuery,
          response: { 200: z.array(Survey) },
        },
      },
      async (req) => run(req, 'assessment.read', (ctx) => assessment.listSurveys(ctx, req.query.year)),
    );
    app.post(
      '/api/assessment/surveys',
      {
        schema: {
          tags,
          summary:
            '发起满意度测评（针对一个结对或一个村，生成公开链接；留痕）/ Open a survey with a public link',
          body: SurveyInput,
          response: { 201: Survey },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'assessment.manage', (ctx) => assessment.openSurvey(ctx, req.body))),
    );
    app.post(
      '/api/assessment/surveys/:id/close',
      {
        schema: {
          tags,
          summary: '提前结束测评（留痕）/ Close a survey early',
          params: IdParams,
          response: { 200: Survey },
        },
      },
      async (req) => run(req, 'assessment.manage', (ctx) => assessment.closeSurvey(ctx, req.params.id)),
    );
    app.get(
      '/api/assessment/surveys/:id/responses',
      {
        schema: {
          tags,
          summary: '测评答卷及意见 / A survey’s answers and comments',
          params: IdParams,
          querystring: z.strictObject({ ...Paging }),
          response: { 200: pageOf(SurveyResponse) },
        },
      },
      async (req) =>
        run(req, 'assessment.read', (ctx) =>
          assessment.surveyResponses(ctx, req.params.id, req.query.page, req.query.pageSize),
        ),
    );

    // Runs and results ----------------------------------------------------------------------------
    app.post(
      '/api/assessment/runs',
      {
        schema: {
          tags,
          summary: '按启用方案计算年度考评（全县或某组织之下；留痕）/ Score a year with the active scheme',
          body: RunInput,
          response: { 201: RunSchema },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'assessment.manage', (ctx) => assessment.runScoring(ctx, req.body))),
    );
    app.get(
      '/api/assessment/runs',
      {
        schema: {
          tags,
          summary: '历次考评计算 / Scoring runs',
          querystring: RunListQuery,
          response: { 200: z.array(RunSchema) },
        },
      },
      async (req) => run(req, 'assessment.read', (ctx) => assessment.listRuns(ctx, req.query.year)),
    );
    app.get(
      '/api/assessment/runs/:id',
      {
        schema: {
          tags,
          summary: '一次考评及各等次数量 / A run with its counts per band',
          params: IdParams,
          response: { 200: RunSchema },
        },
      },
      async (req) => run(req, 'assessment.read', (ctx) => assessment.getRun(ctx, req.params.id)),
    );
    app.get(
      '/api/assessment/runs/:id/results',
      {
        schema: {
          tags,
          summary:
            '考评结果（结对、帮扶人、党支部、乡镇），按得分排列，仅供组织部门内部使用 / Results by level, best first; for staff only',
          params: IdParams,
          querystring: ResultsQuery,
          response: { 200: ResultsPage },
        },
      },
      async (req) => run(req, 'assessment.read', (ctx) => assessment.results(ctx, req.params.id, req.query)),
    );

    // Decisions -----------------------------------------------------------------------------------
    app.post(
      '/api/assessment/decisions',
      {
        schema: {
          tags,
          summary:
            '记录评议、评选建议（民主评议党员、示范点、五好、星级；须说明理由，不自动执行；留痕）/ Record a proposal with a reason',
          body: DecisionInput,
          response: { 201: Decision },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await run(req, 'assessment.decide', (ctx) => assessment.recordDecision(ctx, req.body))),
    );
    app.get(
      '/api/assessment/decisions',
      {
        schema: {
          tags,
          summary: '评议、评选建议记录 / Decisions recorded',
          querystring: DecisionListQuery,
          response: { 200: z.array(Decision) },
        },
      },
      async (req) => run(req, 'assessment.read', (ctx) => assessment.listDecisions(ctx, req.query)),
    );

    // Public JSON ---------------------------------------------------------------------------------
    app.get(
      '/api/public/surveys/:token',
      {
        schema: {
          tags: ['publicity'],
          summary:
            '满意度测评（无需登录，不含得分与排名）/ A satisfaction survey, public; no scores or ranks',
          params: TokenParams,
          response: { 200: PublicSurvey },
        },
      },
      async (req, reply) => {
        reply.header('Cache-Control', 'no-store');
        return assessment.publicSurvey(db, req.params.token);
      },
    );
    app.post(
      '/api/public/surveys/:token/responses',
      {
        schema: {
          tags: ['publicity'],
          summary: '提交测评（限频，无需个人信息）/ Answer a survey, rate-limited, no personal data',
          params: TokenParams,
          body: ResponseInput,
          response: { 201: ResponseReceipt },
        },
      },
      async (req, reply) => {
        submissions.take(req, reply);
        const receipt = await assessment.submitResponse(
          db,
          req.params.token,
          req.body,
          submissions.addressHash(req.ip),
        );
        return reply.status(201).send(receipt);
      },
    );

    // The public page (server-rendered, a plain form, no script) ---------------------------------
    await app.register(async (html) => {
      acceptForms(html, FORM_BODY_LIMIT);
      const notFoundPage = (reply: FastifyReply) =>
        sendPage(reply, 404, renderMessagePage('未找到', '该测评不存在或尚未开始。'));
      const tokenOf = (req: FastifyRequest) => {
        const t = (req.params as { token?: string }).token ?? '';
        return TokenParams.safeParse({ token: t }).success ? t : null;
      };
      const load = async (token: string) => {
        try {
          return await assessment.publicSurvey(db, token);
        } catch (err) {
          if (err instanceof AppError && err.status === 404) return null;
          throw err;
        }
      };

      html.get('/public/surveys/:token', { schema: { hide: true } }, async (req, reply) => {
        const token = tokenOf(req);
        const s = token && (await load(token));
        if (!token || !s) return notFoundPage(reply);
        return sendPage(
          reply,
          200,
          renderSurveyPage(token, s, { sent: (req.query as { sent?: string }).sent === '1' }),
        );
      });

      html.post('/public/surveys/:token', { schema: { hide: true } }, async (req, reply) => {
        if (fromAnotherSite(req)) {
          return sendPage(reply, 403, renderMessagePage('请求来源不符', '请在本站测评页面提交。'));
        }
        const token = tokenOf(req);
        const s = token && (await load(token));
        if (!token || !s) return notFoundPage(reply);
        const text = formText(req);
        const state = { answer: text('answer'), comment: text('comment') };
        const input = ResponseInput.safeParse({ answer: state.answer, comment: state.comment || undefined });
        if (!input.success) {
          const field = input.error.issues[0]?.path[0];
          const error = field === 'comment' ? '意见建议不超过500字。' : '请选择“满意”“基本满意”或“不满意”。';
          return sendPage(reply, 400, renderSurveyPage(token, s, { ...state, error }));
        }
        try {
          submissions.take(req, reply);
          await assessment.submitResponse(db, token, input.data, submissions.addressHash(req.ip));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          return sendPage(reply, err.status, renderSurveyPage(token, s, { ...state, error: err.messageZh }));
        }
        return reply
          .status(303)
          .header('Location', `${surveyFormUrl(token)}?sent=1`)
          .send();
      });
    });
  };
