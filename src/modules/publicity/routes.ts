import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { Run } from '../http-context.ts';
import { IdParams, pageOf } from '../shared-schemas.ts';
import { noticeUrl, renderMessagePage, renderNoticeListPage, renderNoticePage } from './html.ts';
import { acceptForms, formText, fromAnotherSite, publicSubmissions, sendPage } from './public-forms.ts';
import {
  AnswerInput,
  AnswerPreview,
  AnswerPreviewInput,
  Feedback,
  FeedbackInput,
  FeedbackListQuery,
  FeedbackParams,
  FeedbackReceipt,
  NoticeListQuery,
  PublicNotice,
  PublicNoticeListQuery,
  PublicNoticeQuery,
  PublicNoticeSummary,
  StaffNotice,
} from './schemas.ts';
import * as publicity from './service.ts';

export interface PublicityOptions {
  /** Feedback accepted per client address and window; default 5 per 10 minutes. */
  feedbackLimit?: { max: number; windowMs: number };
  /** The secret salt of the address hash; default a random one per process (hashes compare within a run). */
  addressSalt?: string;
}

const FORM_BODY_LIMIT = 16 * 1024;

/**
 * Public notices (公示) and the masses' feedback (监督): the public JSON under /api/public/ and the
 * phone page under /public/, both without sign-in, reading through `db` (the owner's handle: there is
 * no session to scope by) with the county and notice id in every query; and the staff's routes under
 * /api/notices through the gate.
 */
export const publicityRoutes =
  (run: Run, db: Kysely<DB>, options: PublicityOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const submissions = publicSubmissions(options.feedbackLimit, options.addressSalt);

    // -------------------------------------------------------------------------------------------
    // Public JSON
    // -------------------------------------------------------------------------------------------
    const publicTags = ['publicity'];
    app.get(
      '/api/public/notices',
      {
        schema: {
          tags: publicTags,
          summary: '公示列表（公示中及近期结束，无需登录）/ Notices running or recently ended, public',
          querystring: PublicNoticeListQuery,
          response: {
            200: pageOf(PublicNoticeSummary).extend({
              county: z.object({ code: z.string(), name: z.string() }),
            }),
          },
        },
      },
      async (req) => publicity.publicNotices(db, req.query),
    );
    app.get(
      '/api/public/notices/:id',
      {
        schema: {
          tags: publicTags,
          summary: '一则公示（已脱敏）及公开的答复 / One notice, masked, with published answers',
          params: IdParams,
          querystring: PublicNoticeQuery,
          response: { 200: PublicNotice },
        },
      },
      async (req) => publicity.publicNotice(db, req.query.county, req.params.id),
    );
    app.post(
      '/api/public/notices/:id/feedback',
      {
        schema: {
          tags: publicTags,
          summary: '对公示提出意见（限频）/ Leave feedback on a notice, rate-limited',
          params: IdParams,
          querystring: PublicNoticeQuery,
          body: FeedbackInput,
          response: { 201: FeedbackReceipt },
        },
      },
      async (req, reply) => {
        submissions.take(req, reply);
        const receipt = await publicity.submitFeedback(
          db,
          req.query.county,
          req.params.id,
          req.body,
          submissions.addressHash(req.ip),
        );
        return reply.status(201).send(receipt);
      },
    );

    // -------------------------------------------------------------------------------------------
    // Staff
    // -------------------------------------------------------------------------------------------
    const tags = ['notices'];
    app.get(
      '/api/notices',
      {
        schema: {
          tags,
          summary: '公示列表（本级及下级）/ Notices in my subtree',
          querystring: NoticeListQuery,
          response: { 200: pageOf(StaffNotice) },
        },
      },
      async (req) => run(req, 'notice.read', (ctx) => publicity.listNotices(ctx, req.query)),
    );
    app.get(
      '/api/notices/:id/feedback',
      {
        schema: {
          tags,
          summary: '一则公示收到的意见 / Feedback on a notice',
          params: IdParams,
          querystring: FeedbackListQuery,
          response: { 200: pageOf(Feedback) },
        },
      },
      async (req) => run(req, 'notice.read', (ctx) => publicity.listFeedback(ctx, req.params.id, req.query)),
    );
    app.post(
      '/api/notices/:id/feedback/:fid/answer-preview',
      {
        schema: {
          tags,
          summary:
            '公开前预览答复（脱敏后的意见与答复，不保存）/ Preview the published feedback and answer, masked; saves nothing',
          params: FeedbackParams,
          body: AnswerPreviewInput,
          response: { 200: AnswerPreview },
        },
      },
      async (req) =>
        run(req, 'notice.answer', (ctx) =>
          publicity.previewAnswer(ctx, req.params.id, req.params.fid, req.body),
        ),
    );
    app.post(
      '/api/notices/:id/feedback/:fid/answer',
      {
        schema: {
          tags,
          summary: '答复意见，可选择公开（留痕）/ Answer feedback, optionally publish it; audited',
          params: FeedbackParams,
          body: AnswerInput,
          response: { 200: Feedback },
        },
      },
      async (req) =>
        run(req, 'notice.answer', (ctx) =>
          publicity.answerFeedback(ctx, req.params.id, req.params.fid, req.body),
        ),
    );

    // -------------------------------------------------------------------------------------------
    // The public page (server-rendered HTML, a plain form, no script)
    // -------------------------------------------------------------------------------------------
    await app.register(async (html) => {
      acceptForms(html, FORM_BODY_LIMIT);
      const notFoundPage = (reply: FastifyReply) =>
        sendPage(reply, 404, renderMessagePage('未找到', '该公示不存在或尚未发布。'));

      const target = (req: FastifyRequest) => {
        const id = (req.params as { id?: string }).id ?? '';
        const county = (req.query as { county?: unknown }).county;
        if (!/^\d{1,15}$/.test(id) || typeof county !== 'string' || !/^\d{6}$/.test(county)) return null;
        return { id: Number(id), county };
      };
      /** The notice, or null for "not found" (an unknown county or notice). */
      const load = async (t: { id: number; county: string }) => {
        try {
          return await publicity.publicNotice(db, t.county, t.id);
        } catch (err) {
          if (err instanceof AppError && err.status === 404) return null;
          throw err;
        }
      };

      html.get('/public/notices', { schema: { hide: true } }, async (req, reply) => {
        const q = PublicNoticeListQuery.safeParse(req.query);
        if (!q.success) return notFoundPage(reply);
        try {
          const list = await publicity.publicNotices(db, q.data);
          return sendPage(reply, 200, renderNoticeListPage(list));
        } catch (err) {
          if (err instanceof AppError && err.status === 404) return notFoundPage(reply);
          throw err;
        }
      });

      html.get('/public/notices/:id', { schema: { hide: true } }, async (req, reply) => {
        const t = target(req);
        const n = t && (await load(t));
        if (!n) return notFoundPage(reply);
        const sent = (req.query as { sent?: string }).sent === '1';
        return sendPage(reply, 200, renderNoticePage(n, { sent }));
      });

      html.post('/public/notices/:id/feedback', { schema: { hide: true } }, async (req, reply) => {
        if (fromAnotherSite(req)) {
          return sendPage(reply, 403, renderMessagePage('请求来源不符', '请在本站公示页面提交意见。'));
        }
        const t = target(req);
        const n = t && (await load(t));
        if (!t || !n) return notFoundPage(reply);
        const text = formText(req);
        const state = {
          content: text('content'),
          contact: text('contact'),
          anonymous: text('anonymous') === 'on',
        };
        const input = FeedbackInput.safeParse({
          content: state.content,
          contact: state.contact || null,
          anonymous: state.anonymous,
        });
        if (!input.success) {
          const field = input.error.issues[0]?.path[0];
          const error = field === 'contact' ? '联系方式不超过100字。' : '请填写意见建议，1至1000字。';
          return sendPage(reply, 400, renderNoticePage(n, { ...state, error }));
        }
        try {
          submissions.take(req, reply);
          await publicity.submitFeedback(db, t.county, t.id, input.data, submissions.addressHash(req.ip));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const page = renderNoticePage(n, { ...state, error: err.messageZh });
          return sendPage(reply, err.status, page);
        }
        return reply
          .status(303)
          .header('Location', `${noticeUrl(t.id, t.county, '&sent=1')}#feedback`)
          .send();
      });
    });
  };
