import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { makeCounty, makeHousehold, makeMember, makeOrg, makeTownship } from '../../../test/factories.ts';
import type { Database } from '../../db/database.ts';
import { countyToday } from './clock.ts';
import { plansTestApp } from './test-app.ts';

/** Test-only: a county with the sides of three pairings and a client for every part in the workflow. */

export const YEAR = Number(countyToday().slice(0, 4));

/** An ID number and a mobile number that must never reach the public (valid check digit: GB 11643). */
export const SECRET_ID = '11010519491231002X';
export const SECRET_PHONE = '13912345678';
export const NEEDY_HEAD = '王大明';

interface Client {
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function plansWorld(database: Database, code: string) {
  const t = await makeCounty(database.db, { code, name: `${code.slice(-2)}号县` });
  const a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
  const b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
  const agencyCommittee = await makeOrg(t.ctx, {
    parentId: t.rootOrg.id,
    name: '中共县直属机关工作委员会',
    kind: 'working_committee',
    sector: 'agency',
  });
  const agencyBranch = await makeOrg(t.ctx, {
    parentId: agencyCommittee.id,
    name: '县财政局机关党支部',
    kind: 'branch',
    sector: 'agency',
  });
  const village1 = a.villages[0]!;
  const village2 = a.villages[1]!;
  const leader = await makeMember(t.ctx, {
    orgId: agencyBranch.id,
    name: '李建国',
    leaderRank: 'county',
    leaderUnit: '县财政局',
  });
  const helperMember = await makeMember(t.ctx, { orgId: village1.branch.id, name: '赵志强' });
  const needyMember = await makeMember(t.ctx, { orgId: village1.branch.id, name: '孙秀英', isNeedy: true });
  const household = await makeHousehold(t.ctx, {
    villageId: village1.village.id,
    headName: NEEDY_HEAD,
    category: 'poor',
    phone: SECRET_PHONE,
  });

  const pairing = async (values: Record<string, unknown>) =>
    (
      await database.db
        .insertInto('pairings')
        .values({
          county_id: t.county.id,
          year_from: YEAR,
          year_to: YEAR,
          started_on: `${YEAR}-01-01`,
          ...values,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const branchPairing = await pairing({
    kind: 'branch_cobuild',
    helper_org_id: agencyBranch.id,
    helped_org_id: village1.branch.id,
    title: '县财政局机关党支部—东山村党支部支部联建',
  });
  const leaderPairing = await pairing({
    kind: 'leader_contact',
    helper_member_id: leader.id,
    helper_org_id: agencyBranch.id,
    helped_org_id: village2.branch.id,
    title: '李建国联系西坪村党支部',
  });
  const assistPairing = await pairing({
    kind: 'member_assist',
    helper_member_id: helperMember.id,
    helper_org_id: village1.branch.id,
    helped_org_id: village1.branch.id,
    helped_household_id: household.id,
    title: '赵志强帮扶王大明户',
  });

  const app = await plansTestApp(database);
  const as = app.as;
  const clients = {
    admin: { inject: app.inject } as Client,
    secretary: await as('branch_secretary', agencyBranch.id),
    helpedSecretary: await as('branch_secretary', village1.branch.id),
    staffA: await as('committee_staff', a.committee.id),
    staffA2: await as('committee_staff', a.committee.id),
    staffB: await as('committee_staff', b.committee.id),
    agencyStaff: await as('committee_staff', agencyCommittee.id),
    auditor: await as('auditor', t.rootOrg.id),
    leader: await as('member', agencyBranch.id, leader.id),
    member: await as('member', village1.branch.id, helperMember.id),
  };
  return {
    app,
    t,
    a,
    b,
    agencyCommittee,
    agencyBranch,
    leader,
    helperMember,
    needyMember,
    household,
    pairings: { branch: branchPairing, leader: leaderPairing, assist: assistPairing },
    clients,
  };
}

export type PlansWorld = Awaited<ReturnType<typeof plansWorld>>;

export const createPlan = (c: Client, pairingId: number, extra: Record<string, unknown> = {}) =>
  c.inject({
    method: 'POST',
    url: '/api/plans',
    payload: {
      pairingId,
      year: YEAR,
      title: `${YEAR}年度共建方案`,
      content: '一、指导思想。二、主要任务。',
      tasks: [{ what: '每季度召开联席会', target: '4次', dueOn: `${YEAR}-12-31` }],
      ...extra,
    },
  });

export const act = (c: Client, planId: number, action: string, version: number, reason?: string) =>
  c.inject({
    method: 'POST',
    url: `/api/plans/${planId}/transitions`,
    payload: { action, version, ...(reason !== undefined && { reason }) },
  });

/** Drafts, submits, reviews and approves a plan as the county (who may take every step). */
export async function planInNotice(c: Client, pairingId: number, extra: Record<string, unknown> = {}) {
  const created = await createPlan(c, pairingId, extra);
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`);
  let plan = created.json();
  for (const action of ['submit', 'review', 'approve']) {
    const res = await act(c, plan.id, action, plan.version);
    if (res.statusCode !== 200) throw new Error(`${action}: ${res.statusCode} ${res.body}`);
    plan = res.json();
  }
  return plan as { id: number; version: number; noticeId: number; status: string };
}
