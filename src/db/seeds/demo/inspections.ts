import { sql } from 'kysely';
import type { Executor } from '../../ids.ts';
import { addDays, dateBetween, minDate } from './dates.ts';
import { personName } from './names.ts';
import { Rng } from './rng.ts';

/**
 * The demo county's 督查 of the first half-year [000 "季度检查"]: the county organisation
 * department's check rounds of the first and second quarter, each a check or two in every township —
 * of contact points (领导联点), branch co-building (支部联建) and village branches — by phone, on site
 * or from the records; the problems found, each with an owner and a due date; most put right and
 * closed with evidence, some still open, a few of them overdue. Draws from its own fork of the
 * demo's seed ('inspections') and reads the pairings and organisations already written in id
 * order, so the same seed and year give the same checks. Nothing is dated after the demo's "today".
 */

export interface InspectionsDemoInput {
  countyId: number;
  seed: number;
  year: number;
  /** The demo's "today". */
  asOf: string;
}

export interface InspectionsDemoSummary {
  rounds: number;
  checks: number;
  rectifications: number;
  closed: number;
  open: number;
  overdue: number;
}

type Method = 'phone' | 'on_site' | 'records';
type Conclusion = 'good' | 'fair' | 'problems';

interface Problem {
  text: string;
  /** Days given to put it right; 0: by the end of the year (a longer piece of work). */
  days: number;
  /** What the owner reports when closing it. */
  evidence: string;
  /** Who owns it: the helped branch, the helping unit, or the township committee. */
  owner: 'helped' | 'helper' | 'township';
  /** Where it can be found: a contact point, a branch co-building, a village branch. */
  on: readonly ('leader_contact' | 'branch_cobuild' | 'branch')[];
}

const ANY = ['leader_contact', 'branch_cobuild', 'branch'] as const;
const PAIRED = ['leader_contact', 'branch_cobuild'] as const;

/** What an organisation department's checks find, as its notices write it. */
const PROBLEMS: readonly Problem[] = [
  {
    text: '走访记录不全，未见帮扶成效记录',
    days: 30,
    evidence: '已补齐本季度走访记录，建立帮扶成效登记簿，逐次登记帮扶措施和成效。',
    owner: 'helped',
    on: PAIRED,
  },
  {
    text: '年度计划任务进度滞后',
    days: 45,
    evidence: '已召开专题会议分析原因，重新排定任务推进表，滞后任务已按新计划完成。',
    owner: 'helper',
    on: PAIRED,
  },
  {
    text: '到点工作次数未达到季度要求',
    days: 30,
    evidence: '联点领导已补到点工作2次，并明确今后每月至少到点1次。',
    owner: 'helper',
    on: ['leader_contact'],
  },
  {
    text: '联建活动记录与实际开展情况不一致',
    days: 20,
    evidence: '已核实并更正联建活动记录，双方支部书记签字确认。',
    owner: 'helper',
    on: ['branch_cobuild'],
  },
  {
    text: '支部联建协议未明确年度共建项目',
    days: 30,
    evidence: '双方已签订补充协议，明确村道硬化和产业技术培训两个共建项目。',
    owner: 'helper',
    on: ['branch_cobuild'],
  },
  {
    text: '帮扶台账未及时更新，群众诉求办理情况未登记',
    days: 30,
    evidence: '已更新帮扶台账，补登群众诉求12件，逐件注明办理结果。',
    owner: 'helped',
    on: ANY,
  },
  {
    text: '三会一课记录不规范，主题党日未按月开展',
    days: 30,
    evidence: '已按要求规范会议记录，补开主题党日活动，建立每月活动计划。',
    owner: 'helped',
    on: ['branch'],
  },
  {
    text: '方案公示内容未及时更新，群众意见未答复',
    days: 15,
    evidence: '已更新公示栏内容，群众意见已逐条答复并在公示栏公开。',
    owner: 'helped',
    on: ANY,
  },
  {
    text: '困难党员帮扶措施针对性不强',
    days: 45,
    evidence: '已逐户重新分析困难原因，制定“一户一策”帮扶措施。',
    owner: 'township',
    on: ANY,
  },
  {
    text: '结对帮扶对象家庭情况底数不清',
    days: 30,
    evidence: '已组织入户走访，重新核实帮扶对象家庭收入和困难情况，建立档案。',
    owner: 'helped',
    on: ANY,
  },
  {
    text: '村集体经济项目推进缓慢，资金使用台账不清',
    days: 0,
    evidence: '项目已完成建设并投入运营，资金使用台账已建立并经乡镇审核。',
    owner: 'township',
    on: ANY,
  },
  {
    text: '党员活动室设施陈旧，阵地作用发挥不够',
    days: 0,
    evidence: '活动室已完成改造，配齐桌椅和远程教育设备，建立开放制度。',
    owner: 'helped',
    on: ['branch', 'branch_cobuild'],
  },
];

const GOOD: Record<Method, readonly string[]> = {
  phone: [
    '电话抽查联系点负责同志和村党支部书记，到点工作按计划开展，群众反映较好。',
    '电话询问帮扶对象，对联系领导到村开展工作情况表示满意。',
  ],
  on_site: [
    '实地查看党员活动室和帮扶项目，工作开展正常，走访记录、帮扶台账齐全规范。',
    '到村实地检查，联建活动开展扎实，群众知晓率较高。',
  ],
  records: [
    '查阅工作台账，年度计划明确，活动记录完整，帮扶成效记录具体。',
    '查阅联建工作台账和会议记录，各项制度落实较好。',
  ],
};
const FAIR: Record<Method, readonly string[]> = {
  phone: ['电话抽查，工作基本按计划开展，但个别事项落实不够及时。'],
  on_site: ['实地检查，工作基本正常开展，但部分记录内容较简单，成效反映不够具体。'],
  records: ['查阅台账，工作基本按计划推进，但部分台账填写不够规范。'],
};
const METHOD_LEAD: Record<Method, string> = {
  phone: '电话抽查发现',
  on_site: '实地检查发现',
  records: '查阅台账发现',
};
const CN = '一二三四五六七八九十';
/** A local time as a timestamptz value (typed as the column wants it). */
const stamp = <T>(iso: string) => sql<T>`${iso}::timestamptz`;

interface Township {
  id: number;
  name: string;
  path: string;
}
interface Target {
  kind: 'leader_contact' | 'branch_cobuild' | 'branch';
  pairingId: number | null;
  /** The checked org (a pairing's helper, as migration 0007 keeps it; or the branch). */
  orgId: number;
  helpedOrgId: number;
  helperOrgId: number;
  township: Township;
}

interface RectSeed {
  problem: string;
  ownerOrgId: number;
  dueOn: string;
  closedOn: string | null;
  evidence: string | null;
  closedBy: string | null;
}
interface CheckSeed {
  round: number;
  target: Target;
  method: Method;
  on: string;
  by: string;
  conclusion: Conclusion;
  findings: string;
  rects: RectSeed[];
}

/** The quarter's window for checks (after the Spring Festival; the last weeks of the second quarter). */
const WINDOWS = [
  { quarter: 1, from: '02-20', to: '03-27', due: '03-31', planned: '02-14' },
  { quarter: 2, from: '05-08', to: '06-24', due: '06-30', planned: '05-06' },
] as const;

export async function loadInspectionsDemo(
  db: Executor,
  input: InspectionsDemoInput,
): Promise<InspectionsDemoSummary> {
  const { countyId, year, asOf } = input;
  const rng = new Rng(input.seed).fork('inspections');
  const root = await db
    .selectFrom('orgs')
    .select(['id', 'path'])
    .where('county_id', '=', countyId)
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow();
  // The township committees: directly under the root, at a township's place (as the demo accounts pick them).
  const townships: Township[] = (
    await db
      .selectFrom('orgs')
      .select(['id', 'name', 'short_name', 'path'])
      .where('county_id', '=', countyId)
      .where('parent_id', '=', root.id)
      .where('place_id', 'is not', null)
      .where('sector', '=', 'agency')
      .orderBy('id')
      .execute()
  ).map((o) => ({ id: o.id, name: o.short_name ?? o.name, path: o.path }));
  const townshipOf = (path: string) => townships.find((t) => path.startsWith(`${t.path}.`));

  const { rows: pairings } = await sql<{
    id: number;
    kind: 'leader_contact' | 'branch_cobuild';
    helper_org_id: number;
    helped_org_id: number;
    helped_path: string;
  }>`SELECT p.id, p.kind, p.helper_org_id, p.helped_org_id, h.path AS helped_path
     FROM pairings p JOIN orgs h ON h.county_id = p.county_id AND h.id = p.helped_org_id
     WHERE p.county_id = ${countyId} AND p.year_from <= ${year} AND p.year_to >= ${year}
       AND p.kind IN ('leader_contact', 'branch_cobuild')
     ORDER BY p.id`.execute(db);
  const branches = await db
    .selectFrom('orgs')
    .select(['id', 'path'])
    .where('county_id', '=', countyId)
    .where('sector', '=', 'rural')
    .where('kind', 'in', ['branch', 'general_branch'])
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();

  const targets = new Map<number, Target[]>(townships.map((t) => [t.id, []]));
  for (const p of pairings) {
    const township = townshipOf(p.helped_path);
    if (!township) continue;
    targets.get(township.id)!.push({
      kind: p.kind,
      pairingId: p.id,
      orgId: p.helper_org_id,
      helpedOrgId: p.helped_org_id,
      helperOrgId: p.helper_org_id,
      township,
    });
  }
  for (const b of branches) {
    const township = townshipOf(b.path);
    if (!township) continue;
    targets
      .get(township.id)!
      .push({ kind: 'branch', pairingId: null, orgId: b.id, helpedOrgId: b.id, helperOrgId: b.id, township });
  }

  // Four of the department's staff check; each township's 组织委员 closes what its side put right.
  const people = rng.fork('people');
  const used = new Set<string>();
  const newName = () => {
    for (;;) {
      const n = personName(people, people.chance(0.5) ? 'male' : 'female', people.int(1975, 1995));
      if (!used.has(n)) {
        used.add(n);
        return n;
      }
    }
  };
  const inspectors = Array.from({ length: 4 }, newName);
  const organisers = new Map(townships.map((t) => [t.id, newName()]));

  const checks: CheckSeed[] = [];
  const firstTownship = townships[0];
  // The first township's first village branch: the demo's 支部书记 account is its secretary.
  const demoVillage = firstTownship && targets.get(firstTownship.id)!.find((x) => x.kind === 'branch');
  WINDOWS.forEach((w, round) => {
    const from = `${year}-${w.from}`;
    const to = minDate(`${year}-${w.to}`, asOf);
    if (from > asOf) return;
    for (const township of townships) {
      const pool = targets.get(township.id)!;
      if (!pool.length) continue;
      // One or two checks a township a quarter; the demo accounts' township two.
      const n = township === firstTownship ? 2 : rng.chance(round === 0 ? 0.45 : 0.75) ? 2 : 1;
      const picked: Target[] = [];
      // In the second quarter the demo accounts' village is checked, and what it found is still being
      // put right: its secretary's and the township organiser's home pages show it.
      const forced = round === 1 && township === firstTownship ? demoVillage : undefined;
      if (forced) picked.push(forced);
      while (picked.length < Math.min(n, pool.length)) {
        // Contact points first: they carry the quota the county watches most closely.
        const kind = rng.weighted([
          ['leader_contact', 5],
          ['branch_cobuild', 2],
          ['branch', 3],
        ] as const);
        const left = pool.filter((x) => !picked.includes(x));
        const ofKind = left.filter((x) => x.kind === kind);
        picked.push(rng.pick(ofKind.length ? ofKind : left));
      }
      for (const target of picked) {
        const on = dateBetween(rng, from, to);
        checks.push(planCheck(rng, target, round, on, inspectors, organisers, year, asOf, target === forced));
      }
    }
  });

  const roundIds: number[] = [];
  for (const [i, w] of WINDOWS.entries()) {
    if (!checks.some((c) => c.round === i)) continue;
    const r = await db
      .insertInto('inspection_rounds')
      .values({
        county_id: countyId,
        year,
        quarter: w.quarter,
        title: `${year}年第${CN[w.quarter - 1]}季度“三联共建”工作督查`,
        org_id: root.id,
        due_on: `${year}-${w.due}`,
        created_by: null,
        created_by_name: inspectors[0]!,
        created_at: stamp(`${year}-${w.planned}T09:00:00+08:00`),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    roundIds[i] = r.id;
  }
  let rectifications = 0;
  let closed = 0;
  let overdue = 0;
  for (const c of checks) {
    const at = `${c.on}T18:00:00+08:00`;
    const { id } = await db
      .insertInto('inspections')
      .values({
        county_id: countyId,
        round_id: roundIds[c.round]!,
        pairing_id: c.target.pairingId,
        org_id: c.target.orgId,
        status: 'done',
        assigned_to: null,
        assigned_to_name: c.by,
        method: c.method,
        checked_on: c.on,
        checked_by: null,
        checked_by_name: c.by,
        conclusion: c.conclusion,
        findings: c.findings,
        created_at: stamp(at),
        updated_at: stamp(at),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (!c.rects.length) continue;
    await db
      .insertInto('rectifications')
      .values(
        c.rects.map((r) => ({
          county_id: countyId,
          inspection_id: id,
          problem: r.problem,
          owner_org_id: r.ownerOrgId,
          owner_user_id: null,
          owner_name: null,
          due_on: r.dueOn,
          status: r.closedOn ? ('closed' as const) : ('open' as const),
          evidence: r.evidence,
          closed_on: r.closedOn,
          closed_by: null,
          closed_by_name: r.closedBy,
          created_at: stamp(at),
        })),
      )
      .execute();
    rectifications += c.rects.length;
    closed += c.rects.filter((r) => r.closedOn).length;
    overdue += c.rects.filter((r) => !r.closedOn && r.dueOn < asOf).length;
  }
  return {
    rounds: roundIds.filter((x) => x !== undefined).length,
    checks: checks.length,
    rectifications,
    closed,
    open: rectifications - closed,
    overdue,
  };
}

function ownerOf(p: Problem, t: Target) {
  if (p.owner === 'township') return t.township.id;
  return p.owner === 'helper' ? t.helperOrgId : t.helpedOrgId;
}

function planCheck(
  rng: Rng,
  target: Target,
  round: number,
  on: string,
  inspectors: readonly string[],
  organisers: ReadonlyMap<number, string>,
  year: number,
  asOf: string,
  /** Problems found for the branch and for its township, still open. */
  forced = false,
): CheckSeed {
  const method = forced
    ? 'on_site'
    : rng.weighted([
        ['on_site', 45],
        ['phone', 35],
        ['records', 20],
      ] as const);
  const conclusion: Conclusion = forced
    ? 'problems'
    : rng.weighted([
        ['good', 45],
        ['fair', 30],
        ['problems', 25],
      ] as const);
  const fits = PROBLEMS.filter((p) => p.on.includes(target.kind));
  const count =
    conclusion === 'problems' ? rng.int(1, 3) : conclusion === 'fair' ? (rng.chance(0.6) ? 1 : 0) : 0;
  const found = forced
    ? [fits.find((p) => p.owner === 'helped' && p.days === 0)!, fits.find((p) => p.owner === 'township')!]
    : rng.shuffle([...fits]).slice(0, count);
  const rects = found.map((p) => planRect(rng, p, target, on, organisers, year, asOf, forced));
  let findings: string;
  if (conclusion === 'good') findings = rng.pick(GOOD[method]);
  else if (conclusion === 'fair' && !found.length) findings = rng.pick(FAIR[method]);
  else {
    const list = found.map((p, i) => (found.length > 1 ? `${i + 1}.${p.text}` : p.text)).join('；');
    findings =
      conclusion === 'fair'
        ? `${rng.pick(FAIR[method]).replace(/。$/, '')}，主要问题是：${list}。已当场反馈，要求限期整改。`
        : `${METHOD_LEAD[method]}：${list}。已向${target.township.name}反馈，要求限期整改到位。`;
  }
  return { round, target, method, on, by: rng.pick(inspectors), conclusion, findings, rects };
}

function planRect(
  rng: Rng,
  p: Problem,
  target: Target,
  on: string,
  organisers: ReadonlyMap<number, string>,
  year: number,
  asOf: string,
  stillOpen = false,
): RectSeed {
  const dueOn = p.days === 0 ? `${year}-12-31` : addDays(on, p.days);
  // Most short pieces of work are put right, near their due date; longer ones mostly still run.
  const closes = !stillOpen && (p.days === 0 ? rng.chance(0.25) : rng.chance(0.85));
  let closedOn: string | null = null;
  if (closes) {
    const when = p.days === 0 ? addDays(on, rng.int(60, 150)) : addDays(on, rng.int(7, p.days + 10));
    if (when <= asOf) closedOn = when;
  }
  return {
    problem: p.text,
    ownerOrgId: ownerOf(p, target),
    dueOn,
    closedOn,
    evidence: closedOn ? p.evidence : null,
    closedBy: closedOn ? (organisers.get(target.township.id) ?? null) : null,
  };
}
