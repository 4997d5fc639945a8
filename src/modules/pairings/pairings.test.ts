import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeCounty,
  makeHousehold,
  makeMember,
  makeOrg,
  makeTownship,
  type TestClient,
  testApp,
} from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';

const Y = Number(new Date().toISOString().slice(0, 4));

describe.each(dbTargets())('pairings, visits and compliance on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof testApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;
  let agency: { id: number };
  let leader: { id: number };
  let contactId: number;
  let leaderClient: TestClient;

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369940', name: '结对县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    agency = await makeOrg(t.ctx, { parentId: t.rootOrg.id, name: '县农业农村局党支部', sector: 'agency' });
    leader = await makeMember(t.ctx, {
      orgId: agency.id,
      name: '张县长',
      leaderRank: 'county',
      leaderUnit: '县政府',
    });
    app = await testApp(database);
    const res = await app.inject({
      method: 'POST',
      url: '/api/pairings',
      payload: {
        kind: 'leader_contact',
        yearFrom: Y,
        helper: { memberId: leader.id },
        helped: { orgId: a.villages[0]!.branch.id },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    contactId = res.json().id;
    leaderClient = await app.as('member', agency.id, leader.id);
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const visit = (client: { inject: TestClient['inject'] }, payload: object) =>
    client.inject({ method: 'POST', url: '/api/visits', payload });

  it('a county-level leader owes 6 on-site work visits a year on a contact point', async () => {
    const p = (
      await app.inject({ method: 'GET', url: `/api/pairings/${contactId}?year=${Y}&asOf=${Y}-01-01` })
    ).json();
    expect(p).toMatchObject({
      kind: 'leader_contact',
      kindLabel: '领导联点',
      title: '张县长联系东山村党支部',
    });
    expect(p.compliance).toMatchObject({ requiredFullYear: 6, required: 6, done: 0, hasQuota: true });
    expect(p.helper).toMatchObject({ name: '张县长', leaderRank: 'county' });
  });

  it('a leader logs their own on-site visit; it counts, and the compliance follows the counts', async () => {
    const r1 = await visit(leaderClient, {
      pairingIds: [contactId],
      visitedOn: `${Y}-01-15`,
      kind: 'on_site_work',
      content: '到村调研产业发展',
      outcomes: [{ unit: 'yuan', amount: 20000, note: '水渠维修' }],
    });
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json()).toMatchObject({
      kindLabel: '到点工作',
      outcomes: [{ unit: 'yuan', amount: 20000, unitLabel: '元' }],
    });
    await visit(leaderClient, {
      pairingIds: [contactId],
      visitedOn: `${Y}-02-10`,
      kind: 'meet_family',
      content: '认亲座谈',
    });
    const p = (
      await app.inject({ method: 'GET', url: `/api/pairings/${contactId}?year=${Y}&asOf=${Y}-06-30` })
    ).json();
    // 认亲 does not count for a contact point's on-site quota; 6 a year means 3 by the end of June.
    expect(p.compliance).toMatchObject({ done: 1, expectedByNow: 3, level: 'behind_pace' });
    expect(p.visits.map((v: { kind: string }) => v.kind)).toEqual(['meet_family', 'on_site_work']);
    const counts = await sql<{
      n: number;
    }>`SELECT sum(visits)::int AS n FROM pairing_visit_counts WHERE pairing_id = ${contactId}`.execute(
      database.db,
    );
    expect(counts.rows[0]!.n).toBe(2);
  });

  it('a phone draft sent twice (the answer was lost) is saved once; another user’s same reference is their own', async () => {
    const payload = {
      pairingIds: [contactId],
      visitedOn: `${Y}-03-03`,
      kind: 'on_site_work',
      content: '信号不好，重发一次',
      clientRef: 'draft-0001-abcdef',
    };
    const first = await visit(leaderClient, payload);
    expect(first.statusCode, first.body).toBe(201);
    const again = await visit(leaderClient, payload);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    const n = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM visits WHERE client_ref = 'draft-0001-abcdef'`.execute(database.db);
    expect(n.rows[0]!.n).toBe(1);
    const staff = await visit(app, payload); // the county administrator: a different user
    expect(staff.statusCode, staff.body).toBe(201);
    expect(staff.json().id).not.toBe(first.json().id);
    const bad = await visit(leaderClient, { ...payload, clientRef: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('clientRef');
    // leave the counts as the later tests expect them
    for (const id of [first.json().id, staff.json().id]) {
      await sql`DELETE FROM visits WHERE id = ${id}`.execute(database.db);
    }
  });

  it('a visit cannot be dated in the future or outside the pairing’s span, and nothing is written', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM visits`.execute(database.db);
    const future = await visit(leaderClient, {
      pairingIds: [contactId],
      visitedOn: `${Y + 1}-01-02`,
      kind: 'on_site_work',
      content: '未来的活动',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.field).toBe('visitedOn');
    const before2 = await visit(leaderClient, {
      pairingIds: [contactId],
      visitedOn: `${Y - 1}-12-31`,
      kind: 'on_site_work',
      content: '结对前的活动',
    });
    expect(before2.statusCode).toBe(400);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM visits`.execute(database.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('one record counts for every pairing it belongs to', async () => {
    const cobuild = await app.inject({
      method: 'POST',
      url: '/api/pairings',
      payload: {
        kind: 'branch_cobuild',
        yearFrom: Y,
        helper: { orgId: agency.id },
        helped: { orgId: a.villages[0]!.branch.id },
        responsibleMemberId: leader.id,
      },
    });
    expect(cobuild.statusCode, cobuild.body).toBe(201);
    const res = await visit(leaderClient, {
      pairingIds: [contactId, cobuild.json().id],
      visitedOn: `${Y}-03-05`,
      kind: 'on_site_work',
      content: '联点领导与共建支部一同到村',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().pairingIds.sort()).toEqual([contactId, cobuild.json().id].sort());
    const c = (
      await app.inject({ method: 'GET', url: `/api/pairings/${cobuild.json().id}?year=${Y}&asOf=${Y}-12-31` })
    ).json();
    expect(c.compliance).toMatchObject({ required: 4, done: 1, level: 'short' });
  });

  it('a co-building pair that held its quarterly joint meeting only in the first quarter shows the missed quarters', async () => {
    const agency2 = await makeOrg(t.ctx, {
      parentId: t.rootOrg.id,
      name: '县财政局党支部',
      sector: 'agency',
    });
    const res = await app.inject({
      method: 'POST',
      url: '/api/pairings',
      payload: {
        kind: 'branch_cobuild',
        yearFrom: Y,
        helper: { orgId: agency2.id },
        helped: { orgId: a.villages[1]!.branch.id },
        obligations: ['joint_meeting'],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    expect(
      (
        await visit(app, {
          pairingIds: [id],
          visitedOn: `${Y}-02-10`,
          kind: 'joint_meeting',
          content: '第一季度联席会',
        })
      ).statusCode,
    ).toBe(201);
    const p = (
      await app.inject({ method: 'GET', url: `/api/pairings/${id}?year=${Y}&asOf=${Y}-09-30` })
    ).json();
    expect(p.obligationStatus).toHaveLength(1);
    expect(p.obligationStatus[0]).toMatchObject({
      system: 'joint_meeting',
      label: '季度联席会',
      done: 1,
      ok: false,
    });
    expect(p.obligationStatus[0].missed).toEqual([`${Y}-Q2`, `${Y}-Q3`]);
  });

  it('moving a visit to another month moves its count', async () => {
    const res = await visit(leaderClient, {
      pairingIds: [contactId],
      visitedOn: `${Y}-04-01`,
      kind: 'on_site_work',
      content: '四月到点',
    });
    const id = res.json().id;
    const moved = await app.inject({
      method: 'PATCH',
      url: `/api/visits/${id}`,
      payload: { visitedOn: `${Y}-05-20` },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const rows = await sql<{ month: number; visits: number }>`
      SELECT month, visits FROM pairing_visit_counts WHERE pairing_id = ${contactId} AND kind = 'on_site_work' AND month IN (4, 5) ORDER BY month`.execute(
      database.db,
    );
    expect(rows.rows).toEqual([
      { month: 4, visits: 0 },
      { month: 5, visits: 1 },
    ]);
  });

  it('the county summary counts kept for province roll-ups always equal the pairings’ counts', async () => {
    const rows = await sql<{ a: number; b: number }>`
      SELECT (SELECT coalesce(sum(visits), 0)::int FROM county_visit_counts) AS a,
             (SELECT coalesce(sum(visits), 0)::int FROM pairing_visit_counts) AS b`.execute(database.db);
    expect(rows.rows[0]!.a).toBeGreaterThan(0);
    expect(rows.rows[0]!.a).toBe(rows.rows[0]!.b);
    const byKind = await sql<{ pairing_kind: string; visit_kind: string; visits: number }>`
      SELECT pairing_kind, visit_kind, sum(visits)::int AS visits FROM county_visit_counts
      WHERE visits <> 0 GROUP BY 1, 2 ORDER BY 1, 2`.execute(database.db);
    const direct = await sql<{ pairing_kind: string; visit_kind: string; visits: number }>`
      SELECT p.kind AS pairing_kind, v.kind AS visit_kind, count(*)::int AS visits
      FROM visits v JOIN visit_pairings vp ON vp.county_id = v.county_id AND vp.visit_id = v.id
      JOIN pairings p ON p.county_id = vp.county_id AND p.id = vp.pairing_id GROUP BY 1, 2 ORDER BY 1, 2`.execute(
      database.db,
    );
    expect(byKind.rows).toEqual(direct.rows);
  });

  it('an edit after 30 days needs staff rights', async () => {
    const res = await visit(leaderClient, {
      pairingIds: [contactId],
      visitedOn: `${Y}-01-20`,
      kind: 'on_site_work',
      content: '一月到点',
    });
    const id = res.json().id;
    await sql`UPDATE visits SET created_at = now() - interval '31 days' WHERE id = ${id}`.execute(
      database.db,
    );
    const byLeader = await leaderClient.inject({
      method: 'PATCH',
      url: `/api/visits/${id}`,
      payload: { content: '补充内容' },
    });
    expect(byLeader.statusCode).toBe(403);
    expect(byLeader.json().error.code).toBe('too_old');
    const byCounty = await app.inject({
      method: 'PATCH',
      url: `/api/visits/${id}`,
      payload: { content: '补充内容' },
    });
    expect(byCounty.statusCode).toBe(200);
    const audit = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'visit.update' AND target_id = ${String(id)}`.execute(
      database.db,
    );
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('a member may not log visits for a pairing that is not theirs, and does not even see it', async () => {
    const other = await makeMember(t.ctx, { orgId: agency.id, name: '李干部' });
    const client = await app.as('member', agency.id, other.id);
    const res = await visit(client, {
      pairingIds: [contactId],
      visitedOn: `${Y}-01-21`,
      kind: 'on_site_work',
      content: '不是我的结对',
    });
    expect(res.statusCode).toBe(404);
    const list = (await client.inject({ method: 'GET', url: `/api/pairings?year=${Y}` })).json();
    expect(list.total).toBe(0);
  });

  it('the township of the helped branch sees the contact point, with the county leader’s name and rank, but another township does not', async () => {
    const staffA = await app.as('committee_staff', a.committee.id);
    const p = (await staffA.inject({ method: 'GET', url: `/api/pairings/${contactId}?year=${Y}` })).json();
    expect(p.helper).toMatchObject({ name: '张县长', leaderRank: 'county' });
    expect(p.compliance.requiredFullYear).toBe(6);
    const staffB = await app.as('committee_staff', b.committee.id);
    expect((await staffB.inject({ method: 'GET', url: `/api/pairings/${contactId}` })).statusCode).toBe(404);
  });

  it('党员联帮 helps a needy member or a needy household, never anyone else', async () => {
    const helper = await makeMember(t.ctx, { orgId: a.villages[1]!.branch.id });
    const needy = await makeMember(t.ctx, { orgId: a.villages[0]!.branch.id, isNeedy: true });
    const notNeedy = await makeMember(t.ctx, { orgId: a.villages[0]!.branch.id });
    const poor = await makeHousehold(t.ctx, { villageId: a.villages[0]!.village.id, category: 'poor' });
    const ok = await app.inject({
      method: 'POST',
      url: '/api/pairings',
      payload: {
        kind: 'member_assist',
        yearFrom: Y,
        helper: { memberId: helper.id },
        helped: { memberId: needy.id },
      },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const house = await app.inject({
      method: 'POST',
      url: '/api/pairings',
      payload: {
        kind: 'member_assist',
        yearFrom: Y,
        helper: { memberId: helper.id },
        helped: { householdId: poor.id },
      },
    });
    expect(house.statusCode, house.body).toBe(201);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/pairings',
      payload: {
        kind: 'member_assist',
        yearFrom: Y,
        helper: { memberId: helper.id },
        helped: { memberId: notNeedy.id },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('helped.memberId');

    // A household's helper records help, not meetings of organisations; a correction is held to it too.
    const houseId = house.json().id as number;
    const meeting = await visit(app, {
      pairingIds: [houseId],
      visitedOn: `${Y}-03-10`,
      kind: 'joint_meeting',
      content: '召开季度联席会，研究帮扶措施',
    });
    expect(meeting.statusCode).toBe(400);
    expect(meeting.json().error).toMatchObject({ field: 'kind' });
    expect(meeting.json().error.message).toContain('“季度联席会”不适用于党员联帮结对');
    const help = await visit(app, {
      pairingIds: [houseId],
      visitedOn: `${Y}-03-10`,
      kind: 'daily_help',
      content: '上门帮助整理房屋，了解生产生活困难',
    });
    expect(help.statusCode, help.body).toBe(201);
    // Its side may correct it for 30 days from its logging (in the county's days).
    const plus30 = new Date(Date.now() + 8 * 3_600_000 + 30 * 86_400_000).toISOString().slice(0, 10);
    expect(help.json().correctableUntil).toBe(plus30);
    const moved = await app.inject({
      method: 'PATCH',
      url: `/api/visits/${help.json().id}`,
      payload: { kind: 'cross_learning' },
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.field).toBe('kind');
  });

  it('a contact point’s helper must be a leader', async () => {
    const plain = await makeMember(t.ctx, { orgId: agency.id });
    const res = await app.inject({
      method: 'POST',
      url: '/api/pairings',
      payload: {
        kind: 'leader_contact',
        yearFrom: Y,
        helper: { memberId: plain.id },
        helped: { orgId: a.villages[1]!.branch.id },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('helper.memberId');
  });

  const contactRule = (county: number) => ({
    visitsPerYear: { byRank: { county, section: 12 } },
    countsVisitKinds: ['on_site_work'],
    basis: 'on_site',
  });

  it('the county can change a kind’s quota, and compliance follows', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/quota-rules/leader_contact',
      payload: contactRule(8),
    });
    expect(res.statusCode, res.body).toBe(200);
    const p = (await app.inject({ method: 'GET', url: `/api/pairings/${contactId}?year=${Y}` })).json();
    expect(p.compliance.requiredFullYear).toBe(8);
    await app.inject({ method: 'PUT', url: '/api/quota-rules/leader_contact', payload: contactRule(6) });
  });

  it('a PUT of a quota rule replaces it whole: an empty or partial body is a 400 naming the missing field, and the rule stays', async () => {
    const put = (payload: object) =>
      app.inject({ method: 'PUT', url: '/api/quota-rules/leader_contact', payload });
    expect((await put(contactRule(7))).statusCode).toBe(200);
    const stored = () =>
      database.db
        .selectFrom('quota_rules')
        .select('rule')
        .where('county_id', '=', t.ctx.countyId)
        .where('kind', '=', 'leader_contact')
        .execute();
    const before = await stored();
    const { visitsPerYear, countsVisitKinds } = contactRule(7);
    for (const [payload, field] of [
      [{}, 'visitsPerYear'],
      [{ visitsPerYear, countsVisitKinds }, 'basis'],
      [{ visitsPerYear, basis: 'any' }, 'countsVisitKinds'],
    ] as const) {
      const res = await put(payload);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    expect(await stored()).toEqual(before);
    const p = (await app.inject({ method: 'GET', url: `/api/pairings/${contactId}?year=${Y}` })).json();
    expect(p.compliance.requiredFullYear).toBe(7);
    await put(contactRule(6));
  });

  it('the summary speaks in the seed report’s words', async () => {
    const s = (await app.inject({ method: 'GET', url: `/api/reports/summary?year=${Y}` })).json();
    expect(s.headline).toBe(
      '1名党员领导干部参与“领导联点”，联系农村党支部1个，企业党支部0个；4个党支部参与“支部联建”；1名党员参与“党员联帮”，帮扶农村和企业困难党员1名，农村和社区困难户1户',
    );
    expect(s.compliance.total).toBe(5);
    expect(s.byKind.map((k: { kind: string }) => k.kind).sort()).toEqual([
      'branch_cobuild',
      'leader_contact',
      'member_assist',
    ]);
  });
});
