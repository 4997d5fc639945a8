import { z } from 'zod';
import { Pairing } from '../pairings/schemas.ts';

export const HomeQuery = z.strictObject({});

const Count = z.number().int();

/** 工作台: what needs the signed-in user, each section present only when their role may see it. */
export const Home = z.object({
  asOf: z.string(),
  year: z.number().int(),
  reviews: z
    .object({ waiting: Count.describe('待我审查或审定的方案 / plans waiting for my review or approval') })
    .nullable(),
  compliance: z
    .object({
      total: Count,
      onTrack: Count,
      behindPace: Count.describe('进度滞后 / behind pace'),
      short: Count.describe('未完成 / short at the end of their year'),
    })
    .nullable()
    .describe('本级及以下结对完成情况 / pairings in my subtree'),
  notices: z
    .object({
      open: Count.describe('公示期内 / under public notice'),
      unanswered: Count.describe('待答复的群众意见 / feedback waiting for an answer'),
      openWithUnanswered: Count,
    })
    .nullable(),
  myPairings: z
    .array(Pairing)
    .describe('我承担的结对，最紧迫的在前 / pairings I carry out, most urgent first'),
});
