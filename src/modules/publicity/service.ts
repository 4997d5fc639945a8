import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { scopeOf } from '../../domain/access.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { type ServiceContext, withTransaction } from '../context.ts';
import { findCountyByCode } from '../counties/repository.ts';
import { countyToday, daysBefore } from '../plans/clock.ts';
import { settleNotices } from '../plans/settle.ts';
import { maskText, type NoticeBody } from './masking.ts';
import * as repo from './repository.ts';
import type {
  AnswerInput,
  AnswerPreviewInput,
  FeedbackInput,
  FeedbackListQuery,
  NoticeListQuery,
  PublicNoticeListQuery,
} from './schemas.ts';

/**
 * Public notices (公示) and the feedback of the masses (监督).
 *
 * The public side has no session: it reads with the owner's handle, so every query names the county
 * (from its code) and the notice id, and shows only the notice's masked body and the answers staff
 * chose to publish (masked again). Feedback is kept as plain text; the client address is kept only as
 * a salted hash.
 */

/** How long an ended notice stays in the public list (it stays readable by its address). */
export const RECENT_DAYS = 30;

const iso = (d: Date | string | null) =>
  d === null ? null : d instanceof Date ? d.toISOString() : String(d);
const isOpen = (n: { starts_on: string; ends_on: string }, today: string) =>
  n.starts_on <= today && today <= n.ends_on;
const noticeNotFound = () => notFound('公示', 'Notice');

const bodyOf = (raw: unknown) => (typeof raw === 'string' ? JSON.parse(raw) : raw) as NoticeBody;

async function countyOf(db: Kysely<DB>, code: string) {
  const county = await findCountyByCode(db, code);
  if (!county) throw notFound('县', 'County');
  return county;
}

// ---------------------------------------------------------------------------------------------
// Public
// ---------------------------------------------------------------------------------------------

export async function publicNotices(db: Kysely<DB>, q: PublicNoticeListQuery, today = countyToday()) {
  const county = await countyOf(db, q.county);
  let underPath: string | undefined;
  if (q.township !== undefined) {
    underPath = await repo.findOrgPath(db, county.id, q.township);
    if (!underPath) throw notFound('乡镇', 'Township');
  }
  const { items, total } = await repo.listNotices(db, county.id, {
    underPath,
    startedBy: today,
    endedSince: daysBefore(today, RECENT_DAYS),
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return {
    county: { code: county.code, name: county.name },
    items: items.map((n) => {
      const body = bodyOf(n.body);
      return {
        id: n.id,
        title: n.title,
        kindLabel: body.kindLabel,
        planName: body.planName,
        place: body.place,
        startsOn: n.starts_on,
        endsOn: n.ends_on,
        open: isOpen(n, today),
      };
    }),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function publicNotice(db: Kysely<DB>, countyCode: string, id: number, today = countyToday()) {
  const county = await countyOf(db, countyCode);
  const n = await repo.findNotice(db, county.id, id);
  if (!n || n.starts_on > today) throw noticeNotFound();
  const answers = await repo.publishedFeedback(db, county.id, id);
  return {
    id: n.id,
    county: { code: county.code, name: county.name },
    title: n.title,
    body: bodyOf(n.body),
    startsOn: n.starts_on,
    endsOn: n.ends_on,
    open: isOpen(n, today),
    // Masked when published (names of the place's people too); masked again for numbers, in case.
    answers: answers.map((a) => ({
      id: a.id,
      content: maskText(a.content ?? ''),
      createdAt: iso(a.created_at)!,
      answer: maskText(a.answer ?? ''),
      answeredAt: iso(a.answered_at),
    })),
  };
}

export async function submitFeedback(
  db: Kysely<DB>,
  countyCode: string,
  id: number,
  input: FeedbackInput,
  hash: string,
  today = countyToday(),
) {
  const county = await countyOf(db, countyCode);
  const n = await repo.findNotice(db, county.id, id);
  if (!n || n.starts_on > today) throw noticeNotFound();
  if (today > n.ends_on) {
    throw new AppError(
      409,
      'notice_ended',
      `公示已于${n.ends_on}结束，不再收集意见`,
      `the notice ended on ${n.ends_on}; feedback is closed`,
    );
  }
  const row = await repo.insertFeedback(db, {
    county_id: county.id,
    notice_id: id,
    content: input.content,
    contact: input.anonymous ? null : input.contact || null,
    address_hash: hash,
  });
  return {
    id: row.id,
    createdAt: iso(row.created_at)!,
    message: '感谢您的意见，我们会认真研究处理',
    messageEn: 'thank you for your feedback',
  };
}

// ---------------------------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------------------------

export async function listNotices(ctx: ServiceContext, q: NoticeListQuery) {
  const today = countyToday();
  await settleNotices(ctx.db, ctx.countyId, today);
  const { items, total } = await repo.listNotices(ctx.db, ctx.countyId, {
    ...(q.open && { openOn: today }),
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return {
    items: items.map((n) => ({
      id: n.id,
      planId: n.plan_id,
      orgId: n.org_id,
      orgName: n.org_name,
      title: n.title,
      startsOn: n.starts_on,
      endsOn: n.ends_on,
      open: isOpen(n, today),
      feedbackCount: Number(n.feedback_count),
      unansweredCount: Number(n.unanswered_count),
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** Contacts are for those who answer; others (an auditor) see them masked. */
function presentFeedback(ctx: ServiceContext, f: repo.FeedbackRow) {
  const full = !!ctx.actor && scopeOf(ctx.actor.role, 'notice.answer') !== undefined;
  return {
    id: f.id,
    noticeId: f.notice_id,
    content: f.content,
    contact: f.contact === null ? null : full ? f.contact : maskText(f.contact),
    anonymous: f.contact === null,
    createdAt: iso(f.created_at)!,
    answer: f.answer,
    answeredBy: f.answered_by,
    answeredByName: f.answered_by_name,
    answeredAt: iso(f.answered_at),
    answerPublished: f.answer_published,
  };
}

async function visibleNotice(ctx: ServiceContext, id: number) {
  const n = await repo.findNotice(ctx.db, ctx.countyId, id);
  if (!n) throw noticeNotFound();
  return n;
}

export async function listFeedback(ctx: ServiceContext, noticeId: number, q: FeedbackListQuery) {
  await visibleNotice(ctx, noticeId);
  const [items, total] = await Promise.all([
    repo.listFeedback(ctx.db, ctx.countyId, noticeId, q.pageSize, (q.page - 1) * q.pageSize),
    repo.countFeedback(ctx.db, ctx.countyId, noticeId),
  ]);
  return { items: items.map((f) => presentFeedback(ctx, f)), total, page: q.page, pageSize: q.pageSize };
}

/**
 * The feedback and answer as the public would read them: ID numbers, phones and the names of the
 * notice's people masked (秦强良 → 秦某), as the notice itself is. Computed on the server, so what
 * is stored for publication is exactly what the answering staff saw in the preview.
 */
async function publicTexts(ctx: ServiceContext, noticeId: number, content: string, answer: string) {
  const names = await repo.publicationNames(ctx.db, ctx.countyId, noticeId);
  return { content: maskText(content, names), answer: maskText(answer, names) };
}

export async function previewAnswer(
  ctx: ServiceContext,
  noticeId: number,
  id: number,
  input: AnswerPreviewInput,
) {
  await visibleNotice(ctx, noticeId);
  const f = await repo.findFeedback(ctx.db, ctx.countyId, noticeId, id);
  if (!f) throw notFound('意见', 'Feedback');
  return publicTexts(ctx, noticeId, f.content, input.answer);
}

export async function answerFeedback(ctx: ServiceContext, noticeId: number, id: number, input: AnswerInput) {
  return withTransaction(ctx.db, async (trx) => {
    const tctx = { ...ctx, db: trx };
    await visibleNotice(tctx, noticeId);
    const f = await repo.findFeedback(trx, ctx.countyId, noticeId, id);
    if (!f) throw notFound('意见', 'Feedback');
    const n = await repo.answerFeedback(trx, ctx.countyId, noticeId, id, {
      answer: input.answer,
      userId: ctx.actor?.userId ?? null,
      published: input.publish ? await publicTexts(tctx, noticeId, f.content, input.answer) : null,
    });
    if (!n) throw notFound('意见', 'Feedback');
    await recordAudit(tctx, {
      action: 'notice.answer',
      targetType: 'notice_feedback',
      targetId: id,
      details: { noticeId, publish: input.publish },
    });
    return presentFeedback(tctx, (await repo.findFeedback(trx, ctx.countyId, noticeId, id))!);
  });
}
