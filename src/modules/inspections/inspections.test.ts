import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countyAudits,
  countyRowCount,
  makeCounty,
  makeMember,
  makeOrg,
  makeTownship,
  testApp,
} from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { countyToday, daysBefore } from '../plans/clock.ts';

interface Client {
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

const today = countyToday();
const Y = Number(today.slice(0, 4));
const daysAfter = (iso: string, n: number) => daysBefore(iso, -n);

describe.each(dbTargets())('督查: checks and rectifications on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;
  const ids = { pairingA: 0, pairingB: 0, agency: 0 };
  const users = { staffA: 0, staffB: 0, secA: 0, secB: 0 };
  let c: Record<'admin' | 'staffA' | 'staffB' | 'secA' | 'secB' | 'member' | 'auditor', Client>;

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369960', name: '督查县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    const agency = await makeOrg(t.ctx, {
      parentId: t.rootOrg.id,
      name: '县财政局机关党支部',
      sector: 'agency',
    });
    ids.agency = agency.id;
    const leader = await makeMember(t.ctx, {
      orgId: agency.id,
      name: '李建国',
      leaderRank: 'county',
      leaderUnit: '县财政局',
    });
    const pairing = async (helped: number, title: string) =>
      (
        await database.db
          .insertInto('pairings')
          .values({
            county_id: t.county.id,
            kind: 'leader_contact',
            year_from: Y,
            year_to: Y,
            started_on: `${Y}-01-01`,
            helper_member_id: leader.id,
            helper_org_id: agency.id,
            helped_org_id: helped,
            title,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    ids.pairingA = await pairing(a.villages[0]!.branch.id, '李建国联系甲镇东山村党支部');
    ids.pairingB = await pairing(b.villages[0]!.branch.id, '李建国联系乙镇东山村党支部');

    app = await testApp(database);
    const member = await makeMember(t.ctx, { orgId: a.villages[0]!.branch.id, name: '张三' });
    c = {
      admin: { inject: app.inject },
      staffA: await app.as('committee_staff', a.committee.id),
      staffB: await app.as('committee_staff', b.committee.id),
      secA: await app.as('branch_secretary', a.villages[0]!.branch.id),
      secB: await app.as('branch_secretary', b.villages[0]!.branch.id),
      member: await app.as('member', a.villages[0]!.branch.id, member.id),
      auditor: await app.as('auditor'),
    };
    for (const k of Object.keys(users) as (keyof typeof users)[]) {
      users[k] = (await c[k].inject({ method: 'GET', url: '/api/auth/me' })).json().userId;
    }
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const count = (table: string) => countyRowCount(database.db, t.county.id, table);
  const audits = (action: string) => countyAudits(database.db, t.county.id, action);
  const post = (client: Client, url: string, payload: object) =>
    client.inject({ method: 'POST', url, payload });
  const get = (client: Client, url: string) => client.inject({ method: 'GET', url });

  /** A check of pairing A by township A's staff that found two problems. */
  const checkA = (over: Record<string, unknown> = {}) => ({
    pairingId: ids.pairingA,
    method: 'on_site',
    checkedOn: daysBefore(today, 3),
    conclusion: 'problems',
    findings: '实地查看联系点工作，走访记录不全。',
    problems: [
      {
        problem: '走访记录不全，未见帮扶成效记录',
        ownerOrgId: a.villages[0]!.branch.id,
        ownerUserId: users.secA,
        dueOn: daysAfter(today, 30),
      },
      { problem: '年度计划任务进度滞后', ownerOrgId: a.committee.id, dueOn: daysAfter(today, 60) },
    ],
    ...over,
  });

  let roundId = 0;
  let plannedOrgItem = 0;
  let checkIdA = 0;
  let rectForSecA = 0;
  let rectForCommittee = 0;

  it('plans a round: items assigned to staff, progress all planned, audited', async () => {
    const res = await post(c.admin, '/api/inspection-rounds', {
      year: Y,
      quarter: 1,
      title: `${Y}年第一季度三联共建督查`,
      dueOn: `${Y}-03-31`,
      items: [
        { pairingId: ids.pairingA, assignedTo: users.staffA },
        { orgId: b.villages[1]!.branch.id, assignedTo: users.staffB },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const round = res.json();
    roundId = round.id;
    expect(round).toMatchObject({
      year: Y,
      quarter: 1,
      quarterLabel: `${Y}年第一季度`,
      orgId: t.rootOrg.id,
      progress: { items: 2, planned: 2, done: 0, withProblems: 0, openRectifications: 0 },
    });
    expect(round.items.map((i: { statusLabel: string }) => i.statusLabel)).toEqual(['待检查', '待检查']);
    const orgItem = round.items.find((i: { target: { type: string } }) => i.target.type === 'org');
    expect(orgItem).toMatchObject({ assignedTo: users.staffB, assignedToName: '测试committee_staff' });
    plannedOrgItem = orgItem.id;
    const logged = await audits('inspection.round.create');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ target_type: 'inspection_round', target_id: String(roundId) });
  });

  it('a round item assigned to a non-staff account, given twice or outside the subtree is a 400 naming it; nothing is written', async () => {
    const before = [await count('inspection_rounds'), await count('inspections')];
    const secretary = await post(c.admin, '/api/inspection-rounds', {
      year: Y,
      quarter: 2,
      title: '第二季度督查',
      items: [
        { pairingId: ids.pairingA, assignedTo: users.staffA },
        { pairingId: ids.pairingB, assignedTo: users.secB },
      ],
    });
    expect(secretary.statusCode).toBe(400);
    expect(secretary.json().error).toMatchObject({ field: 'items.1.assignedTo' });
    expect(secretary.json().error.message).toContain('第2项');
    const twice = await post(c.admin, '/api/inspection-rounds', {
      year: Y,
      quarter: 2,
      title: '第二季度督查',
      items: [
        { pairingId: ids.pairingA, assignedTo: users.staffA },
        { pairingId: ids.pairingA, assignedTo: users.staffA },
      ],
    });
    expect(twice.json().error).toMatchObject({ field: 'items.1.pairingId' });
    const outside = await post(c.staffA, '/api/inspection-rounds', {
      year: Y,
      quarter: 2,
      title: '甲镇第二季度督查',
      items: [{ orgId: b.villages[0]!.branch.id, assignedTo: users.staffA }],
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.field).toBe('items.0.orgId');
    expect([await count('inspection_rounds'), await count('inspections')]).toEqual(before);
  });

  it('records a check with a rectification per problem, in one audited act', async () => {
    const res = await post(c.staffA, '/api/inspections', checkA());
    expect(res.statusCode, res.body).toBe(201);
    const check = res.json();
    checkIdA = check.id;
    expect(check).toMatchObject({
      status: 'done',
      statusLabel: '已检查',
      method: 'on_site',
      methodLabel: '实地检查',
      conclusion: 'problems',
      conclusionLabel: '存在问题',
      checkedBy: users.staffA,
      checkedByName: '测试committee_staff',
      target: { type: 'pairing', typeLabel: '结对', pairingId: ids.pairingA, orgId: ids.agency },
      rectifications: { total: 2, open: 2, overdue: 0 },
    });
    expect(check.township).toBe('甲镇党委');
    expect(check.rectificationList).toHaveLength(2);
    expect(check.rectificationList[0]).toMatchObject({
      problem: '走访记录不全，未见帮扶成效记录',
      ownerUserId: users.secA,
      ownerName: '测试branch_secretary',
      status: 'open',
      statusLabel: '整改中',
      overdue: false,
      ownerTownship: '甲镇党委',
    });
    rectForSecA = check.rectificationList[0].id;
    rectForCommittee = check.rectificationList[1].id;
    const logged = await audits('inspection.record');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.details).toMatchObject({
      pairingId: ids.pairingA,
      conclusion: 'problems',
      rectifications: [rectForSecA, rectForCommittee],
    });
  });

  it('bad input is a 400 naming the field, in Chinese with English, and changes nothing', async () => {
    const before = [await count('inspections'), await count('rectifications'), await count('audit_log')];
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          problems: [
            ...checkA().problems,
            { problem: '组织生活不规范', ownerOrgId: a.committee.id, dueOn: daysBefore(today, 10) },
          ],
        },
        'problems.2.dueOn',
      ],
      [
        { problems: [{ problem: '帮扶台账缺失', ownerOrgId: b.committee.id, dueOn: daysAfter(today, 5) }] },
        'problems.0.ownerOrgId',
      ],
      [
        {
          problems: [
            {
              problem: '帮扶台账缺失',
              ownerOrgId: a.villages[1]!.branch.id,
              ownerUserId: users.secA,
              dueOn: daysAfter(today, 5),
            },
          ],
        },
        'problems.0.ownerUserId',
      ],
      [{ problems: [] }, 'problems'],
      [{ conclusion: 'good' }, 'conclusion'],
      [{ checkedOn: daysAfter(today, 1) }, 'checkedOn'],
      [{ orgId: a.committee.id }, 'orgId'],
      [{ pairingId: ids.pairingB }, 'pairingId'],
      [{ method: 'email' }, 'method'],
      [{ problems: [{ problem: '', ownerOrgId: a.committee.id, dueOn: today }] }, 'problems.0.problem'],
    ];
    for (const [over, field] of cases) {
      const res = await post(c.staffA, '/api/inspections', checkA(over));
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      const error = res.json().error;
      expect(error.field, res.body).toBe(field);
      expect(error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(error.messageEn).toMatch(/[a-z]/);
    }
    const dueOn = (await post(c.staffA, '/api/inspections', checkA(cases[0]![0]))).json().error;
    expect(dueOn.message).toBe('第3个问题：整改期限早于检查日期');
    expect(dueOn.messageEn).toBe('problem 3: the due date precedes the check');
    expect([await count('inspections'), await count('rectifications'), await count('audit_log')]).toEqual(
      before,
    );
  });

  it('completes a planned item once; the round shows its progress', async () => {
    const res = await post(c.staffB, `/api/inspections/${plannedOrgItem}/complete`, {
      method: 'phone',
      checkedOn: daysBefore(today, 2),
      conclusion: 'fair',
      findings: '电话抽查支部书记，三会一课记录基本齐全。',
      problems: [
        {
          problem: '党员活动日记录不全',
          ownerOrgId: b.villages[1]!.branch.id,
          ownerName: '王支书',
          dueOn: daysBefore(today, 1),
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'done',
      roundId,
      methodLabel: '电话抽查',
      conclusionLabel: '一般',
      rectifications: { total: 1, open: 1, overdue: 1 },
    });
    expect(res.json().rectificationList[0]).toMatchObject({
      ownerName: '王支书',
      status: 'overdue',
      overdue: true,
    });
    const again = await post(c.staffB, `/api/inspections/${plannedOrgItem}/complete`, {
      method: 'phone',
      checkedOn: today,
      conclusion: 'good',
    });
    expect(again.statusCode).toBe(409);
    const round = (await get(c.admin, `/api/inspection-rounds/${roundId}`)).json();
    expect(round.progress).toEqual({
      items: 2,
      planned: 1,
      done: 1,
      withProblems: 1,
      openRectifications: 1,
      overdueRectifications: 1,
    });
    // Township B's staff see the county's round through their item, and only their share of it.
    const seenByB = await get(c.staffB, `/api/inspection-rounds/${roundId}`);
    expect(seenByB.statusCode, seenByB.body).toBe(200);
    expect(seenByB.json().progress).toMatchObject({ items: 1, done: 1 });
    expect(seenByB.json().items).toHaveLength(1);
    const list = (await get(c.admin, `/api/inspection-rounds?year=${Y}`)).json();
    expect(list.total).toBe(1);
    expect((await audits('inspection.complete')).map((x) => x.target_id)).toEqual([String(plannedOrgItem)]);
  });

  it('lists checks by round, pairing, subtree, dates and conclusion', async () => {
    const ids_ = async (query: string) =>
      (await get(c.admin, `/api/inspections?${query}`)).json().items.map((x: { id: number }) => x.id);
    expect(await ids_(`round=${roundId}&status=done`)).toEqual([plannedOrgItem]);
    expect(await ids_(`pairing=${ids.pairingA}&status=done`)).toEqual([checkIdA]);
    expect(await ids_(`org=${b.committee.id}`)).toEqual([plannedOrgItem]);
    expect((await ids_(`org=${a.committee.id}`)).sort()).toContain(checkIdA);
    expect(await ids_('conclusion=fair')).toEqual([plannedOrgItem]);
    expect(await ids_(`from=${daysBefore(today, 2)}&to=${today}`)).toEqual([plannedOrgItem]);
    const one = await get(c.staffA, `/api/inspections/${checkIdA}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().rectificationList.map((r: { id: number }) => r.id)).toEqual([
      rectForSecA,
      rectForCommittee,
    ]);
  });

  it('a township does not see or close another township’s check or rectification (404)', async () => {
    expect((await get(c.staffB, `/api/inspections/${checkIdA}`)).statusCode).toBe(404);
    const listB = (await get(c.staffB, '/api/rectifications')).json();
    expect(listB.items.map((r: { id: number }) => r.id)).not.toContain(rectForSecA);
    expect(listB.total).toBe(1);
    const close = await post(c.staffB, `/api/rectifications/${rectForSecA}/close`, {
      evidence: '已补齐记录',
    });
    expect(close.statusCode).toBe(404);
    const closeBySecB = await post(c.secB, `/api/rectifications/${rectForCommittee}/close`, {
      evidence: '已补齐记录',
    });
    expect(closeBySecB.statusCode).toBe(404);
    // Township A's secretary sees the check of its pairing but may not close the committee's rectification.
    const notOwner = await post(c.secA, `/api/rectifications/${rectForCommittee}/close`, {
      evidence: '已完成',
    });
    expect(notOwner.statusCode).toBe(403);
    const statuses = await database.db
      .selectFrom('rectifications')
      .select('status')
      .where('county_id', '=', t.county.id)
      .where('id', 'in', [rectForSecA, rectForCommittee])
      .execute();
    expect(statuses.map((s) => s.status)).toEqual(['open', 'open']);
  });

  it('roles: a member reads no checks, a secretary and an auditor record none, an auditor closes none (403)', async () => {
    expect((await get(c.member, '/api/inspections')).statusCode).toBe(403);
    expect((await get(c.member, '/api/rectifications/mine')).statusCode).toBe(403);
    expect((await post(c.secA, '/api/inspections', checkA())).statusCode).toBe(403);
    expect((await post(c.auditor, '/api/inspections', checkA())).statusCode).toBe(403);
    expect(
      (await post(c.secA, '/api/inspection-rounds', { year: Y, quarter: 1, title: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (await post(c.auditor, `/api/rectifications/${rectForSecA}/close`, { evidence: '已整改' })).statusCode,
    ).toBe(403);
    expect((await get(c.auditor, '/api/rectifications?status=open')).statusCode).toBe(200);
  });

  it('"mine" shows the open rectifications of my account or my organisation', async () => {
    const mine = (await get(c.secA, '/api/rectifications/mine')).json();
    expect(mine.items.map((r: { id: number }) => r.id)).toEqual([rectForSecA]);
    expect(mine).toMatchObject({ open: 1, overdue: 0 });
    const committee = (await get(c.staffA, '/api/rectifications/mine')).json();
    expect(committee.items.map((r: { id: number }) => r.id)).toEqual([rectForCommittee]);
    expect((await get(c.staffB, '/api/rectifications/mine')).json().items).toEqual([]);
  });

  it('closes with evidence only, once, audited; then it leaves "mine" and counts as closed', async () => {
    const empty = await post(c.secA, `/api/rectifications/${rectForSecA}/close`, { evidence: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.field).toBe('evidence');
    const future = await post(c.secA, `/api/rectifications/${rectForSecA}/close`, {
      evidence: '已补齐',
      closedOn: daysAfter(today, 2),
    });
    expect(future.json().error.field).toBe('closedOn');
    const res = await post(c.secA, `/api/rectifications/${rectForSecA}/close`, {
      evidence: '已补齐2026年走访记录12份，建立帮扶成效登记簿。',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'closed',
      statusLabel: '已整改销号',
      closedOn: today,
      closedBy: users.secA,
      closedByName: '测试branch_secretary',
    });
    expect(
      (await post(c.secA, `/api/rectifications/${rectForSecA}/close`, { evidence: '再次' })).statusCode,
    ).toBe(409);
    expect((await audits('rectification.close')).map((x) => x.target_id)).toEqual([String(rectForSecA)]);
    expect((await get(c.secA, '/api/rectifications/mine')).json().items).toEqual([]);
    const closed = (await get(c.admin, '/api/rectifications?status=closed')).json();
    expect(closed.items.map((r: { id: number }) => r.id)).toEqual([rectForSecA]);
    const overdue = (await get(c.admin, '/api/rectifications?status=overdue')).json();
    expect(overdue.total).toBe(1);
    expect(overdue.items[0].ownerOrgId).toBe(b.villages[1]!.branch.id);
    const underA = (await get(c.admin, `/api/rectifications?org=${a.committee.id}`)).json();
    expect(underA.total).toBe(2);
  });

  it('the dashboard counts by township: open, overdue, closed this year', async () => {
    const res = await get(c.admin, '/api/rectifications/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.total).toEqual({ open: 2, overdue: 1, closedThisYear: 1 });
    const byName = Object.fromEntries(d.byTownship.map((r: { name: string }) => [r.name, r]));
    expect(byName.甲镇党委).toMatchObject({
      orgId: a.committee.id,
      open: 1,
      overdue: 0,
      closedThisYear: 1,
    });
    expect(byName.乙镇党委).toMatchObject({
      orgId: b.committee.id,
      open: 1,
      overdue: 1,
      closedThisYear: 0,
    });
    const onlyB = (await get(c.staffB, '/api/rectifications/dashboard')).json();
    expect(onlyB.byTownship.map((r: { name: string }) => r.name)).toEqual(['乙镇党委']);
  });
});
