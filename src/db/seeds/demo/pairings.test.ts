import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets, type TestDatabase } from '../../../../test/helpers/db.ts';
import { codes, LEADER_RANKS, type LeaderRank } from '../../../domain/codes.ts';
import { assessPairing, type ComplianceLevel, type MonthCount } from '../../../domain/compliance.ts';
import {
  effectiveRule,
  type PairingKindCode,
  requiredPerYear,
  type VisitKind,
} from '../../../domain/pairings.ts';
import { noticeEnd } from '../../../domain/working-days.ts';
import { NoticeBody } from '../../../modules/publicity/schemas.ts';
import { type DemoSummary, loadDemoCounty, planCounty } from './index.ts';
import { planSanlian } from './sanlian.ts';

const ENTERPRISE = sql`('state_enterprise', 'private_enterprise')`;

describe('the demo county’s 三联共建 without a database', () => {
  const county = planCounty(20260101, '2026-01-01', '2026-06-30');

  it('plans the same pairings, visits and plans twice over', () => {
    const digest = () => {
      const s = planSanlian(20260101, county, 2026, '2026-06-30');
      return [
        s.pairings.all.map((p) => `${p.title} ${p.startedOn} ${p.endedOn} ${p.pace}`),
        s.visits.map(
          (v) => `${v.on} ${v.kind} ${v.content} ${v.participants.map((m) => m.id_number).join(',')}`,
        ),
        s.plans.plans.map((p) => `${p.title} ${p.status} ${p.events.map((e) => e.at).join(',')}`),
      ];
    };
    expect(digest()).toEqual(digest());
  });

  it('has the seed figures whatever the day of the year', () => {
    for (const asOf of ['2026-01-01', '2026-03-10', '2026-06-30', '2026-12-31']) {
      const { pairings } = planSanlian(20260101, county, 2026, asOf);
      const current = (kind: string) => pairings.current.filter((p) => p.kind === kind);
      expect(new Set(current('leader_contact').map((p) => p.helper)).size, asOf).toBe(111);
      expect(new Set(current('branch_cobuild').flatMap((p) => [p.helperOrg, p.helpedOrg])).size, asOf).toBe(
        70,
      );
      expect(new Set(current('member_assist').map((p) => p.helper)).size, asOf).toBe(867);
    }
  });

  it('never dates a visit or a plan step after the day before "today"', () => {
    const asOf = '2026-03-10';
    const { visits, plans } = planSanlian(20260101, county, 2026, asOf);
    expect(visits.filter((v) => v.on >= asOf)).toEqual([]);
    const steps = plans.plans.flatMap((p) => p.events.filter((e) => e.action !== 'take_effect'));
    expect(steps.filter((e) => e.at.slice(0, 10) >= asOf)).toEqual([]);
  });
});

describe.each(dbTargets())('the demo county’s 三联共建 on the $name database', (target) => {
  let database: TestDatabase;
  let summary: DemoSummary;
  let year: number;
  let asOf: string;

  beforeAll(async () => {
    database = await target.open();
    const started = performance.now();
    summary = await loadDemoCounty(database);
    year = summary.pairings.year;
    asOf = summary.pairings.asOf;
    console.info(
      `demo county with its pairings loaded on the ${target.name} database in ${Math.round(performance.now() - started)} ms`,
    );
    console.info(JSON.stringify(summary.pairings));
  });
  afterAll(() => database?.dispose());

  const rows = async <T>(query: (county: number) => RawBuilder<T>) =>
    (await query(summary.countyId).execute(database.db)).rows;
  const one = async <T>(query: (county: number) => RawBuilder<T>) => (await rows(query))[0]!;
  /** This year's pairings of a kind. */
  const thisYear = (kind: string) =>
    sql`p.kind = ${kind} AND p.year_from <= ${year} AND p.year_to >= ${year}`;

  it('has 111 leaders linking exactly 105 village and 6 enterprise branches this year', async () => {
    const r = await one<{ pairings: number; leaders: number; rural: number; firms: number; others: number }>(
      (c) => sql`SELECT count(*)::int AS pairings, count(DISTINCT p.helper_member_id)::int AS leaders,
                   count(DISTINCT o.id) FILTER (WHERE o.sector = 'rural' AND o.kind = 'branch')::int AS rural,
                   count(DISTINCT o.id) FILTER (WHERE o.sector IN ${ENTERPRISE} AND o.kind = 'branch')::int AS firms,
                   count(*) FILTER (WHERE o.sector <> 'rural' AND o.sector NOT IN ${ENTERPRISE})::int AS others
                 FROM pairings p JOIN orgs o ON o.county_id = p.county_id AND o.id = p.helped_org_id
                 WHERE p.county_id = ${c} AND ${thisYear('leader_contact')}`,
    );
    expect(r).toEqual({ pairings: 111, leaders: 111, rural: 105, firms: 6, others: 0 });
    const wrong = await one<{ n: number }>(
      (c) => sql`SELECT count(*)::int AS n FROM pairings p
                 JOIN members m ON m.county_id = p.county_id AND m.id = p.helper_member_id
                 WHERE p.county_id = ${c} AND p.kind = 'leader_contact'
                   AND (m.leader_rank NOT IN ('county', 'section') OR NOT m.is_party_member OR p.helper_org_id <> m.org_id
                        OR p.responsible_member_id <> m.id OR p.formation <> 'assigned' OR p.year_from <> p.year_to)`,
    );
    expect(wrong.n).toBe(0);
  });

  it('has 70 branches in 35 co-building pairs, each led by its helper branch’s secretary', async () => {
    const r = await one<{ pairings: number; branches: number }>(
      (
        c,
      ) => sql`SELECT (SELECT count(*) FROM pairings p WHERE p.county_id = ${c} AND ${thisYear('branch_cobuild')})::int AS pairings,
                   count(DISTINCT b)::int AS branches FROM (
                   SELECT p.helper_org_id AS b FROM pairings p WHERE p.county_id = ${c} AND ${thisYear('branch_cobuild')}
                   UNION ALL
                   SELECT p.helped_org_id FROM pairings p WHERE p.county_id = ${c} AND ${thisYear('branch_cobuild')}) x`,
    );
    expect(r).toEqual({ pairings: 35, branches: 70 });
    const wrong = await one<{ n: number }>(
      (c) => sql`SELECT count(*)::int AS n FROM pairings p
                 JOIN orgs h ON h.county_id = p.county_id AND h.id = p.helper_org_id
                 JOIN orgs d ON d.county_id = p.county_id AND d.id = p.helped_org_id
                 JOIN members r ON r.county_id = p.county_id AND r.id = p.responsible_member_id
                 WHERE p.county_id = ${c} AND p.kind = 'branch_cobuild' AND (
                   h.sector NOT IN ('agency', 'institution', 'state_enterprise', 'private_enterprise')
                   OR d.sector NOT IN ('rural', 'state_enterprise', 'private_enterprise')
                   OR r.org_id <> h.id OR cardinality(p.obligations) = 0
                   OR r.id <> (SELECT min(m.id) FROM members m WHERE m.county_id = h.county_id AND m.org_id = h.id AND m.is_party_member))`,
    );
    expect(wrong.n).toBe(0);
  });

  it('has 867 members each helping one of 449 needy members and 418 needy households', async () => {
    const r = await one<{ pairings: number; helpers: number; members: number; households: number }>(
      (c) => sql`SELECT count(*)::int AS pairings, count(DISTINCT helper_member_id)::int AS helpers,
                   count(DISTINCT helped_member_id)::int AS members, count(DISTINCT helped_household_id)::int AS households
                 FROM pairings p WHERE p.county_id = ${c} AND ${thisYear('member_assist')}`,
    );
    expect(r).toEqual({ pairings: 867, helpers: 867, members: 449, households: 418 });
    const wrong = await one<{ n: number }>(
      (c) => sql`SELECT count(*)::int AS n FROM pairings p
                 JOIN members hm ON hm.county_id = p.county_id AND hm.id = p.helper_member_id
                 LEFT JOIN members m ON m.county_id = p.county_id AND m.id = p.helped_member_id
                 LEFT JOIN households h ON h.county_id = p.county_id AND h.id = p.helped_household_id
                 LEFT JOIN household_categories k ON k.code = h.category
                 WHERE p.county_id = ${c} AND p.kind = 'member_assist' AND (
                   (m.id IS NULL) = (h.id IS NULL) OR NOT hm.is_party_member OR hm.is_needy
                   OR p.helper_org_id <> hm.org_id
                   OR (m.id IS NOT NULL AND (NOT m.is_needy OR p.helped_org_id <> m.org_id))
                   OR (h.id IS NOT NULL AND (NOT k.is_needy OR p.helped_org_id <> h.org_id)))`,
    );
    expect(wrong.n).toBe(0);
  });

  it('dates no visit in the future or outside its pairing’s span, and links every visit', async () => {
    const r = await one<{ visits: number; outside: number; unlinked: number; empty: number }>(
      (c) => sql`SELECT (SELECT count(*) FROM visits WHERE county_id = ${c})::int AS visits,
                   (SELECT count(*) FROM visits v
                      JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
                      JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id
                    WHERE v.county_id = ${c} AND (v.visited_on > ${asOf}::date OR v.visited_on > current_date
                      OR v.visited_on < p.started_on
                      OR v.visited_on > coalesce(p.ended_on, make_date(p.year_to, 12, 31))
                      OR extract(year FROM v.visited_on) NOT BETWEEN p.year_from AND p.year_to))::int AS outside,
                   (SELECT count(*) FROM visits v WHERE v.county_id = ${c} AND NOT EXISTS (
                      SELECT 1 FROM visit_pairings vp WHERE vp.county_id = v.county_id AND vp.visit_id = v.id))::int AS unlinked,
                   (SELECT count(*) FROM visits v WHERE v.county_id = ${c} AND (length(v.content) < 8 OR NOT EXISTS (
                      SELECT 1 FROM visit_participants x WHERE x.county_id = v.county_id AND x.visit_id = v.id)))::int AS empty`,
    );
    expect(r.visits).toBe(summary.pairings.visits.records);
    expect(r).toMatchObject({ outside: 0, unlinked: 0, empty: 0 });
    const shared = await one<{ n: number }>(
      (c) => sql`SELECT count(*)::int AS n FROM (SELECT visit_id FROM visit_pairings WHERE county_id = ${c}
                 GROUP BY visit_id HAVING count(*) > 1) x`,
    );
    expect(shared.n).toBeGreaterThanOrEqual(3);
    const outcomes = await rows<{ unit: string }>(
      (c) => sql`SELECT DISTINCT unit FROM visit_outcomes WHERE county_id = ${c}`,
    );
    expect(outcomes.map((o) => o.unit)).toEqual(
      expect.arrayContaining(['yuan', 'person_times', 'projects', 'km', 'mu']),
    );
  });

  it('keeps pairing_visit_counts equal to a direct count of the visits', async () => {
    const r = await one<{ kept: number; wrong: number }>(
      (c) => sql`WITH direct AS (
                   SELECT vp.pairing_id, extract(year FROM v.visited_on)::int AS year,
                          extract(month FROM v.visited_on)::int AS month, v.kind, count(*)::int AS visits
                   FROM visits v JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
                   WHERE v.county_id = ${c} GROUP BY 1, 2, 3, 4),
                 kept AS (SELECT pairing_id, year, month, kind, visits FROM pairing_visit_counts
                          WHERE county_id = ${c} AND visits <> 0)
                 SELECT (SELECT count(*) FROM kept)::int AS kept, count(*)::int AS wrong
                 FROM direct d FULL JOIN kept k USING (pairing_id, year, month, kind)
                 WHERE d.visits IS DISTINCT FROM k.visits`,
    );
    expect(r.kept).toBeGreaterThan(1000);
    expect(r.wrong).toBe(0);
  });

  it('has plans in every state on the way to force, one per contact point and co-building pair', async () => {
    const statuses = await rows<{ status: string; n: number }>(
      (c) =>
        sql`SELECT status, count(*)::int AS n FROM plans WHERE county_id = ${c} AND year = ${year} GROUP BY status`,
    );
    const n = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
    for (const s of ['draft', 'submitted', 'reviewed', 'in_notice', 'in_force'])
      expect(n[s], s).toBeGreaterThan(0);
    expect(n.in_force).toBeGreaterThan(
      (n.in_notice ?? 0) + (n.reviewed ?? 0) + (n.submitted ?? 0) + (n.draft ?? 0),
    );
    const missing = await one<{ n: number }>(
      (c) => sql`SELECT count(*)::int AS n FROM pairings p WHERE p.county_id = ${c}
                 AND p.kind IN ('leader_contact', 'branch_cobuild') AND NOT EXISTS (
                   SELECT 1 FROM plans x WHERE x.county_id = p.county_id AND x.pairing_id = p.id AND x.year = p.year_from)`,
    );
    expect(missing.n).toBe(0);
    const wrong = await one<{ n: number }>(
      (c) => sql`SELECT count(*)::int AS n FROM plans x WHERE x.county_id = ${c} AND (
                   (x.status = 'in_force' AND (x.in_force_on IS NULL OR x.notice_ends_on >= x.in_force_on OR x.in_force_on > ${asOf}::date))
                   OR (x.status = 'in_notice' AND (x.in_force_on IS NOT NULL OR x.notice_starts_on > ${asOf}::date))
                   OR (x.status IN ('draft', 'submitted', 'reviewed') AND x.notice_starts_on IS NOT NULL)
                   OR (SELECT count(*) FROM plan_tasks t WHERE t.county_id = x.county_id AND t.plan_id = x.id) NOT BETWEEN 3 AND 5
                   OR x.version <> 1 + (SELECT count(*) FROM plan_events e WHERE e.county_id = x.county_id AND e.plan_id = x.id))`,
    );
    expect(wrong.n).toBe(0);
    // Sent back and redrafted: a draft with the reason, and the return on its trail.
    const returned = await one<{ n: number }>(
      (c) => sql`SELECT count(*)::int AS n FROM plans x WHERE x.county_id = ${c} AND x.status = 'draft'
                 AND x.last_return_reason IS NOT NULL AND EXISTS (
                   SELECT 1 FROM plan_events e WHERE e.county_id = x.county_id AND e.plan_id = x.id
                   AND e.action = 'return' AND e.to_status = 'draft' AND e.reason = x.last_return_reason)`,
    );
    expect(returned.n).toBeGreaterThanOrEqual(1);
    // Nothing recorded later than now: every step, notice, comment, check and sign-off.
    const future = await one<{ n: number }>(
      (c) => sql`SELECT (
                   (SELECT count(*) FROM plan_events WHERE county_id = ${c} AND at > now())
                 + (SELECT count(*) FROM plans WHERE county_id = ${c} AND (created_at > now() OR updated_at > now()))
                 + (SELECT count(*) FROM visits WHERE county_id = ${c} AND created_at > now())
                 + (SELECT count(*) FROM notices WHERE county_id = ${c} AND created_at > now())
                 + (SELECT count(*) FROM notice_feedback WHERE county_id = ${c}
                      AND (created_at > now() OR answered_at > now() OR answered_at < created_at))
                 + (SELECT count(*) FROM task_checks WHERE county_id = ${c} AND checked_at > now())
                 + (SELECT count(*) FROM signoffs WHERE county_id = ${c} AND recorded_at > now()))::int AS n`,
    );
    expect(future.n).toBe(0);
  });

  it('has a notice open today, each running five working days, bodies without ID numbers or phones', async () => {
    const notices = await rows<{
      starts_on: string;
      ends_on: string;
      status: string;
      body: string;
      kind: string;
      helped: string | null;
    }>(
      (c) => sql`SELECT n.starts_on, n.ends_on, x.status, n.body::text AS body, p.kind,
                   coalesce(m.name, h.head_name) AS helped
                 FROM notices n JOIN plans x ON x.county_id = n.county_id AND x.id = n.plan_id
                 JOIN pairings p ON p.county_id = x.county_id AND p.id = x.pairing_id
                 LEFT JOIN members m ON m.county_id = p.county_id AND m.id = p.helped_member_id
                 LEFT JOIN households h ON h.county_id = p.county_id AND h.id = p.helped_household_id
                 WHERE n.county_id = ${c}`,
    );
    const open = notices.filter((n) => n.starts_on <= asOf && n.ends_on >= asOf);
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open.every((n) => n.status === 'in_notice')).toBe(true);
    expect(notices.filter((n) => n.ends_on !== noticeEnd(n.starts_on, 5))).toEqual([]);
    for (const n of notices) {
      expect(n.body, 'an ID number').not.toMatch(/\d{17}[\dXx]/);
      expect(n.body, 'a mobile number').not.toMatch(/(?<!\d)1\d{10}(?!\d)/);
      // The same shape the public notice page reads (and its response schema checks).
      const parsed = NoticeBody.safeParse(JSON.parse(n.body));
      expect(parsed.success, JSON.stringify(parsed.error?.issues?.[0])).toBe(true);
      // The people helped appear as surname + 某 only.
      if (n.helped) expect(n.body).not.toContain(n.helped);
    }
    const feedback = await one<{ n: number; published: number }>(
      (c) => sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE answer_published)::int AS published
                 FROM notice_feedback WHERE county_id = ${c}`,
    );
    expect(feedback.n).toBeGreaterThan(0);
    expect(feedback.published).toBeGreaterThan(0);
  });

  it('checks tasks mid-year, and signs off last year’s pairings only', async () => {
    const checks = await one<{ n: number; statuses: number }>(
      (c) =>
        sql`SELECT count(*)::int AS n, count(DISTINCT status)::int AS statuses FROM task_checks WHERE county_id = ${c}`,
    );
    expect(checks.n).toBeGreaterThan(50);
    expect(checks.statuses).toBeGreaterThanOrEqual(3);
    const signoffs = await rows<{ year: number; opinion: string; n: number; wrong: number }>(
      (c) => sql`SELECT s.year, s.opinion, count(*)::int AS n,
                   count(*) FILTER (WHERE s.year <> p.year_to OR (p.helped_household_id IS NOT NULL AND s.party = 'helped' AND NOT s.on_behalf))::int AS wrong
                 FROM signoffs s JOIN pairings p ON p.county_id = s.county_id AND p.id = s.pairing_id
                 WHERE s.county_id = ${c} GROUP BY 1, 2`,
    );
    expect(signoffs.every((s) => s.year === year - 1 && s.wrong === 0)).toBe(true);
    const by = Object.fromEntries(signoffs.map((s) => [s.opinion, s.n]));
    expect(by.satisfied).toBeGreaterThan((by.basically_satisfied ?? 0) + (by.unsatisfied ?? 0));
    expect(by.basically_satisfied).toBeGreaterThan(0);
    expect(by.unsatisfied).toBeGreaterThan(0);
    const unsigned = await one<{ n: number }>(
      (
        c,
      ) => sql`SELECT count(*)::int AS n FROM pairings p WHERE p.county_id = ${c} AND p.year_to = ${year - 1}
                 AND (SELECT count(*) FROM signoffs s WHERE s.county_id = p.county_id AND s.pairing_id = p.id) <> 2`,
    );
    expect(unsigned.n).toBe(0);
  });

  it('shows on-track and behind-pace pairings this year and a few short ones last year, by the domain’s rule', async () => {
    const pairings = await rows<{
      id: number;
      kind: PairingKindCode;
      year: number;
      started_on: string;
      ended_on: string | null;
      rank: string | null;
    }>(
      (c) => sql`SELECT p.id, p.kind, p.year_from AS year, p.started_on, p.ended_on, m.leader_rank AS rank
                 FROM pairings p LEFT JOIN members m ON m.county_id = p.county_id AND m.id = p.helper_member_id
                 WHERE p.county_id = ${c} AND p.kind IN ('leader_contact', 'branch_cobuild')`,
    );
    const counts = await rows<{
      pairing_id: number;
      year: number;
      month: number;
      kind: VisitKind;
      visits: number;
    }>(
      (c) =>
        sql`SELECT pairing_id, year, month, kind, visits FROM pairing_visit_counts WHERE county_id = ${c}`,
    );
    const byPairing = new Map<number, MonthCount[]>();
    for (const r of counts) {
      const list = byPairing.get(r.pairing_id) ?? [];
      list.push({ month: `${r.year}-${String(r.month).padStart(2, '0')}`, count: r.visits, kind: r.kind });
      byPairing.set(r.pairing_id, list);
    }
    const ranks = codes(LEADER_RANKS);
    const levels = (kind: PairingKindCode, y: number) => {
      const tally: Partial<Record<ComplianceLevel, number>> = {};
      for (const p of pairings.filter((x) => x.kind === kind && x.year === y)) {
        const rule = effectiveRule(p.kind);
        const leaderRank = ranks.includes(p.rank as LeaderRank) ? (p.rank as LeaderRank) : null;
        expect(requiredPerYear(rule, { leaderRank })).toBe(
          kind === 'branch_cobuild' ? 4 : leaderRank === 'county' ? 6 : 12,
        );
        const { level } = assessPairing({
          pairing: { id: p.id, leaderRank, startedOn: p.started_on, endedOn: p.ended_on },
          rule,
          monthCounts: byPairing.get(p.id) ?? [],
          year: y,
          asOf,
        });
        tally[level] = (tally[level] ?? 0) + 1;
      }
      return tally;
    };
    const leaders = levels('leader_contact', year);
    const branches = levels('branch_cobuild', year);
    const lastLeaders = levels('leader_contact', year - 1);
    const lastBranches = levels('branch_cobuild', year - 1);
    expect(leaders).toEqual(withoutInactive(summary.pairings.leaderContact.levels));
    expect(branches).toEqual(withoutInactive(summary.pairings.branchCobuild.levels));
    // As of late in the year (the default demo): most on track, a realistic minority behind.
    if (asOf >= `${year}-03-01`) {
      for (const tally of [leaders, branches]) {
        expect(tally.on_track).toBeGreaterThan(0);
        expect(tally.behind_pace).toBeGreaterThan(0);
        expect(tally.on_track!).toBeGreaterThan(3 * tally.behind_pace!);
      }
    }
    const lastShort = (lastLeaders.short ?? 0) + (lastBranches.short ?? 0);
    expect(lastShort).toBeGreaterThanOrEqual(2);
    expect(lastShort).toBeLessThanOrEqual(10);
    expect(lastLeaders.on_track).toBeGreaterThan(lastLeaders.short ?? 0);
  });

  it('reports the seed figures in its summary', () => {
    expect(summary.pairings).toMatchObject({
      leaderContact: { pairings: 111, leaders: 111, villageBranches: 105, enterpriseBranches: 6 },
      branchCobuild: { pairings: 35, branches: 70 },
      memberAssist: { pairings: 867, helpers: 867, needyMembers: 449, needyHouseholds: 418 },
    });
  });
});

/** The summary's tally with its zero levels dropped, as the test tallies. */
function withoutInactive(levels: Partial<Record<ComplianceLevel | 'total', number>>) {
  const out: Partial<Record<ComplianceLevel, number>> = {};
  for (const level of ['on_track', 'behind_pace', 'short', 'not_started'] as const) {
    if (levels[level]) out[level] = levels[level];
  }
  return out;
}
