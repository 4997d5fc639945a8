import { z } from 'zod';
import { codes } from '../../domain/codes.ts';
import { OPINIONS } from '../../domain/pairings.ts';
import { Pairing, Visit } from '../pairings/schemas.ts';
import { Id } from '../shared-schemas.ts';

/** Requests and answers of the card and the register (卡册). */

const Year = z.coerce.number().int().min(2000).max(2100);
const BodyId = z.number().int().positive();

export const CHECK_STATUSES = [
  { code: 'done', zh: '已完成', en: 'Done' },
  { code: 'in_progress', zh: '推进中', en: 'In progress' },
  { code: 'not_started', zh: '未开始', en: 'Not started' },
  { code: 'behind', zh: '滞后', en: 'Behind' },
] as const;
export const SIGNOFF_PARTIES = [
  { code: 'helped', zh: '被帮扶对象', en: 'The helped party' },
  { code: 'helped_branch', zh: '被帮扶方所在党支部', en: "The helped party's branch" },
] as const;

export const CheckStatus = z.enum(codes(CHECK_STATUSES)).describe('任务进度 / task status');
export const SignoffParty = z.enum(codes(SIGNOFF_PARTIES)).describe('签署方 / who signs');
export const OpinionCode = z.enum(codes(OPINIONS)).describe('意见 / opinion');
export type SignoffParty = z.infer<typeof SignoffParty>;

export const YearQuery = z.strictObject({
  year: Year.optional().describe('工作年度，默认今年 / work year, default this year'),
});

export const PlanIdParams = z.strictObject({ planId: Id });
export const PairingIdParams = z.strictObject({ pairingId: Id });
export const SignoffParams = z.strictObject({ id: Id, year: Year, party: SignoffParty });

// Mid-year check --------------------------------------------------------------------------------

export const CheckInput = z.strictObject({
  items: z
    .array(
      z.strictObject({
        taskId: BodyId,
        status: CheckStatus,
        comment: z.string().trim().max(1000).optional(),
      }),
    )
    .min(1)
    .max(100),
});
export type CheckInput = z.infer<typeof CheckInput>;

export const TaskCheck = z.object({
  id: z.number().int(),
  status: z.string(),
  statusLabel: z.string(),
  comment: z.string().nullable(),
  checkedBy: z.number().int().nullable(),
  checkedByName: z.string().nullable(),
  checkedAt: z.string(),
});

export const RegisterTask = z.object({
  id: z.number().int(),
  seq: z.number().int(),
  what: z.string(),
  target: z.string().nullable(),
  dueOn: z.string().nullable(),
  latestCheck: TaskCheck.nullable(),
});

export const CheckResult = z.object({
  planId: z.number().int(),
  year: z.number().int(),
  checked: z.number().int(),
  tasks: z.array(RegisterTask),
});

// Progress notes ---------------------------------------------------------------------------------

export const NoteInput = z.strictObject({
  taskId: BodyId.optional().describe('所涉任务（可不填）/ the task it is about, if any'),
  year: z
    .number()
    .int()
    .min(2000)
    .max(2100)
    .optional()
    .describe('年度：有任务时取任务所属方案的年度，否则默认今年 / the task’s plan year, else this year'),
  text: z.string().trim().min(1).max(2000).describe('进展情况 / progress'),
});
export type NoteInput = z.infer<typeof NoteInput>;

export const Note = z.object({
  id: z.number().int(),
  pairingId: z.number().int(),
  year: z.number().int(),
  taskId: z.number().int().nullable(),
  taskSeq: z.number().int().nullable(),
  text: z.string(),
  writtenBy: z.number().int().nullable(),
  writtenByName: z.string().nullable(),
  writtenAt: z.string(),
});

// Sign-offs -------------------------------------------------------------------------------------

export const SignoffInput = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  party: SignoffParty,
  opinion: OpinionCode,
  comment: z.string().trim().max(1000).optional(),
});
export type SignoffInput = z.infer<typeof SignoffInput>;

export const AmendInput = z.strictObject({
  opinion: OpinionCode,
  comment: z.string().trim().max(1000).nullish(),
  reason: z
    .string()
    .trim()
    .min(1, '请说明更正理由 / give the reason')
    .max(500)
    .describe('更正理由（必填）/ why'),
});
export type AmendInput = z.infer<typeof AmendInput>;

export const Signoff = z.object({
  pairingId: z.number().int(),
  year: z.number().int(),
  party: z.string(),
  partyLabel: z.string(),
  opinion: z.string(),
  opinionLabel: z.string(),
  comment: z.string().nullable(),
  onBehalf: z.boolean().describe('由党支部书记或党(工)委代为录入 / recorded on the party’s behalf'),
  recordedBy: z.number().int().nullable(),
  recordedByName: z.string().nullable(),
  recordedAt: z.string(),
  amendedReason: z.string().nullable(),
  amendedBy: z.number().int().nullable(),
  amendedAt: z.string().nullable(),
});

export const SignoffResult = Signoff.extend({
  closed: z.boolean().describe('双方均已签署，本年度已办结 / both have signed: the year is closed'),
});

// The register ------------------------------------------------------------------------------------

export const Photo = z.object({
  id: z.number().int(),
  visitId: z.number().int(),
  mime: z.string(),
  size: z.number().int(),
  url: z.string(),
});

export const Register = z.object({
  year: z.number().int(),
  pairing: Pairing,
  plan: z
    .object({
      id: z.number().int(),
      title: z.string(),
      status: z.string(),
      statusLabel: z.string(),
      inForceOn: z.string().nullable(),
    })
    .nullable(),
  tasks: z.array(RegisterTask),
  notes: z.array(Note),
  visits: z.array(Visit.extend({ photos: z.array(Photo) })),
  signoffs: z.array(Signoff),
  closed: z.boolean(),
  signableParties: z.array(SignoffParty).describe('我现在可签署的一方 / the parties I may sign for now'),
});

/** The multipart body, for the API documents only (the file is streamed, not parsed). */
export const PhotoUploadBody = z.any().meta({
  type: 'object',
  properties: {
    file: { type: 'string', format: 'binary', description: 'JPEG、PNG 或 HEIC，≤ 10 MB / at most 10 MB' },
  },
  required: ['file'],
});
