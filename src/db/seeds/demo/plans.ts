import { HOUSEHOLD_CATEGORIES, labelOf } from '../../../domain/codes.ts';
import { maskName } from '../../../domain/masking.ts';
import {
  effectiveRule,
  FIVE_SYSTEMS,
  type Opinion,
  pairingKind,
  requiredPerYear,
} from '../../../domain/pairings.ts';
import type { PlanAction, PlanStatus } from '../../../domain/plan-workflow.ts';
import {
  addWorkingDays,
  DEFAULT_NOTICE_DAYS,
  nextWorkingDayOnOrAfter,
  noticeEnd,
} from '../../../domain/working-days.ts';
import { addDays, dayOf, maxDate, minDate } from './dates.ts';
import { words } from './names.ts';
import type { OrgNode, OrgTree } from './orgs.ts';
import { type PairingSeed, type PairingsPlan, placeOf, type Rosters } from './pairings.ts';
import type { Rng } from './rng.ts';
import { lastVisitDay } from './visits.ts';

/**
 * The yearly plans of the demo's pairings and their way to force (审查制和公示制 [000]): drafted,
 * submitted, reviewed by the township (or other grassroots) committee, approved by the county
 * organisation department, under public notice at the place, in force. Most of this year's plans
 * are long in force; a few are still on their way, so every state shows — one notice is open today.
 * Mid-year checks of the card tasks, and last year's sign-offs, come with them.
 */

export interface TaskSeed {
  seq: number;
  what: string;
  target: string | null;
  dueOn: string;
  checks: CheckSeed[];
  id: number;
}

export interface CheckSeed {
  status: 'done' | 'in_progress' | 'not_started' | 'behind';
  comment: string;
  checkedAt: string;
}

export interface EventSeed {
  at: string;
  userName: string;
  action: PlanAction;
  from: PlanStatus;
  to: PlanStatus;
  reason: string | null;
  snapshot: PlanSnapshot | null;
}

interface PlanSnapshot {
  title: string;
  content: string;
  tasks: { seq: number; what: string; target: string | null; dueOn: string }[];
}

export interface FeedbackSeed {
  content: string;
  contact: string | null;
  createdAt: string;
  answer: string | null;
  answeredAt: string | null;
  published: boolean;
}

export interface NoticeSeed {
  org: OrgNode;
  title: string;
  body: NoticeBody;
  startsOn: string;
  endsOn: string;
  createdAt: string;
  feedback: FeedbackSeed[];
  id: number;
}

/** What the public reads: personal data of the people helped masked (surname + 某), no ID numbers, no phones. */
/** The shape src/modules/publicity writes when a plan is approved, so demo notices read the same. */
export interface NoticeBody {
  kind: string;
  kindLabel: string;
  planName: string;
  year: number;
  title: string;
  content: string;
  tasks: { seq: number; what: string; target: string | null; dueOn: string }[];
  helper: string;
  helped: string | null;
  place: string;
  startsOn: string;
  endsOn: string;
}

export interface PlanSeed {
  pairing: PairingSeed;
  year: number;
  title: string;
  content: string;
  status: PlanStatus;
  version: number;
  noticeStartsOn: string | null;
  noticeEndsOn: string | null;
  inForceOn: string | null;
  lastReturnReason: string | null;
  createdAt: string;
  updatedAt: string;
  tasks: TaskSeed[];
  events: EventSeed[];
  notice: NoticeSeed | null;
  id: number;
}

export interface SignoffSeed {
  pairing: PairingSeed;
  year: number;
  party: 'helped' | 'helped_branch';
  opinion: Opinion;
  comment: string;
  onBehalf: boolean;
  recordedAt: string;
}

/** Plans of this year still on their way, per kind; all the others are in force. */
const OPEN_PLANS: Record<
  'leader_contact' | 'branch_cobuild' | 'member_assist',
  Partial<Record<Target, number>>
> = {
  leader_contact: { in_notice: 2, reviewed: 1, submitted: 1, returned_by_county: 1 },
  branch_cobuild: { in_notice: 1, submitted: 1 },
  member_assist: {
    in_notice: 8,
    reviewed: 6,
    submitted: 6,
    draft: 8,
    returned_by_township: 1,
  },
};
/** Member assistance plans in the demo: a sample, as a county enters them over the year. */
const MEMBER_PLANS = 160;
/** In-force plans that were sent back once on their way. */
const RETURNED_ONCE = 0.06;
/** Share of in-force plans checked mid-year, card against register. */
const CHECKED = 0.35;

type Target = PlanStatus | 'returned_by_township' | 'returned_by_county';

export interface PlansPlan {
  plans: PlanSeed[];
  signoffs: SignoffSeed[];
}

export function planPlans(rng: Rng, pairings: PairingsPlan, tree: OrgTree, asOf: string): PlansPlan {
  const people = new People(rng, tree, pairings.rosters);
  const year = pairings.year;
  const current = pairings.current;
  const members = rng.shuffle(current.filter((p) => p.kind === 'member_assist')).slice(0, MEMBER_PLANS);
  const chosen = new Set([...current.filter((p) => p.kind !== 'member_assist'), ...members]);

  // Which of this year's plans are still on their way; never one of a pairing already ended.
  const targets = new Map<PairingSeed, Target>();
  for (const kind of ['leader_contact', 'branch_cobuild', 'member_assist'] as const) {
    const list = rng.shuffle(current.filter((p) => chosen.has(p) && p.kind === kind && !p.endedOn));
    let at = 0;
    for (const [target, n] of Object.entries(OPEN_PLANS[kind]) as [Target, number][]) {
      for (let i = 0; i < n && at < list.length; i++) targets.set(list[at++]!, target);
    }
  }

  const plans: PlanSeed[] = [];
  // Plans are entered from mid-January on; before that the year has none yet.
  const enough = dayOf(asOf) - dayOf(`${year}-01-01`) >= 45;
  for (const p of current) {
    if (!chosen.has(p)) continue;
    if (dayOf(asOf) - dayOf(p.startedOn) < 10) continue;
    const target = enough ? (targets.get(p) ?? 'in_force') : 'in_force';
    plans.push(makePlan(rng, people, p, target, asOf));
  }
  for (const p of pairings.previous) {
    if (p.kind !== 'member_assist') plans.push(makePlan(rng, people, p, 'in_force', asOf));
  }
  addFeedback(rng, plans, asOf);
  const signoffs = pairings.previous.flatMap((p) => signOff(rng, p));
  return { plans, signoffs };
}

// ---------------------------------------------------------------------------------------------
// Who acts
// ---------------------------------------------------------------------------------------------

/** Names for the events: the responsible side, the committee above the helped side, the county. */
class People {
  private readonly reviewers = new Map<OrgNode, string>();
  private readonly county: string[];

  constructor(
    private readonly rng: Rng,
    private readonly tree: OrgTree,
    private readonly rosters: Rosters,
  ) {
    const department = tree.branches.find((o) => o.shortName === '县委组织部党支部');
    const staff = (department && rosters.get(department)) ?? [];
    this.county = rng
      .shuffle(staff.filter((m) => !m.leader_rank))
      .slice(0, 3)
      .map((m) => `县委组织部 ${m.name}`);
    if (this.county.length === 0) this.county.push('县委组织部 组织科');
  }

  submitter(p: PairingSeed): string {
    const who = p.responsible ?? p.helper;
    return who ? `${who.org.shortName} ${who.name}` : p.helperOrg.shortName;
  }

  /** A staff member of the grassroots committee above the helped side (乡镇党委 for a village). */
  reviewer(p: PairingSeed): string {
    const committee = committeeOf(p.helpedOrg, this.tree.root);
    let name = this.reviewers.get(committee);
    if (!name) {
      const office =
        this.tree.branches.find((o) => o.parent === committee && o.branch!.profile === 'township_agency') ??
        this.tree.branches.find((o) => o.parent === committee);
      const staff = (office && this.rosters.get(office)?.filter((m) => !m.leader_rank)) ?? [];
      name = `${committee.shortName} ${staff.length ? this.rng.pick(staff).name : '组织委员'}`;
      this.reviewers.set(committee, name);
    }
    return name;
  }

  approver(): string {
    return this.rng.pick(this.county);
  }
}

function committeeOf(org: OrgNode, root: OrgNode): OrgNode {
  let o = org;
  while (o.parent && o.parent !== root) o = o.parent;
  return o;
}

// ---------------------------------------------------------------------------------------------
// One plan
// ---------------------------------------------------------------------------------------------

interface Step {
  on: string;
  action: PlanAction;
  from: PlanStatus;
  to: PlanStatus;
  by: string;
  reason?: string;
}

const RETURN_REASONS = [
  '工作措施不够具体，请细化到点工作时间安排',
  '帮扶任务缺少量化目标，请补充完成时限和标准',
  '方案未体现季度联席会等共建制度安排，请补充',
  '帮扶对象基本情况表述不准确，请核实后重新提交',
  '任务与上年重复较多，请结合实际调整',
];

function makePlan(rng: Rng, people: People, p: PairingSeed, target: Target, asOf: string): PlanSeed {
  const year = p.year;
  const kind = pairingKind(p.kind)!;
  const who = p.helpedMember?.name ?? p.helpedHousehold?.head_name ?? '';
  const masked = who ? maskName(who) : '';
  const draft = writePlan(rng, p);
  const fill = (s: string, name: string) => s.replaceAll('{who}', name);
  const suffix = draft.suffix ?? kind.plan.zh;
  const title = `${year}年${fill(draft.title, who)}${suffix}`;
  const content = fill(draft.content, who);
  const tasks: TaskSeed[] = draft.tasks.map((t, i) => ({
    seq: i + 1,
    what: fill(t.what, who),
    target: t.target,
    dueOn: t.dueOn,
    checks: [],
    id: 0,
  }));

  // The way it went, as steps; dates are laid out, then cut at "today".
  const floor = maxDate(p.startedOn, `${year}-01-01`);
  const steps: Step[] = [];
  let created: string;
  const submitter = people.submitter(p);
  const step = (
    on: string,
    action: PlanAction,
    from: PlanStatus,
    to: PlanStatus,
    by: string,
    reason?: string,
  ) =>
    // People act on working days: forwards to the next one (backwards, below, to the one before).
    steps.push({ on: nextWorkingDayOnOrAfter(on), action, from, to, by, ...(reason ? { reason } : {}) });
  const returnReason = rng.pick(RETURN_REASONS);
  const backwards = target !== 'in_force' && dayOf(asOf) - dayOf(floor) >= 60;

  if (!backwards) {
    // From the pairing's start: drafted within weeks, through review and approval, a notice, in force.
    let d = addDays(floor, rng.int(3, 20));
    created = d;
    if (rng.chance(RETURNED_ONCE)) {
      d = addDays(d, rng.int(3, 10));
      step(d, 'submit', 'draft', 'submitted', submitter);
      d = addDays(d, rng.int(2, 6));
      step(d, 'return', 'submitted', 'draft', people.reviewer(p), returnReason);
    }
    d = addDays(d, rng.int(3, 10));
    step(d, 'submit', 'draft', 'submitted', submitter);
    d = addDays(d, rng.int(2, 8));
    step(d, 'review', 'submitted', 'reviewed', people.reviewer(p));
    d = addDays(d, rng.int(2, 10));
    step(d, 'approve', 'reviewed', 'in_notice', people.approver());
    step(addDays(noticeEnd(d, DEFAULT_NOTICE_DAYS), 1), 'take_effect', 'in_notice', 'in_force', '系统');
  } else {
    // Still on its way today: laid out backwards from the day before "today".
    const today = lastVisitDay(asOf);
    const back: Step[] = [];
    const push = (
      on: string,
      action: PlanAction,
      from: PlanStatus,
      to: PlanStatus,
      by: string,
      reason?: string,
    ) =>
      back.unshift({
        on: addWorkingDays(addDays(on, 1), -1),
        action,
        from,
        to,
        by,
        ...(reason ? { reason } : {}),
      });
    let d = today;
    if (target === 'in_notice') {
      // Posted a few working days ago; the five working days run past today.
      let k = rng.int(1, 4);
      let start = addWorkingDays(asOf, -k);
      while (noticeEnd(start) < asOf && k > 1) {
        k -= 1;
        start = addWorkingDays(asOf, -k);
      }
      push(start, 'approve', 'reviewed', 'in_notice', people.approver());
      d = addDays(start, -rng.int(2, 8));
      push(d, 'review', 'submitted', 'reviewed', people.reviewer(p));
      d = addDays(d, -rng.int(2, 8));
      push(d, 'submit', 'draft', 'submitted', submitter);
    } else if (target === 'reviewed') {
      d = addDays(today, -rng.int(0, 9));
      push(d, 'review', 'submitted', 'reviewed', people.reviewer(p));
      d = addDays(d, -rng.int(2, 8));
      push(d, 'submit', 'draft', 'submitted', submitter);
    } else if (target === 'submitted') {
      d = addDays(today, -rng.int(0, 6));
      push(d, 'submit', 'draft', 'submitted', submitter);
    } else if (target === 'returned_by_township') {
      d = addDays(today, -rng.int(1, 8));
      push(d, 'return', 'submitted', 'draft', people.reviewer(p), returnReason);
      d = addDays(d, -rng.int(2, 6));
      push(d, 'submit', 'draft', 'submitted', submitter);
    } else if (target === 'returned_by_county') {
      d = addDays(today, -rng.int(1, 8));
      push(d, 'return', 'reviewed', 'draft', people.approver(), returnReason);
      d = addDays(d, -rng.int(2, 8));
      push(d, 'review', 'submitted', 'reviewed', people.reviewer(p));
      d = addDays(d, -rng.int(2, 8));
      push(d, 'submit', 'draft', 'submitted', submitter);
    } else {
      d = addDays(today, -rng.int(0, 6));
    }
    created = maxDate(floor, addDays(d, -rng.int(3, 20)));
    steps.push(...back);
  }

  // Cut at "today": people act up to yesterday; the system puts a plan in force at midnight.
  const kept: Step[] = [];
  let last = created;
  for (const s of steps) {
    const on = maxDate(s.on, last);
    const ceiling = s.action === 'take_effect' ? asOf : lastVisitDay(asOf);
    if (on > ceiling) break;
    kept.push({ ...s, on });
    last = on;
  }
  const status: PlanStatus = kept.at(-1)?.to ?? 'draft';
  const approved = kept.find((s) => s.action === 'approve');
  const inForce = kept.find((s) => s.action === 'take_effect');
  const lastReturn = [...kept].reverse().find((s) => s.action === 'return');
  const noticeStartsOn = approved?.on ?? null;
  const noticeEndsOn = approved ? noticeEnd(approved.on, DEFAULT_NOTICE_DAYS) : null;

  // What the plan said when first submitted, if it was sent back since: one task and a measure fewer.
  const snapshot = (first: boolean): PlanSnapshot => {
    const list = tasks.map(({ seq, what, target: tgt, dueOn }) => ({ seq, what, target: tgt, dueOn }));
    return first && lastReturn
      ? { title, content: content.split('\n').slice(0, -1).join('\n'), tasks: list.slice(0, -1) }
      : { title, content, tasks: list };
  };
  let submits = 0;
  const events: EventSeed[] = kept.map((s) => ({
    at: stamp(rng, s.on, s.action === 'take_effect'),
    userName: s.by,
    action: s.action,
    from: s.from,
    to: s.to,
    reason: s.reason ?? null,
    snapshot:
      s.action === 'submit' ? snapshot(submits++ === 0 && kept.some((x) => x.action === 'return')) : null,
  }));

  const plan: PlanSeed = {
    pairing: p,
    year,
    title,
    content,
    status,
    version: 1 + kept.length,
    noticeStartsOn,
    noticeEndsOn,
    inForceOn: inForce?.on ?? null,
    lastReturnReason: lastReturn?.reason ?? null,
    createdAt: stamp(rng, created, false),
    updatedAt: events.at(-1)?.at ?? stamp(rng, created, false),
    tasks,
    events,
    notice: null,
    id: 0,
  };
  if (approved && noticeStartsOn && noticeEndsOn) {
    const publicTitle = `${year}年${fill(draft.title, masked)}${suffix}`;
    plan.notice = {
      org: p.helpedOrg,
      title: `关于${publicTitle}的公示`,
      body: {
        kind: kind.code,
        planName: kind.plan.zh,
        year,
        helped: masked || null,
        startsOn: noticeStartsOn,
        endsOn: noticeEndsOn,
        title: publicTitle,
        content: fill(draft.content, masked),
        tasks: draft.tasks.map((t, i) => ({
          seq: i + 1,
          what: fill(t.what, masked),
          target: t.target,
          dueOn: t.dueOn,
        })),
        kindLabel: kind.zh,
        helper: p.helper?.name ?? p.helperOrg.shortName,
        place: placeNameOf(p.helpedOrg),
      },
      startsOn: noticeStartsOn,
      endsOn: noticeEndsOn,
      createdAt: events.find((e) => e.action === 'approve')!.at,
      feedback: [],
      id: 0,
    };
  }
  if (inForce) checkMidYear(rng, plan, asOf);
  return plan;
}

/** A time on the day, in the county's zone: working hours for people, just after midnight for the system. */
function stamp(rng: Rng, day: string, system: boolean): string {
  if (system) return `${day}T00:${String(rng.int(5, 30)).padStart(2, '0')}:00+08:00`;
  const h = rng.int(8, 17);
  const m = rng.int(0, 59);
  return `${day}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00+08:00`;
}

/** 城关镇东山村 for a village; the firm's or unit's name otherwise. */
function placeNameOf(org: OrgNode): string {
  const v = org.branch?.village;
  return v ? `${v.township.name}${v.name}` : placeOf(org);
}

// ---------------------------------------------------------------------------------------------
// What a plan says
// ---------------------------------------------------------------------------------------------

const CROPS = words('茶叶 油茶 中药材 猕猴桃 食用菌 蔬菜 柑橘 核桃 烤烟');
const LIVESTOCK = words('生猪 山羊 肉牛 蛋鸡 土鸡');
const VILLAGE_SITUATIONS = [
  '村集体经济收入较低，产业结构单一',
  '村“两委”班子平均年龄偏大，后备力量不足',
  '通组道路和灌溉设施较为薄弱',
  '外出务工人员多，留守老人和儿童较多',
  '{crop}种植有一定基础，但规模小、效益低',
  '矛盾纠纷较多，群众对村务公开意见较大',
];
const VILLAGE_GOALS = [
  '帮助村党支部建强班子、理清发展思路，力争年内村集体经济收入增长{n}%以上',
  '帮助发展{crop}产业，新建基地{mu}亩，带动群众增收',
  '排查化解矛盾纠纷，确保全年不发生越级上访和群体性事件',
];
const VILLAGE_MEASURES = [
  '每季度至少参加一次村党支部组织生活',
  '帮助协调落实基础设施项目资金',
  '结对联系困难党员和困难群众{n}户',
  '指导规范落实“三会一课”和“四议两公开”',
  '帮助培养村级后备干部{k}名',
];
const CAUSES = ['年老体弱，患有慢性病', '家庭缺乏劳动力', '因病致贫', '子女上学开支大', '因残致贫'];
const POLICIES = ['低保', '医疗救助', '残疾人两项补贴', '教育资助', '产业奖补'];

interface Draft {
  title: string;
  /** What the plan is called after the pairing's name; default the kind's plan (联点工作方案 …). */
  suffix?: string;
  content: string;
  tasks: { what: string; target: string | null; dueOn: string }[];
}

function writePlan(rng: Rng, p: PairingSeed): Draft {
  const y = p.year;
  const due = (m: number) => `${y}-${String(m).padStart(2, '0')}-${m === 6 || m === 9 || m === 11 ? 30 : 31}`;
  const fillIn = (s: string) =>
    s
      .replace('{crop}', rng.pick(CROPS))
      .replace('{n}', String(rng.int(3, 10)))
      .replace('{mu}', String(rng.int(5, 30) * 10))
      .replace('{k}', String(rng.int(1, 3)));
  const place = placeOf(p.helpedOrg);
  const members = (o: OrgNode) => o.branch!.members;

  if (p.kind === 'leader_contact') {
    const quota = requiredPerYear(effectiveRule('leader_contact'), { leaderRank: p.leaderRank });
    const rank = p.leaderRank === 'county' ? '县级' : '科级';
    const firm = p.helpedOrg.sector !== 'rural';
    const situation = firm
      ? `企业党支部现有党员${members(p.helpedOrg)}名，党组织在生产经营中的作用发挥还不够充分`
      : `${place}党支部现有党员${members(p.helpedOrg)}名，${fillIn(rng.pick(VILLAGE_SITUATIONS))}`;
    const goal = firm
      ? '推动党建工作与生产经营深度融合，帮助企业解决发展难题'
      : fillIn(rng.pick(VILLAGE_GOALS));
    const measures = sample(rng, VILLAGE_MEASURES, 2).map(fillIn);
    const tasks = [
      { what: '到点工作', target: `全年不少于${quota}次`, dueOn: due(12) },
      ...sample(
        rng,
        firm
          ? [
              { what: '指导企业党支部开展“党员示范岗”创建', target: '设岗不少于5个', dueOn: due(9) },
              { what: '协调解决企业融资、用工等难题', target: '不少于3件', dueOn: due(11) },
              { what: '讲授专题党课', target: '不少于2次', dueOn: due(12) },
              { what: '帮助规范企业党支部“三会一课”', target: '记录齐全规范', dueOn: due(12) },
            ]
          : [
              {
                what: '指导村党支部规范落实“三会一课”和主题党日',
                target: '每季度至少指导1次',
                dueOn: due(12),
              },
              {
                what: `帮助谋划发展${rng.pick(CROPS)}产业项目`,
                target: `新建或扩建基地${rng.int(5, 30) * 10}亩`,
                dueOn: due(10),
              },
              { what: '协调争取项目资金', target: `不少于${rng.int(5, 50)}万元`, dueOn: due(11) },
              { what: '走访慰问困难党员和群众', target: `不少于${rng.int(5, 15)}户`, dueOn: due(12) },
              { what: '讲授专题党课', target: '不少于2次', dueOn: due(12) },
              { what: '推进村组道路硬化', target: `${rng.int(10, 40) / 10}公里`, dueOn: due(10) },
            ],
        rng.int(2, 4),
      ),
    ];
    return {
      title: p.title,
      content: [
        `一、基本情况：${situation}。`,
        `二、目标任务：按照建班子、抓产业、保稳定的要求，${goal}。`,
        `三、工作措施：${rank}领导干部每年到点工作不少于${quota}次；${measures.join('；')}。`,
      ].join('\n'),
      tasks,
    };
  }

  if (p.kind === 'branch_cobuild') {
    const systems = FIVE_SYSTEMS.filter((s) => p.obligations.includes(s.code)).map((s) => s.zh);
    const unit = placeOf(p.helperOrg);
    const systemTasks: Record<string, { what: string; target: string; dueOn: string }> = {
      collective_day: { what: '开展集体活动日', target: '每月1次，双方党员共同参加', dueOn: due(12) },
      cross_learning: { what: '开展交叉学习月活动', target: '互派党员跟班学习不少于5人次', dueOn: due(9) },
      joint_meeting: { what: '召开季度联席会', target: '每季度1次', dueOn: due(12) },
      mutual_inspection: { what: '开展年度党建互检', target: '第四季度完成并互提意见', dueOn: due(12) },
      daily_help: { what: '开展日常党建互助', target: '帮办实事不少于3件', dueOn: due(12) },
    };
    const tasks = [
      { what: '年到点开展工作', target: '不少于4次', dueOn: due(12) },
      ...p.obligations.map((s) => systemTasks[s]!).slice(0, 4),
    ];
    const goal =
      p.helpedOrg.sector === 'rural'
        ? `帮助${place}党支部提升规范化建设水平，办好${rng.int(2, 5)}件民生实事`
        : `帮助${place}党支部健全组织生活制度，促进企业健康发展`;
    return {
      title: `${p.helperOrg.shortName}与${p.helpedOrg.shortName}`,
      suffix: '结对共建方案',
      content: [
        `一、共建双方：${p.helperOrg.shortName}（党员${members(p.helperOrg)}名）与${p.helpedOrg.shortName}（党员${members(p.helpedOrg)}名）结对共建，实行联点支部书记负责制，责任人：${p.responsible!.name}。`,
        `二、共建内容：落实${systems.join('、')}制度，${unit}每年到点开展工作不少于4次。`,
        `三、共建目标：${goal}。`,
      ].join('\n'),
      tasks,
    };
  }

  const h = p.helpedHousehold;
  const category = h ? labelOf(HOUSEHOLD_CATEGORIES, h.category) : '困难党员';
  const cause = h?.notes ?? rng.pick(CAUSES);
  const crop = rng.pick(CROPS);
  const tasks = [
    { what: '定期上门走访{who}', target: '每季度不少于1次', dueOn: due(12) },
    ...sample(
      rng,
      [
        { what: `帮助落实${rng.pick(POLICIES)}政策`, target: '应享尽享', dueOn: due(6) },
        h
          ? {
              what: `帮助发展${rng.pick([crop, rng.pick(LIVESTOCK)])}${rng.chance(0.5) ? '种植' : '养殖'}`,
              target: `户均增收${rng.int(10, 40) * 100}元以上`,
              dueOn: due(11),
            }
          : { what: '帮助参加组织生活和学习', target: '每季度至少1次', dueOn: due(12) },
        { what: '节日走访慰问', target: '春节、中秋各1次', dueOn: due(9) },
        { what: '帮助解决子女就学或家庭成员就业', target: '解决实际困难1件以上', dueOn: due(11) },
        { what: '协助办理医保报销和慢性病卡', target: '年内办结', dueOn: due(6) },
      ],
      rng.int(2, 4),
    ),
  ];
  return {
    title: `${p.helper!.name}帮扶${category}{who}`,
    content: [
      `帮扶对象：{who}（${category}）。`,
      `困难情况：${cause}。`,
      `帮扶目标：${h ? '帮助稳定增收，确保“两不愁三保障”' : '帮助解决生活困难，鼓励发挥党员作用'}。`,
      `帮扶措施：由${p.helper!.name}同志一对一联系帮扶，每季度上门走访，帮助落实各项帮扶政策。`,
    ].join('\n'),
    tasks,
  };
}

function sample<T>(rng: Rng, list: readonly T[], k: number): T[] {
  const pool = [...list];
  const out: T[] = [];
  while (out.length < k && pool.length) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mid-year checks, feedback, sign-offs
// ---------------------------------------------------------------------------------------------

const CHECK_COMMENTS: Record<CheckSeed['status'], readonly string[]> = {
  done: ['已完成，卡册记录一致', '已按期完成，群众反映良好', '已完成，佐证材料齐全'],
  in_progress: ['正在推进，已完成约一半', '按计划推进中，下半年完成', '已启动，卡册记录与实际相符'],
  not_started: ['尚未开展，已督促落实', '未启动，要求三季度内完成'],
  behind: ['进度滞后，已约谈提醒', '卡册记录不全，进度滞后，限期整改'],
};

/** 年中督促检查: in July, for a share of the plans in force by then, every task of the plan. */
function checkMidYear(rng: Rng, plan: PlanSeed, asOf: string) {
  if (!rng.chance(CHECKED)) return;
  const on = addDays(`${plan.year}-06-15`, rng.int(0, 35));
  if (!plan.inForceOn || plan.inForceOn >= on || on > lastVisitDay(asOf)) return;
  const behind = plan.pairing.pace !== 'on_track';
  for (const t of plan.tasks) {
    const status: CheckSeed['status'] =
      t.dueOn <= on
        ? rng.chance(0.85)
          ? 'done'
          : 'behind'
        : behind
          ? rng.weightedKey({ in_progress: 40, behind: 45, not_started: 15 })
          : rng.weightedKey({ done: 30, in_progress: 55, not_started: 10, behind: 5 });
    t.checks.push({ status, comment: rng.pick(CHECK_COMMENTS[status]), checkedAt: stamp(rng, on, false) });
  }
}

const FEEDBACK_VILLAGE = [
  '建议把通组道路硬化列入方案，下雨天路太难走了',
  '希望联点领导多到村里来，听听群众的意见',
  '方案很实在，支持！',
  '建议增加对留守老人的走访',
  '希望帮助村里引进农产品加工企业',
  '方案中的产业项目建议先征求群众意见',
];
const FEEDBACK_MEMBER = [
  '帮扶措施很具体，感谢党员同志',
  '建议帮助解决饮水问题',
  '希望多帮助发展产业，光送钱物不是长久之计',
];
const FEEDBACK_FIRM = ['希望帮助企业解决招工难问题', '方案内容具体，职工都很支持'];
const ANSWERS = [
  '感谢您的建议，已纳入方案任务，年内协调实施。',
  '感谢关注，联系领导将定期到点开展工作，欢迎随时反映问题。',
  '已转帮扶责任人，将在下次走访时一并研究解决。',
  '感谢支持，我们将按方案抓好落实，接受群众监督。',
];

/** A few notices drew comments from the public: the ones open now, and some of the past. */
function addFeedback(rng: Rng, plans: PlanSeed[], asOf: string) {
  const notices = plans.map((p) => p.notice).filter((n): n is NoticeSeed => !!n);
  const open = notices.filter((n) => n.startsOn <= asOf && n.endsOn >= asOf);
  const past = rng.shuffle(notices.filter((n) => n.endsOn < asOf)).slice(0, 10);
  const yesterday = lastVisitDay(asOf);
  for (const notice of [...open.slice(0, 4), ...past]) {
    const plan = plans.find((p) => p.notice === notice)!;
    const pool =
      plan.pairing.kind === 'member_assist'
        ? FEEDBACK_MEMBER
        : plan.pairing.helpedOrg.sector === 'rural'
          ? FEEDBACK_VILLAGE
          : FEEDBACK_FIRM;
    const to = minDate(notice.endsOn, yesterday);
    if (to < notice.startsOn) continue;
    for (let i = rng.int(1, 2); i > 0; i--) {
      const on = addDays(notice.startsOn, rng.int(0, dayOf(to) - dayOf(notice.startsOn)));
      const answerOn = addDays(on, rng.int(1, 3));
      const answered = answerOn <= yesterday && rng.chance(0.6);
      notice.feedback.push({
        content: rng.pick(pool),
        contact: rng.chance(0.5) ? `${placeOf(notice.org)}群众` : null,
        createdAt: stamp(rng, on, false),
        answer: answered ? rng.pick(ANSWERS) : null,
        answeredAt: answered ? stamp(rng, answerOn, false) : null,
        published: answered && rng.chance(0.7),
      });
    }
  }
}

/** 年末签署意见: the helped side and its branch, mostly satisfied; short pairings less so. */
function signOff(rng: Rng, p: PairingSeed): SignoffSeed[] {
  const at = (day: number) => stamp(rng, `${p.year}-12-${String(day).padStart(2, '0')}`, false);
  const opinion = (): Opinion =>
    p.pace === 'short'
      ? rng.weightedKey({ basically_satisfied: 50, unsatisfied: 50 })
      : rng.weightedKey({ satisfied: 85, basically_satisfied: 13, unsatisfied: 2 });
  const says: Record<Opinion, string> = {
    satisfied:
      p.kind === 'member_assist'
        ? '帮扶措施落实到位，帮助解决了实际困难'
        : '到点工作扎实，帮助解决了发展难题',
    basically_satisfied: '基本完成年初任务，部分事项仍需跟进',
    unsatisfied:
      p.kind === 'member_assist' ? '走访次数偏少，帮扶措施落实不够' : '到点次数不足，年初任务未完成',
  };
  const helped = opinion();
  const branch = opinion();
  const old = p.helpedMember && p.year - Number(p.helpedMember.birth_date.slice(0, 4)) >= 75;
  return [
    {
      pairing: p,
      year: p.year,
      party: 'helped',
      opinion: helped,
      comment: says[helped],
      // A household head, or a very old member, signs on paper; the branch records it for them.
      onBehalf: !!p.helpedHousehold || !!old,
      recordedAt: at(rng.int(15, 28)),
    },
    {
      pairing: p,
      year: p.year,
      party: 'helped_branch',
      opinion: branch,
      comment: `党支部意见：${says[branch]}`,
      onBehalf: false,
      recordedAt: at(rng.int(20, 31)),
    },
  ];
}
