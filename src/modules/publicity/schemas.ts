import { z } from 'zod';
import { Id, QueryBool } from '../shared-schemas.ts';

/** Control characters other than tab and newline are dropped from what the public types; CRLF becomes LF. */
export const cleanText = (s: string) =>
  [...s.replace(/\r\n?/g, '\n')]
    .filter((c) => {
      const code = c.codePointAt(0)!;
      return c === '\n' || c === '\t' || (code >= 0x20 && code !== 0x7f);
    })
    .join('');

export const CountyCode = z.string().regex(/^\d{6}$/, '县代码应为6位数字 / the county code is 6 digits');

export const PublicNoticeListQuery = z.strictObject({
  county: CountyCode.describe('县代码 / county code'),
  township: Id.optional().describe('乡镇党委(组织)编号 / the township committee (organisation) id'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type PublicNoticeListQuery = z.infer<typeof PublicNoticeListQuery>;

export const PublicNoticeQuery = z.strictObject({ county: CountyCode.describe('县代码 / county code') });

export const FeedbackInput = z.strictObject({
  content: z
    .string()
    .overwrite(cleanText)
    .trim()
    .min(1)
    .max(1000)
    .describe('意见建议，1–1000字 / 1–1000 characters'),
  contact: z
    .string()
    .overwrite(cleanText)
    .trim()
    .max(100)
    .nullish()
    .describe('联系方式（选填，不公开）/ contact, optional, never published'),
  anonymous: z.boolean().describe('匿名：不保存联系方式 / anonymous: no contact is kept'),
});
export type FeedbackInput = z.infer<typeof FeedbackInput>;

const NoticeTask = z.object({
  seq: z.number().int(),
  what: z.string(),
  target: z.string().nullable(),
  dueOn: z.string().nullable(),
});

export const NoticeBody = z.object({
  kind: z.string(),
  kindLabel: z.string(),
  planName: z.string(),
  year: z.number().int(),
  title: z.string(),
  content: z.string(),
  tasks: z.array(NoticeTask),
  helper: z.string(),
  helped: z.string().nullable().describe('已脱敏 / masked: 王某'),
  place: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
});

export const PublicNoticeSummary = z.object({
  id: z.number().int(),
  title: z.string(),
  kindLabel: z.string(),
  planName: z.string(),
  place: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  open: z.boolean().describe('公示中 / the notice is running'),
});

export const PublicAnswer = z.object({
  id: z.number().int(),
  content: z.string(),
  createdAt: z.string(),
  answer: z.string(),
  answeredAt: z.string().nullable(),
});

export const PublicNotice = z.object({
  id: z.number().int(),
  county: z.object({ code: z.string(), name: z.string() }),
  title: z.string(),
  body: NoticeBody,
  startsOn: z.string(),
  endsOn: z.string(),
  open: z.boolean(),
  answers: z.array(PublicAnswer).describe('已公开的答复 / published answers'),
});

export const FeedbackReceipt = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  message: z.string(),
  messageEn: z.string(),
});

// Staff

export const NoticeListQuery = z.strictObject({
  open: QueryBool.optional().describe('仅公示中 / running notices only'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type NoticeListQuery = z.infer<typeof NoticeListQuery>;

export const StaffNotice = z.object({
  id: z.number().int(),
  planId: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string().nullable(),
  title: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  open: z.boolean(),
  feedbackCount: z.number().int(),
  unansweredCount: z.number().int(),
});

export const FeedbackListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export type FeedbackListQuery = z.infer<typeof FeedbackListQuery>;

export const Feedback = z.object({
  id: z.number().int(),
  noticeId: z.number().int(),
  content: z.string(),
  contact: z.string().nullable().describe('仅答复人可见全文 / in full only to those who answer'),
  anonymous: z.boolean(),
  createdAt: z.string(),
  answer: z.string().nullable(),
  answeredBy: z.number().int().nullable(),
  answeredByName: z.string().nullable(),
  answeredAt: z.string().nullable(),
  answerPublished: z.boolean(),
});

export const FeedbackParams = z.strictObject({ id: Id, fid: Id });

export const AnswerInput = z.strictObject({
  answer: z.string().overwrite(cleanText).trim().min(1).max(2000),
  publish: z
    .boolean()
    .describe('公开答复（连同意见内容，已脱敏）/ publish the answer with the feedback, masked'),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

export const AnswerPreviewInput = z.strictObject({ answer: AnswerInput.shape.answer });
export type AnswerPreviewInput = z.infer<typeof AnswerPreviewInput>;

export const AnswerPreview = z
  .object({
    content: z.string().describe('公开后的意见内容（已脱敏）/ the feedback as published, masked'),
    answer: z.string().describe('公开后的答复（已脱敏）/ the answer as published, masked'),
  })
  .describe('公开前预览 / what the public page would show');
