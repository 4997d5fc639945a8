import { z } from 'zod';
import { Id, IsoDate } from '../shared-schemas.ts';

export const StatsQuery = z.strictObject({
  org: Id.optional().describe('组织（含下级），默认全县 / subtree root, default the county'),
  asOf: IsoDate.optional().describe('统计日期，默认今天 / as of, default today'),
});

const Bucket = z.object({ code: z.string(), label: z.string(), count: z.number().int() });
const n = z.number().int();

export const StructureStats = z.object({
  org: z.object({ id: n, name: z.string() }),
  asOf: z.string(),
  orgs: z.object({
    committees: n.describe('基层党(工)委 / grassroots committees'),
    branches: n.describe('党支部 / branches'),
    villageBranches: n.describe('村党支部 / village branches'),
    byKind: z.array(Bucket),
  }),
  members: z.object({
    total: n,
    full: n,
    probationary: n,
    rural: n.describe('农村党员 / rural members'),
    women: n,
    womenPercent: z.number(),
    averageAge: z.number(),
    newThisYear: n.describe('今年新发展 / admitted this year'),
    needy: n,
    mobile: n,
    byGender: z.array(Bucket),
    byAgeBand: z.array(Bucket),
    byEducation: z.array(Bucket),
    bySector: z.array(Bucket),
  }),
  pipeline: z.object({ developmentTargets: n, activists: n, applicants: n }),
  leaders: z.object({ county: n, section: n, other: n }),
  households: z.object({ total: n, needy: n, byCategory: z.array(Bucket) }),
});
