import { sql } from 'kysely';
import {
  assessPairing,
  type ComplianceLevel,
  countByLevel,
  type LevelCounts,
} from '../../../domain/compliance.ts';
import { effectiveRule } from '../../../domain/pairings.ts';
import type { PlanStatus } from '../../../domain/plan-workflow.ts';
import { maskText } from '../../../modules/publicity/masking.ts';
import { publicationNames } from '../../../modules/publicity/repository.ts';
import type { Executor } from '../../ids.ts';
import type { HouseholdSeed } from './households.ts';
import type { MemberSeed } from './members.ts';
import { type CountyPeople, type PairingSeed, type PairingsPlan, planPairings } from './pairings.ts';
import { type PlansPlan, planPlans } from './plans.ts';
import { Rng } from './rng.ts';
import { planVisits, type VisitSeed } from './visits.ts';

/**
 * 三联共建 in the demo county: 领导联点, 支部联建 and 党员联帮 of the demo year to the seed report's
 * figures [000], a part of them also the year before; their visits up to the demo's "today"; plans in
 * every state of their way to force, with notices, public feedback, mid-year checks and last year's
 * sign-offs. Each part draws from its own fork of the demo's seed ('pairings', 'visits', 'plans'), so
 * nothing drawn before it changes, and one part can change without reshuffling the others.
 */

export interface SanlianPlan {
  pairings: PairingsPlan;
  visits: VisitSeed[];
  plans: PlansPlan;
}

/** Everything in memory, before any id exists: the same seed, year and `asOf` give the same plan. */
export function planSanlian(seed: number, county: CountyPeople, year: number, asOf: string): SanlianPlan {
  const root = new Rng(seed);
  const pairings = planPairings(root.fork('pairings'), county, year, asOf);
  const visits = planVisits(root.fork('visits'), pairings, asOf);
  const plans = planPlans(root.fork('plans'), pairings, county.tree, asOf);
  return { pairings, visits, plans };
}

type Levels = Omit<LevelCounts, 'inactive'>;

export interface SanlianSummary {
  year: number;
  asOf: string;
  leaderContact: {
    pairings: number;
    leaders: number;
    villageBranches: number;
    enterpriseBranches: number;
    levels: Levels;
  };
  branchCobuild: { pairings: number; branches: number; levels: Levels };
  memberAssist: { pairings: number; helpers: number; needyMembers: number; needyHouseholds: number };
  previousYear: {
    year: number;
    leaderContact: number;
    branchCobuild: number;
    memberAssist: number;
    levels: Levels;
  };
  visits: { records: number; links: number; joint: number; participants: number; outcomes: number };
  plans: Record<PlanStatus, number> & {
    tasks: number;
    notices: number;
    openNotices: number;
    feedback: number;
    taskChecks: number;
  };
  signoffs: number;
}

const BATCH = 1000;

export interface SanlianInput {
  countyId: number;
  county: CountyPeople;
  seed: number;
  year: number;
  /** The demo's "today": nothing is dated after it. */
  asOf: string;
}

/** Plans the year and writes it, in the caller's transaction, after members and households. */
export async function loadSanlian(db: Executor, input: SanlianInput): Promise<SanlianSummary> {
  const { countyId, county, year, asOf } = input;
  const plan = planSanlian(input.seed, county, year, asOf);
  const memberId = await memberIds(db, countyId);
  const householdId = await householdIds(db, countyId, county.households);
  const mid = (m: MemberSeed | null) => (m ? memberId(m) : null);

  const { pairings, visits } = plan;
  const { plans, signoffs } = plan.plans;

  (await reserveIds(db, 'pairings', pairings.all.length)).forEach((id, i) => {
    pairings.all[i]!.id = id;
  });
  await inBatches(pairings.all, (rows) =>
    db
      .insertInto('pairings')
      .values(
        rows.map((p) => ({
          county_id: countyId,
          id: p.id,
          kind: p.kind,
          formation: p.formation,
          year_from: p.year,
          year_to: p.year,
          started_on: p.startedOn,
          ended_on: p.endedOn,
          helper_member_id: mid(p.helper),
          helper_org_id: p.helperOrg.id,
          helped_org_id: p.helpedOrg.id,
          helped_member_id: mid(p.helpedMember),
          helped_household_id: p.helpedHousehold ? householdId(p.helpedHousehold) : null,
          helped_place_id: null,
          responsible_member_id: mid(p.responsible),
          obligations: p.obligations,
          title: p.title,
        })),
      )
      .execute(),
  );

  (await reserveIds(db, 'visits', visits.length)).forEach((id, i) => {
    visits[i]!.id = id;
  });
  await inBatches(visits, (rows) =>
    db
      .insertInto('visits')
      .values(
        rows.map((v) => {
          // Logged the same evening.
          const at = `${v.on}T19:30:00+08:00`;
          return {
            county_id: countyId,
            id: v.id,
            visited_on: v.on,
            kind: v.kind,
            sub_kind: v.subKind,
            content: v.content,
            problems_found: v.problemsFound,
            problems_solved: v.problemsSolved,
            created_by: null,
            created_at: at,
            updated_at: at,
          };
        }),
      )
      .execute(),
  );
  // The trigger on visit_pairings keeps pairing_visit_counts, row by row, as the application does.
  const links = visits.flatMap((v) =>
    v.pairings.map((p) => ({ county_id: countyId, visit_id: v.id, pairing_id: p.id })),
  );
  await inBatches(links, (rows) => db.insertInto('visit_pairings').values(rows).execute());
  const participants = visits.flatMap((v) =>
    v.participants.map((m) => ({ county_id: countyId, visit_id: v.id, member_id: memberId(m) })),
  );
  await inBatches(participants, (rows) => db.insertInto('visit_participants').values(rows).execute());
  const outcomes = visits.flatMap((v) =>
    v.outcomes.map((o) => ({
      county_id: countyId,
      visit_id: v.id,
      unit: o.unit,
      amount: o.amount,
      note: o.note,
    })),
  );
  await inBatches(outcomes, (rows) => db.insertInto('visit_outcomes').values(rows).execute());

  (await reserveIds(db, 'plans', plans.length)).forEach((id, i) => {
    plans[i]!.id = id;
  });
  await inBatches(plans, (rows) =>
    db
      .insertInto('plans')
      .values(
        rows.map((p) => ({
          county_id: countyId,
          id: p.id,
          pairing_id: p.pairing.id,
          year: p.year,
          title: p.title,
          content: p.content,
          status: p.status,
          version: p.version,
          notice_days: 5,
          notice_starts_on: p.noticeStartsOn,
          notice_ends_on: p.noticeEndsOn,
          in_force_on: p.inForceOn,
          last_return_reason: p.lastReturnReason,
          created_by: null,
          created_at: p.createdAt,
          updated_at: p.updatedAt,
        })),
      )
      .execute(),
  );
  const tasks = plans.flatMap((p) => p.tasks.map((t) => ({ plan: p, task: t })));
  (await reserveIds(db, 'plan_tasks', tasks.length)).forEach((id, i) => {
    tasks[i]!.task.id = id;
  });
  await inBatches(tasks, (rows) =>
    db
      .insertInto('plan_tasks')
      .values(
        rows.map(({ plan: p, task: t }) => ({
          county_id: countyId,
          id: t.id,
          plan_id: p.id,
          seq: t.seq,
          what: t.what,
          target: t.target,
          due_on: t.dueOn,
        })),
      )
      .execute(),
  );
  const events = plans.flatMap((p) =>
    p.events.map((e) => ({
      county_id: countyId,
      plan_id: p.id,
      at: e.at,
      user_id: null,
      user_name: e.userName,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      reason: e.reason,
      snapshot: e.snapshot ? JSON.stringify(e.snapshot) : null,
    })),
  );
  await inBatches(events, (rows) => db.insertInto('plan_events').values(rows).execute());

  const notices = plans.flatMap((p) => (p.notice ? [{ plan: p, notice: p.notice }] : []));
  (await reserveIds(db, 'notices', notices.length)).forEach((id, i) => {
    notices[i]!.notice.id = id;
  });
  await inBatches(notices, (rows) =>
    db
      .insertInto('notices')
      .values(
        rows.map(({ plan: p, notice: n }) => ({
          county_id: countyId,
          id: n.id,
          plan_id: p.id,
          org_id: n.org.id,
          title: n.title,
          body: JSON.stringify(n.body),
          starts_on: n.startsOn,
          ends_on: n.endsOn,
          created_at: n.createdAt,
        })),
      )
      .execute(),
  );
  const feedback = notices.flatMap(({ notice: n }) =>
    n.feedback.map((f) => ({
      county_id: countyId,
      notice_id: n.id,
      content: f.content,
      contact: f.contact,
      address_hash: null,
      created_at: f.createdAt,
      answer: f.answer,
      answered_by: null,
      answered_at: f.answeredAt ? new Date(f.answeredAt) : null,
      answer_published: f.published,
    })),
  );
  // Published feedback carries its public texts, masked as staff publishing it would have them.
  const withPublished = [];
  const namesOf = new Map<number, string[]>();
  for (const f of feedback) {
    if (!f.answer_published) {
      withPublished.push({ ...f, published_content: null, published_answer: null });
      continue;
    }
    if (!namesOf.has(f.notice_id))
      namesOf.set(f.notice_id, await publicationNames(db, countyId, f.notice_id));
    const names = namesOf.get(f.notice_id)!;
    withPublished.push({
      ...f,
      published_content: maskText(f.content, names),
      published_answer: maskText(f.answer ?? '', names),
    });
  }
  await inBatches(withPublished, (rows) => db.insertInto('notice_feedback').values(rows).execute());
  const checks = tasks.flatMap(({ task: t }) =>
    t.checks.map((c) => ({
      county_id: countyId,
      task_id: t.id,
      status: c.status,
      comment: c.comment,
      checked_by: null,
      checked_at: c.checkedAt,
    })),
  );
  await inBatches(checks, (rows) => db.insertInto('task_checks').values(rows).execute());
  await inBatches(signoffs, (rows) =>
    db
      .insertInto('signoffs')
      .values(
        rows.map((s) => ({
          county_id: countyId,
          pairing_id: s.pairing.id,
          year: s.year,
          party: s.party,
          opinion: s.opinion,
          comment: s.comment,
          recorded_by: null,
          on_behalf: s.onBehalf,
          recorded_at: s.recordedAt,
          amended_reason: null,
        })),
      )
      .execute(),
  );

  return summarise(plan, year, asOf, {
    links: links.length,
    participants: participants.length,
    outcomes: outcomes.length,
    tasks: tasks.length,
    feedback: feedback.length,
    checks: checks.length,
  });
}

/** Members were written without ids; their ID numbers are unique in the county, so they name them. */
async function memberIds(db: Executor, countyId: number): Promise<(m: MemberSeed) => number> {
  const rows = await db
    .selectFrom('members')
    .select(['id', 'id_number'])
    .where('county_id', '=', countyId)
    .execute();
  const byNumber = new Map(rows.map((r) => [r.id_number, r.id]));
  return (m) => {
    const id = byNumber.get(m.id_number);
    if (id === undefined) throw new Error(`member ${m.name} is not in the database`);
    return id;
  };
}

/**
 * Households were written in order, in multi-row INSERTs that draw their ids in row order; a few
 * have no ID number, so they are matched by that order, checked row by row.
 */
async function householdIds(
  db: Executor,
  countyId: number,
  households: readonly HouseholdSeed[],
): Promise<(h: HouseholdSeed) => number> {
  const rows = await db
    .selectFrom('households')
    .select(['id', 'org_id', 'head_name', 'head_id_number'])
    .where('county_id', '=', countyId)
    .orderBy('id')
    .execute();
  if (rows.length !== households.length) throw new Error('the households on file are not the demo’s');
  const ids = new Map<HouseholdSeed, number>();
  households.forEach((h, i) => {
    const r = rows[i]!;
    if (r.org_id !== h.org.id || r.head_name !== h.head_name || r.head_id_number !== h.head_id_number) {
      throw new Error(`household ${i} on file is not the demo’s ${h.head_name}`);
    }
    ids.set(h, r.id);
  });
  return (h) => ids.get(h)!;
}

/** Takes ids from a table's identity sequence, so child rows can name their parent in the same batch. */
async function reserveIds(
  db: Executor,
  table: 'pairings' | 'visits' | 'plans' | 'plan_tasks' | 'notices',
  count: number,
): Promise<number[]> {
  if (count <= 0) return [];
  const { rows } = await sql<{ id: number }>`
    SELECT nextval(pg_get_serial_sequence(${table}, 'id')) AS id FROM generate_series(1, ${count})`.execute(
    db,
  );
  return rows.map((r) => Number(r.id));
}

async function inBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

// ---------------------------------------------------------------------------------------------
// The summary, from the plan in memory: the test checks the database against the same figures.
// ---------------------------------------------------------------------------------------------

/** Where a pairing stands on `asOf` by the domain's own rule, from the visits planned for it. */
export function levelOf(p: PairingSeed, visits: readonly VisitSeed[], asOf: string): ComplianceLevel {
  return assessPairing({
    pairing: { leaderRank: p.leaderRank, startedOn: p.startedOn, endedOn: p.endedOn },
    rule: effectiveRule(p.kind),
    visits: visits.filter((v) => v.pairings.includes(p)).map((v) => ({ on: v.on, kind: v.kind })),
    year: p.year,
    asOf,
  }).level;
}

function summarise(
  plan: SanlianPlan,
  year: number,
  asOf: string,
  written: {
    links: number;
    participants: number;
    outcomes: number;
    tasks: number;
    feedback: number;
    checks: number;
  },
): SanlianSummary {
  const { current, previous } = plan.pairings;
  const byPairing = new Map<PairingSeed, VisitSeed[]>();
  for (const v of plan.visits) for (const p of v.pairings) byPairing.set(p, [...(byPairing.get(p) ?? []), v]);
  const levels = (list: readonly PairingSeed[]): Levels => {
    const { inactive: _inactive, ...counts } = countByLevel(
      list.map((p) => ({ level: levelOf(p, byPairing.get(p) ?? [], asOf), active: true })),
    );
    return counts;
  };
  const of = (list: readonly PairingSeed[], kind: PairingSeed['kind']) => list.filter((p) => p.kind === kind);
  const distinct = <T>(list: readonly T[]) => new Set(list).size;
  const leaders = of(current, 'leader_contact');
  const cobuild = of(current, 'branch_cobuild');
  const assist = of(current, 'member_assist');
  const statuses: Record<PlanStatus, number> = {
    draft: 0,
    submitted: 0,
    reviewed: 0,
    approved: 0,
    in_notice: 0,
    in_force: 0,
  };
  for (const p of plan.plans.plans) if (p.year === year) statuses[p.status]++;
  const notices = plan.plans.plans.flatMap((p) => (p.notice ? [p.notice] : []));
  return {
    year,
    asOf,
    leaderContact: {
      pairings: leaders.length,
      leaders: distinct(leaders.map((p) => p.helper)),
      villageBranches: distinct(
        leaders.filter((p) => p.helpedOrg.sector === 'rural').map((p) => p.helpedOrg),
      ),
      enterpriseBranches: distinct(
        leaders.filter((p) => p.helpedOrg.sector !== 'rural').map((p) => p.helpedOrg),
      ),
      levels: levels(leaders),
    },
    branchCobuild: {
      pairings: cobuild.length,
      branches: distinct(cobuild.flatMap((p) => [p.helperOrg, p.helpedOrg])),
      levels: levels(cobuild),
    },
    memberAssist: {
      pairings: assist.length,
      helpers: distinct(assist.map((p) => p.helper)),
      needyMembers: distinct(assist.flatMap((p) => (p.helpedMember ? [p.helpedMember] : []))),
      needyHouseholds: distinct(assist.flatMap((p) => (p.helpedHousehold ? [p.helpedHousehold] : []))),
    },
    previousYear: {
      year: year - 1,
      leaderContact: of(previous, 'leader_contact').length,
      branchCobuild: of(previous, 'branch_cobuild').length,
      memberAssist: of(previous, 'member_assist').length,
      levels: levels(previous.filter((p) => p.kind !== 'member_assist')),
    },
    visits: {
      records: plan.visits.length,
      links: written.links,
      joint: plan.visits.filter((v) => v.pairings.length > 1).length,
      participants: written.participants,
      outcomes: written.outcomes,
    },
    plans: {
      ...statuses,
      tasks: written.tasks,
      notices: notices.length,
      openNotices: notices.filter((n) => n.startsOn <= asOf && n.endsOn >= asOf).length,
      feedback: written.feedback,
      taskChecks: written.checks,
    },
    signoffs: plan.plans.signoffs.length,
  };
}
