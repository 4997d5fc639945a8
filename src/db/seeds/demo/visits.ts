import { assessPairing } from '../../../domain/compliance.ts';
import {
  effectiveRule,
  type FourVisitType,
  type OutcomeUnit,
  type SystemCode,
  type VisitKind,
} from '../../../domain/pairings.ts';
import { addDays, dayOf, isoOf, maxDate, minDate } from './dates.ts';
import type { MemberSeed } from './members.ts';
import { words } from './names.ts';
import type { OrgNode } from './orgs.ts';
import { type PairingSeed, type PairingsPlan, placeOf, type Rosters, secretaryOf } from './pairings.ts';
import type { Rng } from './rng.ts';

/**
 * The visits and activities of the demo's pairings, up to the day before the demo's "today": leaders'
 * on-site work at their points, the co-building branches' standing systems, members' calls on the
 * people they help. Each pairing keeps the pace it was given (on track, behind, short), measured with
 * the domain's own `assessPairing`, so the dashboards show what the generator meant.
 */

export interface OutcomeSeed {
  unit: OutcomeUnit;
  amount: number;
  note: string | null;
}

/** A visit before it is written; `id` is filled in once ids are reserved. */
export interface VisitSeed {
  on: string;
  kind: VisitKind;
  subKind: FourVisitType | null;
  content: string;
  problemsFound: string | null;
  problemsSolved: string | null;
  /** Every pairing the visit counts for (one record, several ledgers). */
  pairings: PairingSeed[];
  participants: MemberSeed[];
  outcomes: OutcomeSeed[];
  id: number;
}

const CROPS = words('茶叶 烤烟 油茶 中药材 猕猴桃 食用菌 蔬菜 柑橘 核桃 水稻 玉米 辣椒');
const LIVESTOCK = words('鸡 鸭 鹅 山羊 生猪 肉兔');
const TOPICS = words(
  '秋冬季森林防火 人居环境整治 村集体经济发展 防汛减灾 产业发展 冬春农田水利建设 乡风文明建设 矛盾纠纷排查',
);

const HOLIDAYS = new Set(['01-01', '10-01', '10-02', '10-03']);

/** The last day visits may fall on: the day before `asOf`, so nothing is logged "later today". */
export const lastVisitDay = (asOf: string) => addDays(asOf, -1);

export function planVisits(rng: Rng, plan: PairingsPlan, asOf: string): VisitSeed[] {
  const active = activeRosters(plan.rosters);
  const ctx: Ctx = { rng, rosters: plan.rosters, active, used: new Map(), visits: [] };
  const targets = new Map<PairingSeed, number>();
  for (const p of plan.all) {
    if (p.kind !== 'member_assist') targets.set(p, countedTarget(rng, p, asOf));
  }
  // Joint visits first: a leader at his point together with his own branch, which co-builds with it.
  for (const p of plan.all) {
    if (!p.partner) continue;
    const partner = p.partner;
    const from = maxDate(p.startedOn, partner.startedOn);
    const to = minDate(windowOf(p, asOf).to, windowOf(partner, asOf).to);
    const k = Math.min(rng.int(1, 2), targets.get(p)!, targets.get(partner)!);
    for (const on of spread(rng, from, to, k, usedOf(ctx, p), usedOf(ctx, partner))) {
      ctx.visits.push(jointVisit(ctx, p, partner, on));
      targets.set(p, targets.get(p)! - 1);
      targets.set(partner, targets.get(partner)! - 1);
    }
  }
  for (const p of plan.all) {
    if (p.kind === 'leader_contact') leaderVisits(ctx, p, targets.get(p)!, asOf);
    else if (p.kind === 'branch_cobuild') branchVisits(ctx, p, targets.get(p)!, asOf);
    else memberVisits(ctx, p, asOf);
  }
  return ctx.visits.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
}

interface Ctx {
  rng: Rng;
  rosters: Rosters;
  /** Party members on the spot (not away, not out of touch): those who take part in visits. */
  active: Rosters;
  /** Dates already used per pairing: one record a day per pairing. */
  used: Map<PairingSeed, Set<string>>;
  visits: VisitSeed[];
}

function activeRosters(rosters: Rosters): Rosters {
  const out: Rosters = new Map();
  for (const [org, list] of rosters)
    out.set(
      org,
      list.filter((m) => m.status === 'normal'),
    );
  return out;
}

const usedOf = (ctx: Ctx, p: PairingSeed) => {
  const set = ctx.used.get(p) ?? new Set<string>();
  ctx.used.set(p, set);
  return set;
};

/** The days a pairing's visits may fall on: its span in its year, up to the day before `asOf`. */
function windowOf(p: PairingSeed, asOf: string): { from: string; to: string } {
  return {
    from: p.startedOn,
    to: minDate(minDate(p.endedOn ?? `${p.year}-12-31`, `${p.year}-12-31`), lastVisitDay(asOf)),
  };
}

/**
 * Counted visits a quota pairing gets by `asOf`, after the pace it keeps: on track makes at least
 * what is due by now (a little more, now and then), behind pace one to three fewer, short one to
 * three fewer than the whole (prorated) quota.
 */
function countedTarget(rng: Rng, p: PairingSeed, asOf: string): number {
  const rule = effectiveRule(p.kind);
  const a = assessPairing({
    pairing: { leaderRank: p.leaderRank, startedOn: p.startedOn, endedOn: p.endedOn },
    rule,
    year: p.year,
    asOf,
  });
  const { from, to } = windowOf(p, asOf);
  const days = Math.max(0, dayOf(to) - dayOf(from) + 1);
  let n: number;
  if (p.pace === 'short') n = Math.max(0, a.required - rng.int(1, 3));
  else if (p.pace === 'behind_pace') n = Math.max(0, a.expectedByNow - rng.int(1, 3));
  else if (p.kind === 'branch_cobuild') n = Math.min(a.expectedByNow + rng.int(1, 4), a.required + 4);
  else n = Math.min(a.expectedByNow + rng.int(0, 2), a.required + 1);
  return Math.min(n, days);
}

/**
 * `n` distinct dates spread over [from, to], one in each of n equal stretches, moved off weekends
 * mostly (cadres visit on working days), never on a date already used by any of the pairings.
 */
function spread(rng: Rng, from: string, to: string, n: number, ...used: Set<string>[]): string[] {
  const a = dayOf(from);
  const b = dayOf(to);
  const len = b - a + 1;
  const out: string[] = [];
  if (len <= 0 || n <= 0) return out;
  const taken = (d: number) => used.some((u) => u.has(isoOf(d)));
  for (let i = 0; i < Math.min(n, len); i++) {
    const lo = a + Math.floor((i * len) / n);
    const hi = Math.max(lo, a + Math.floor(((i + 1) * len) / n) - 1);
    let d = rng.int(lo, Math.min(hi, b));
    const weekday = (d + 4) % 7; // 1970-01-01 was a Thursday
    if (rng.chance(0.85)) {
      if (weekday === 6 && d - 1 >= a) d -= 1;
      else if (weekday === 0 && d + 1 <= b) d += 1;
    }
    // Nobody calls on New Year's Day or in the first days of the National Day holiday.
    while (HOLIDAYS.has(isoOf(d).slice(5)) && d + 1 <= b) d += 1;
    // The nearest free day, looking both ways.
    let found: number | null = null;
    for (let k = 0; k <= len && found === null; k++) {
      if (d + k <= b && !taken(d + k)) found = d + k;
      else if (d - k >= a && !taken(d - k)) found = d - k;
    }
    if (found === null) break;
    const iso = isoOf(found);
    for (const u of used) u.add(iso);
    out.push(iso);
  }
  return out;
}

/** One date in [from, to] not used yet by the pairing, or null. */
const oneDate = (ctx: Ctx, p: PairingSeed, from: string, to: string): string | null =>
  spread(ctx.rng, from, to, 1, usedOf(ctx, p))[0] ?? null;

function sample<T>(rng: Rng, list: readonly T[], k: number, except: readonly T[] = []): T[] {
  const pool = list.filter((x) => !except.includes(x));
  const out: T[] = [];
  while (out.length < k && pool.length > 0) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
  return out;
}

const unique = (list: readonly (MemberSeed | null | undefined)[]) => [
  ...new Set(list.filter((m): m is MemberSeed => !!m)),
];

// ---------------------------------------------------------------------------------------------
// 领导联点
// ---------------------------------------------------------------------------------------------

function leaderVisits(ctx: Ctx, p: PairingSeed, counted: number, asOf: string) {
  const { rng } = ctx;
  const { from, to } = windowOf(p, asOf);
  if (to < from) return;
  const used = usedOf(ctx, p);
  // 认亲 in the first weeks of a new point; then the work itself.
  if (!p.ranLastYear && rng.chance(0.6)) {
    const on = oneDate(ctx, p, from, minDate(addDays(from, 40), to));
    if (on) ctx.visits.push(leaderVisit(ctx, p, on, 'meet_family'));
  }
  // Those behind pace came at first and then less and less.
  const until =
    p.pace === 'behind_pace' ? isoOf(dayOf(from) + Math.floor((dayOf(to) - dayOf(from)) * 0.7)) : to;
  for (const on of spread(rng, from, until, counted, used))
    ctx.visits.push(leaderVisit(ctx, p, on, 'on_site_work'));
  if (rng.chance(0.15)) {
    const on = oneDate(ctx, p, from, to);
    if (on) ctx.visits.push(leaderVisit(ctx, p, on, 'survey'));
  }
}

function leaderVisit(ctx: Ctx, p: PairingSeed, on: string, kind: VisitKind): VisitSeed {
  const { rng } = ctx;
  const leader = p.helper!;
  const helped = p.helpedOrg;
  const firm = helped.sector !== 'rural';
  const place = placeOf(helped);
  const draft =
    kind === 'meet_family'
      ? firm
        ? { content: `到${place}与企业负责人和党员见面，了解企业生产经营和党建工作基本情况，商定联系方式` }
        : { content: `到${place}与村“两委”班子和党员代表见面认亲，召开座谈会了解村情民意，确定联点工作思路` }
      : kind === 'survey'
        ? {
            content: `到${place}开展${firm ? '非公企业党建' : rng.pick(TOPICS)}专题调研，走访党员群众${rng.int(8, 30)}人，形成调研报告1篇`,
          }
        : firm
          ? rng.pick(LEADER_AT_FIRM)(text(ctx, p, on))
          : rng.pick(LEADER_AT_VILLAGE)(text(ctx, p, on));
  const participants = unique([
    leader,
    ...sample(rng, ctx.active.get(leader.org) ?? [], rng.int(0, 2), [leader]),
    secretaryOf(ctx.rosters, helped),
    ...sample(rng, ctx.active.get(helped) ?? [], rng.int(0, 1)),
  ]);
  return visit(on, kind, draft, [p], participants);
}

function jointVisit(ctx: Ctx, leader: PairingSeed, branch: PairingSeed, on: string): VisitSeed {
  const { rng } = ctx;
  const unit = placeOf(branch.helperOrg);
  const place = placeOf(branch.helpedOrg);
  const n = rng.int(2, 20);
  const draft: Draft = rng.chance(0.5)
    ? {
        content: `联点领导${leader.helper!.name}带领${unit}党员到${place}开展联点联建，召开村“两委”和帮扶单位联席座谈会，落实帮扶资金${n}万元`,
        outcomes: [{ unit: 'yuan', amount: n * 10000, note: '帮扶资金' }],
        found: `${place}村级活动场所设施陈旧`,
        solved: `${unit}帮助添置会议桌椅和办公设备`,
      }
    : {
        content: `联点领导${leader.helper!.name}与${unit}党员一同到${place}开展“支部联建”活动，走访困难党员${rng.int(2, 6)}户，研究确定${rng.pick(CROPS)}产业帮扶项目`,
        outcomes: [{ unit: 'projects', amount: 1, note: null }],
      };
  const participants = unique([
    leader.helper,
    branch.responsible,
    ...sample(rng, ctx.active.get(branch.helperOrg) ?? [], rng.int(1, 3), [leader.helper!]),
    secretaryOf(ctx.rosters, branch.helpedOrg),
  ]);
  return visit(on, 'on_site_work', draft, [leader, branch], participants);
}

// ---------------------------------------------------------------------------------------------
// 支部联建
// ---------------------------------------------------------------------------------------------

function branchVisits(ctx: Ctx, p: PairingSeed, counted: number, asOf: string) {
  const { rng } = ctx;
  const { from, to } = windowOf(p, asOf);
  if (to < from) return;
  const until =
    p.pace === 'behind_pace' ? isoOf(dayOf(from) + Math.floor((dayOf(to) - dayOf(from)) * 0.7)) : to;
  const held = { quarters: new Set<number>(), inspected: false, crossed: false };
  const has = (s: SystemCode) => p.obligations.includes(s);
  for (const on of spread(rng, from, until, counted, usedOf(ctx, p))) {
    const month = Number(on.slice(5, 7));
    const quarter = Math.ceil(month / 3);
    let kind: VisitKind = 'on_site_work';
    // The yearly inspection late in the year, each quarter's joint meeting, then the rest.
    if (
      has('mutual_inspection') &&
      !held.inspected &&
      month >= 9 &&
      (held.quarters.has(quarter) || rng.chance(0.5))
    ) {
      kind = 'mutual_inspection';
      held.inspected = true;
    } else if (has('joint_meeting') && !held.quarters.has(quarter)) {
      kind = 'joint_meeting';
      held.quarters.add(quarter);
    } else if (has('cross_learning') && !held.crossed && rng.chance(0.6)) {
      kind = 'cross_learning';
      held.crossed = true;
    } else if (has('collective_day') && rng.chance(0.7)) kind = 'collective_day';
    ctx.visits.push(branchVisit(ctx, p, on, kind));
  }
  // Day-to-day help (not counted as on-site work): a call, a delivery, a purchase.
  const extra = has('daily_help') ? rng.int(1, 3) : rng.int(0, 1);
  for (let i = 0; i < extra; i++) {
    const on = oneDate(ctx, p, from, to);
    if (on) ctx.visits.push(branchVisit(ctx, p, on, 'daily_help'));
  }
}

function branchVisit(ctx: Ctx, p: PairingSeed, on: string, kind: VisitKind): VisitSeed {
  const { rng } = ctx;
  const t = text(ctx, p, on);
  const firm = p.helpedOrg.sector !== 'rural';
  let draft: Draft;
  switch (kind) {
    case 'joint_meeting':
      draft = {
        content: `${t.unit}与${t.place}党支部召开第${t.quarter}季度联席会，通报共建进展，研究确定下季度共建事项${rng.int(2, 5)}项`,
      };
      break;
    case 'collective_day': {
      const n = rng.int(12, 40);
      draft = {
        content: firm
          ? `${t.unit}党员与${t.place}党员共同开展主题党日活动，重温入党誓词，参观企业生产车间`
          : `${t.unit}党员与${t.place}党员共同开展主题党日活动，重温入党誓词，参加清扫村道、整治环境义务劳动`,
        outcomes: [{ unit: 'person_times', amount: n, note: '参加党员' }],
      };
      break;
    }
    case 'cross_learning': {
      const n = rng.int(4, 12);
      draft = {
        content: `开展交叉学习月活动，${t.unit}选派党员到${t.place}跟班学习，${t.place}党员到${t.unit}学习党支部规范化建设经验`,
        outcomes: [{ unit: 'person_times', amount: n, note: '交叉学习' }],
      };
      break;
    }
    case 'mutual_inspection': {
      const n = rng.int(3, 8);
      draft = {
        content: `${t.unit}与${t.place}党支部开展年度党建互检，互查“三会一课”记录、党费收缴台账和党员档案，互提意见建议${n}条`,
        found: `${t.place}党支部党员档案管理不够规范，部分材料缺失`,
        solved: rng.chance(0.7) ? `帮助重新整理党员档案${rng.int(10, 40)}份` : null,
      };
      break;
    }
    case 'daily_help':
      draft = rng.pick(DAILY_HELP)(t);
      break;
    default:
      draft = firm ? rng.pick(BRANCH_AT_FIRM)(t) : rng.pick(branchAtVillage(p.helperOrg))(t);
  }
  const big = kind === 'collective_day' || kind === 'cross_learning';
  const participants = unique([
    p.responsible,
    ...sample(rng, ctx.active.get(p.helperOrg) ?? [], big ? rng.int(3, 6) : rng.int(1, 3), [p.responsible!]),
    secretaryOf(ctx.rosters, p.helpedOrg),
    ...sample(rng, ctx.active.get(p.helpedOrg) ?? [], big ? rng.int(2, 5) : rng.int(0, 2)),
  ]);
  return visit(on, kind, draft, [p], participants);
}

// ---------------------------------------------------------------------------------------------
// 党员联帮
// ---------------------------------------------------------------------------------------------

const MEMBER_KINDS = {
  on_site_work: 40,
  donation: 22,
  four_visits: 16,
  training: 8,
  project: 8,
  survey: 6,
} as const;

function memberVisits(ctx: Ctx, p: PairingSeed, asOf: string) {
  const { rng } = ctx;
  const { from, to } = windowOf(p, asOf);
  if (to < from) return;
  // Three to six calls a year, as many of them as the year has run so far.
  const yearEnd = minDate(p.endedOn ?? `${p.year}-12-31`, `${p.year}-12-31`);
  const share = (dayOf(to) - dayOf(from) + 1) / (dayOf(yearEnd) - dayOf(from) + 1);
  const n = Math.max(1, Math.round(rng.int(3, 6) * share));
  const dates = spread(rng, from, to, n, usedOf(ctx, p));
  dates.forEach((on, i) => {
    let kind: VisitKind;
    if (i === 0 && !p.ranLastYear) kind = 'meet_family';
    else kind = rng.weightedKey<keyof typeof MEMBER_KINDS>(MEMBER_KINDS);
    if (kind === 'training' && !p.helpedHousehold) kind = 'on_site_work';
    ctx.visits.push(memberVisit(ctx, p, on, kind));
  });
}

function memberVisit(ctx: Ctx, p: PairingSeed, on: string, kind: VisitKind): VisitSeed {
  const { rng } = ctx;
  const t = text(ctx, p, on);
  let draft: Draft;
  switch (kind) {
    case 'meet_family':
      draft = {
        content: `与帮扶对象${t.who}结对认亲，了解家庭收入和生产生活困难，填写联帮卡册，留下联系电话`,
      };
      break;
    case 'donation':
      draft = rng.pick(DONATIONS)(t);
      break;
    case 'four_visits':
      draft = rng.pick(FOUR_VISITS)(t);
      break;
    case 'training':
      draft = {
        content: `带领${t.who}家人参加${t.crop}实用技术培训，学习栽培管理技术`,
        outcomes: [{ unit: 'person_times', amount: rng.int(1, 2), note: null }],
      };
      break;
    case 'project':
      draft = rng.pick(PROJECTS)(t);
      break;
    case 'survey':
      draft = { content: `到${t.who}家中核实家庭人口、收入和务工情况，更新帮扶台账` };
      break;
    default:
      draft = rng.pick(MEMBER_ON_SITE)(t);
  }
  const participants = unique([
    p.helper,
    p.helpedMember && p.helpedMember.status === 'normal' && rng.chance(0.9) ? p.helpedMember : null,
    rng.chance(0.15) ? secretaryOf(ctx.rosters, p.helpedOrg) : null,
  ]);
  return visit(on, kind, draft, [p], participants);
}

// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------

interface Draft {
  content: string;
  found?: string | null;
  solved?: string | null;
  outcomes?: OutcomeSeed[];
  subKind?: FourVisitType;
}

interface Text {
  rng: Rng;
  /** The helped branch's place: 东山村, 县水务集团公司. */
  place: string;
  /** The helper's unit: 县水利局, 县水务集团公司. */
  unit: string;
  /** The person helped: 王秀英, 张建国. */
  who: string;
  crop: string;
  quarter: number;
}

function text(ctx: Ctx, p: PairingSeed, on: string): Text {
  const who = p.helpedMember?.name ?? p.helpedHousehold?.head_name ?? '';
  return {
    rng: ctx.rng,
    place: placeOf(p.helpedOrg),
    unit: placeOf(p.helperOrg),
    who,
    crop: ctx.rng.pick(CROPS),
    quarter: Math.ceil(Number(on.slice(5, 7)) / 3),
  };
}

function visit(
  on: string,
  kind: VisitKind,
  d: Draft,
  pairings: PairingSeed[],
  participants: MemberSeed[],
): VisitSeed {
  return {
    on,
    kind,
    subKind: d.subKind ?? null,
    content: d.content,
    problemsFound: d.found ?? null,
    problemsSolved: d.found ? (d.solved ?? null) : null,
    pairings,
    participants,
    outcomes: d.outcomes ?? [],
    id: 0,
  };
}

type Template = (t: Text) => Draft;

const wan = (n: number) => n * 10000;

const LEADER_AT_VILLAGE: readonly Template[] = [
  ({ rng, place, crop }) => {
    const n = rng.int(1, 8);
    return {
      content: `到${place}调研${crop}产业发展，协调解决灌溉水渠维修资金${n}万元`,
      found: `${place}部分灌溉水渠年久失修，影响${crop}种植`,
      solved: `协调县水利局安排维修资金${n}万元`,
      outcomes: [{ unit: 'yuan', amount: wan(n), note: '水渠维修资金' }],
    };
  },
  ({ rng, place }) => ({
    content: `在${place}主持召开村“两委”班子会议，研究部署${rng.pick(TOPICS)}工作`,
    ...(rng.chance(0.4)
      ? { found: '村“两委”班子成员分工不够明确', solved: '帮助调整班子分工，明确包组责任' }
      : {}),
  }),
  ({ rng, place }) => ({
    content: `到${place}检查指导“三会一课”落实情况，查阅会议记录和党员学习笔记`,
    ...(rng.chance(0.5)
      ? { found: '部分党员学习笔记记录不全', solved: '督促支部建立学习记录月检查制度' }
      : {}),
  }),
  ({ rng, place }) => {
    const n = rng.int(15, 45);
    return {
      content: `为${place}党员干部讲授专题党课，参加党员${n}人`,
      outcomes: [{ unit: 'person_times', amount: n, note: '专题党课' }],
    };
  },
  ({ rng, place }) => {
    const n = rng.int(3, 10);
    return {
      content: `到${place}走访困难党员和困难群众${n}户，送去慰问金和米、油`,
      outcomes: [
        { unit: 'households', amount: n, note: null },
        { unit: 'yuan', amount: n * rng.pick([300, 500, 800]), note: '慰问金' },
      ],
    };
  },
  ({ rng, place }) => ({
    content: `到${place}督导人居环境整治，现场协调解决垃圾清运问题`,
    found: '村内垃圾清运不及时，群众反映较多',
    solved: rng.chance(0.7) ? `协调乡镇增设垃圾收集点${rng.int(2, 6)}处` : null,
  }),
  ({ rng, place }) => {
    const n = rng.int(10, 60);
    const km = rng.int(8, 45) / 10;
    return {
      content: `到${place}协调村组道路硬化项目，落实资金${n}万元，硬化道路${km}公里`,
      found: '通组道路坑洼不平，雨天群众出行困难',
      solved: '项目列入县交通运输局年度计划',
      outcomes: [
        { unit: 'yuan', amount: wan(n), note: '道路硬化资金' },
        { unit: 'km', amount: km, note: null },
        { unit: 'projects', amount: 1, note: null },
      ],
    };
  },
  ({ rng, place }) => ({
    content: `参加${place}主题党日活动，与党员群众座谈，收集意见建议${rng.int(4, 15)}条`,
  }),
  ({ rng, place }) => {
    const n = rng.int(1, 4);
    return {
      content: `到${place}调处土地流转纠纷，化解矛盾${n}起`,
      found: '部分农户对土地流转价格有意见',
      solved: '召开协调会，双方重新签订流转协议',
    };
  },
  ({ rng, place, crop }) => {
    const mu = rng.int(5, 30) * 10;
    return {
      content: `到${place}指导发展村集体经济，谋划${crop}专业合作社项目，流转土地${mu}亩`,
      outcomes: [
        { unit: 'projects', amount: 1, note: `${crop}专业合作社` },
        { unit: 'mu', amount: mu, note: null },
      ],
    };
  },
  ({ rng, place }) => ({
    content: `到${place}检查防汛工作，排查地质灾害隐患点${rng.int(1, 5)}处`,
    found: '个别隐患点无人值守监测',
    solved: '落实监测责任人和预警转移路线',
  }),
  ({ place }) => ({ content: `到${place}督促落实“四议两公开”，指导更新村务公开栏` }),
  ({ rng, place, crop }) => {
    const n = rng.int(10, 80);
    return {
      content: `到${place}了解${crop}销售情况，联系县内企业订单收购${n}吨`,
      found: `${crop}集中上市，销售渠道窄`,
      solved: '联系县内农产品加工企业签订收购协议',
      outcomes: [{ unit: 'yuan', amount: n * rng.int(2, 8) * 1000, note: '订单收购金额' }],
    };
  },
  ({ rng, place }) => {
    const n = rng.int(30, 90);
    return {
      content: `到${place}召开群众院坝会，宣讲惠农政策，听取群众意见`,
      outcomes: [{ unit: 'people', amount: n, note: '参会群众' }],
    };
  },
];

const LEADER_AT_FIRM: readonly Template[] = [
  ({ rng, place }) => {
    const n = rng.int(50, 500);
    return {
      content: `到${place}了解企业生产经营情况，协调金融机构帮助争取贷款${n}万元`,
      found: '企业流动资金紧张',
      solved: `协调县农商行发放贷款${n}万元`,
      outcomes: [{ unit: 'yuan', amount: wan(n), note: '协调贷款' }],
    };
  },
  ({ place }) => ({ content: `到${place}指导企业党支部开展“党员示范岗”创建活动，查看党建阵地建设` }),
  ({ rng, place }) => {
    const n = rng.int(10, 60);
    return {
      content: `到${place}召开企业座谈会，协调解决用工问题，推荐本地务工人员${n}人`,
      found: '企业季节性用工缺口较大',
      solved: '协调县人社局举办专场招聘会',
      outcomes: [{ unit: 'people', amount: n, note: '推荐就业' }],
    };
  },
  ({ rng, place }) => ({
    content: `到${place}检查安全生产和党建工作，督促整改隐患${rng.int(2, 6)}处`,
  }),
  ({ place }) => ({
    content: `到${place}宣讲减税降费政策，帮助企业申报技术改造项目`,
    outcomes: [{ unit: 'projects', amount: 1, note: '技术改造' }],
  }),
  ({ rng, place }) => ({ content: `参加${place}党支部组织生活会，提出整改意见${rng.int(3, 8)}条` }),
];

/** What a helper branch brings depends on what it is: a hospital holds a clinic, a school brings books. */
function branchAtVillage(helper: OrgNode): readonly Template[] {
  const profile = helper.branch!.profile;
  const special: Template[] = [];
  if (profile === 'medical')
    special.push(({ rng, unit, place }) => {
      const n = rng.int(40, 150);
      return {
        content: `${unit}医护党员到${place}开展义诊，免费测血压、血糖，发放常用药品`,
        outcomes: [{ unit: 'person_times', amount: n, note: '义诊服务' }],
      };
    });
  if (profile === 'school')
    special.push(({ rng, unit, place }) => {
      const n = rng.int(100, 500);
      return {
        content: `${unit}教师党员到${place}开展关爱留守儿童活动，捐赠图书${n}册`,
        outcomes: [{ unit: 'items', amount: n, note: '图书' }],
      };
    });
  if (profile === 'police')
    special.push(({ rng, unit, place }) => ({
      content: `${unit}民警党员到${place}开展法治和防范电信诈骗宣传，发放宣传资料${rng.int(100, 400)}份`,
    }));
  if (helper.sector === 'state_enterprise' || helper.sector === 'private_enterprise')
    special.push(
      ({ rng, unit, place }) => {
        const n = rng.int(5, 30);
        return {
          content: `${unit}到${place}开展村企共建，吸纳当地群众${n}人到企业务工`,
          outcomes: [{ unit: 'people', amount: n, note: '吸纳就业' }],
        };
      },
      ({ rng, unit, place, crop }) => {
        const n = rng.int(10, 100);
        return {
          content: `${unit}与${place}签订${crop}订单收购协议，收购${n}吨`,
          outcomes: [{ unit: 'yuan', amount: n * rng.int(2, 6) * 1000, note: '订单收购' }],
        };
      },
    );
  return [...special, ...special, ...BRANCH_AT_VILLAGE];
}

const BRANCH_AT_VILLAGE: readonly Template[] = [
  ({ rng, unit, place }) => {
    const n = rng.int(1, 4);
    return {
      content: `${unit}党员到${place}开展共建，帮助规范党建档案，捐赠办公电脑${n}台`,
      outcomes: [{ unit: 'items', amount: n, note: '办公电脑' }],
    };
  },
  ({ unit, place }) => ({
    content: `${unit}党员到${place}帮助修订村规民约，完善党员活动室`,
    found: '村党员活动室设施简陋',
    solved: `${unit}出资添置桌椅和投影设备`,
  }),
  ({ rng, unit, place }) => {
    const n = rng.int(1, 10);
    return {
      content: `${unit}到${place}开展共建，帮助解决村级办公经费${n}万元`,
      outcomes: [{ unit: 'yuan', amount: wan(n), note: '办公经费' }],
    };
  },
  ({ rng, unit, place, crop }) => {
    const n = rng.int(20, 80);
    return {
      content: `${unit}组织${place}农户参加${crop}实用技术培训`,
      outcomes: [{ unit: 'person_times', amount: n, note: '实用技术培训' }],
    };
  },
  ({ rng, unit, place }) => {
    const n = rng.int(3, 12);
    return {
      content: `${unit}党员到${place}走访慰问困难党员和群众${n}户`,
      outcomes: [
        { unit: 'households', amount: n, note: null },
        { unit: 'yuan', amount: n * 500, note: '慰问金' },
      ],
    };
  },
];

const BRANCH_AT_FIRM: readonly Template[] = [
  ({ rng, unit, place }) => ({
    content: `${unit}到${place}开展政企共建，帮助企业解决${rng.pick(['融资', '用工', '用地', '用电'])}问题`,
    found: `${place}反映办事环节多、周期长`,
    solved: '协调相关部门开通绿色通道',
  }),
  ({ unit, place }) => ({ content: `${unit}党员到${place}讲授党课，指导企业党支部规范“三会一课”` }),
  ({ rng, unit, place }) => ({
    content: `${unit}到${place}宣讲惠企政策，帮助企业申报奖补资金`,
    outcomes: [{ unit: 'yuan', amount: wan(rng.int(2, 30)), note: '惠企奖补' }],
  }),
];

const DAILY_HELP: readonly Template[] = [
  ({ rng, unit, place, crop }) => {
    const n = rng.int(2, 30);
    return {
      content: `${unit}帮助${place}联系销售${crop}${n}吨`,
      outcomes: [{ unit: 'yuan', amount: n * rng.int(2, 8) * 1000, note: '消费帮扶' }],
    };
  },
  ({ unit, place }) => ({ content: `${unit}为${place}党支部送去党建学习资料和党报党刊` }),
  ({ unit, place }) => ({ content: `${unit}通过电话与${place}党支部书记沟通，帮助解决群众反映的饮水问题` }),
  ({ rng, unit, place }) => ({
    content: `${unit}党员职工开展“消费帮扶”，认购${place}农产品`,
    outcomes: [{ unit: 'yuan', amount: rng.int(20, 200) * 100, note: '消费帮扶' }],
  }),
];

const MEMBER_ON_SITE: readonly Template[] = [
  ({ who, crop }) => ({ content: `到${who}家中走访，帮助制定${crop}种植计划` }),
  ({ rng, who }) => {
    const n = rng.int(5, 30) * 100;
    return {
      content: `帮助${who}申请临时救助，落实救助资金${n}元`,
      found: `${who}家中因病开支大，生活困难`,
      solved: `落实临时救助${n}元`,
      outcomes: [{ unit: 'yuan', amount: n, note: '临时救助' }],
    };
  },
  ({ rng, who }) => {
    const n = rng.int(8, 60) * 100;
    return {
      content: `帮助${who}办理医保报销手续，报销医疗费用${n}元`,
      outcomes: [{ unit: 'yuan', amount: n, note: '医保报销' }],
    };
  },
  ({ who }) => ({ content: `到${who}家中帮忙打扫卫生、整理庭院` }),
  ({ rng, who }) => ({
    content: `帮助${who}家检修电路和自来水管`,
    ...(rng.chance(0.5) ? { found: `${who}反映家中房屋漏雨`, solved: '协调村委会安排维修' } : {}),
  }),
  ({ who }) => ({ content: `陪同${who}到乡镇卫生院体检，协助办理家庭医生签约` }),
  ({ who, crop }) => ({
    content: `到${who}家中走访，了解生产生活情况`,
    found: '家中缺劳动力，农活无人干',
    solved: `组织党员帮助抢收${crop}`,
  }),
];

const DONATIONS: readonly Template[] = [
  ({ rng, who }) => {
    const n = rng.pick([200, 300, 500, 800, 1000]);
    return {
      content: `春节前看望${who}，送去慰问金${n}元和米、油`,
      outcomes: [{ unit: 'yuan', amount: n, note: '春节慰问' }],
    };
  },
  ({ rng, who }) => {
    const n = rng.pick([200, 300, 500]);
    return {
      content: `中秋节走访慰问${who}，送去月饼和慰问金${n}元`,
      outcomes: [{ unit: 'yuan', amount: n, note: '中秋慰问' }],
    };
  },
  ({ rng, who }) => ({
    content: `为${who}家孩子送去书包和学习用品`,
    outcomes: [{ unit: 'items', amount: rng.int(3, 10), note: '学习用品' }],
  }),
  ({ rng, who }) => ({
    content: `入冬前为${who}送去棉被、棉衣`,
    outcomes: [{ unit: 'items', amount: rng.int(2, 6), note: '御寒物资' }],
  }),
];

const FOUR_VISITS: readonly Template[] = [
  ({ rng, who }) => {
    const n = rng.int(5, 30) * 100;
    return {
      content: `带着资金走访${who}家，落实产业奖补资金${n}元`,
      subKind: 'funds_visit',
      outcomes: [{ unit: 'yuan', amount: n, note: '产业奖补' }],
    };
  },
  ({ who }) => ({
    content: `带着政策询访${who}，宣讲医疗保障和低保政策，询问政策落实情况`,
    subKind: 'policy_enquiry',
  }),
  ({ who }) => ({
    content: `带着问题回访${who}，了解上次反映的饮水问题解决情况`,
    subKind: 'problem_return',
    found: '自来水水压不足',
    solved: '协调村里更换入户水管',
  }),
];

const PROJECTS: readonly Template[] = [
  ({ rng, who }) => {
    const n = rng.int(20, 100);
    return {
      content: `帮助${who}发展庭院经济，购买${rng.pick(LIVESTOCK)}苗${n}只`,
      outcomes: [{ unit: 'items', amount: n, note: '种苗' }],
    };
  },
  ({ rng, who, crop }) => {
    const mu = rng.int(5, 40) / 10;
    return {
      content: `帮助${who}种植${crop}${mu}亩，联系技术员上门指导`,
      outcomes: [{ unit: 'mu', amount: mu, note: crop }],
    };
  },
];
