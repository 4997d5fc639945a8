import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countyAudits,
  countyRowCount,
  makeCounty,
  makeHousehold,
  makeMember,
  makeOrg,
  makeTownship,
  type TestClient,
} from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { appRoleName, enterScope } from '../../db/rls.ts';
import { countyToday } from '../plans/clock.ts';
import { createPlan, planInNotice } from '../plans/test-fixtures.ts';
import { cardsTestApp } from './test-app.ts';

const Y = Number(countyToday().slice(0, 4));
/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

interface Client {
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

function multipart(filename: string, type: string, content: Buffer) {
  const boundary = `----gongjian${randomBytes(8).toString('hex')}`;
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

describe.each(dbTargets())('the card and the register (卡册) on the $name database', (target) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof cardsTestApp>>;
  let t: Awaited<ReturnType<typeof makeCounty>>;
  let a: Awaited<ReturnType<typeof makeTownship>>;
  let b: Awaited<ReturnType<typeof makeTownship>>;
  const ids = { house: 0, member: 0, member2: 0, leader: 0, plan: 0, otherPlan: 0, visit: 0, photo: 0 };
  const tasks: number[] = [];
  let otherTask = 0;
  let c: Record<
    'admin' | 'staffA' | 'staffB' | 'secretary' | 'helper' | 'needy' | 'leader',
    Client | TestClient
  >;

  beforeAll(async () => {
    database = await target.open();
    t = await makeCounty(database.db, { code: '369950', name: '卡册县' });
    a = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '甲镇');
    b = await makeTownship(t.ctx, t.rootOrg.id, t.countyPlaceId, '乙镇');
    const agency = await makeOrg(t.ctx, {
      parentId: t.rootOrg.id,
      name: '县财政局机关党支部',
      sector: 'agency',
    });
    const v1 = a.villages[0]!.branch;
    const v2 = a.villages[1]!.branch;
    const leader = await makeMember(t.ctx, {
      orgId: agency.id,
      name: '李建国',
      leaderRank: 'county',
      leaderUnit: '县财政局',
    });
    const helper = await makeMember(t.ctx, { orgId: v1.id, name: '赵志强' });
    const needy = await makeMember(t.ctx, { orgId: v1.id, name: '孙秀英', isNeedy: true });
    const needy2 = await makeMember(t.ctx, { orgId: v1.id, name: '钱老根', isNeedy: true });
    const household = await makeHousehold(t.ctx, {
      villageId: a.villages[0]!.village.id,
      headName: '王大明',
      category: 'poor',
    });
    const pairing = async (values: Record<string, unknown>) =>
      (
        await database.db
          .insertInto('pairings')
          .values({
            county_id: t.county.id,
            year_from: Y,
            year_to: Y,
            started_on: `${Y}-01-01`,
            ...values,
          } as never)
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const assist = {
      kind: 'member_assist',
      helper_member_id: helper.id,
      helper_org_id: v1.id,
      helped_org_id: v1.id,
    };
    ids.house = await pairing({
      ...assist,
      year_to: Y + 1,
      helped_household_id: household.id,
      title: '赵志强帮扶王大明户',
    });
    ids.member = await pairing({ ...assist, helped_member_id: needy.id, title: '赵志强帮扶孙秀英' });
    ids.member2 = await pairing({ ...assist, helped_member_id: needy2.id, title: '赵志强帮扶钱老根' });
    ids.leader = await pairing({
      kind: 'leader_contact',
      helper_member_id: leader.id,
      helper_org_id: agency.id,
      helped_org_id: v2.id,
      title: '李建国联系西坪村党支部',
    });

    app = await cardsTestApp(database);
    c = {
      admin: { inject: app.inject },
      staffA: await app.as('committee_staff', a.committee.id),
      staffB: await app.as('committee_staff', b.committee.id),
      secretary: await app.as('branch_secretary', v1.id),
      helper: await app.as('member', v1.id, helper.id),
      needy: await app.as('member', v1.id, needy.id),
      leader: await app.as('member', agency.id, leader.id),
    };
    // The household's plan, approved by the county and under notice; a task carries markup.
    ids.plan = (
      await planInNotice(c.admin, ids.house, {
        tasks: [
          { what: '<b>修缮村部</b>', target: '1处', dueOn: `${Y}-06-30` },
          { what: '帮助发展生猪养殖', target: '10头' },
        ],
      })
    ).id;
    ids.otherPlan = (await planInNotice(c.admin, ids.member)).id;
    const reg = (
      await c.admin.inject({ method: 'GET', url: `/api/pairings/${ids.house}/register?year=${Y}` })
    ).json();
    tasks.push(...reg.tasks.map((x: { id: number }) => x.id));
    otherTask = (
      await c.admin.inject({ method: 'GET', url: `/api/pairings/${ids.member}/register?year=${Y}` })
    ).json().tasks[0].id;
    const visit = await c.helper.inject({
      method: 'POST',
      url: '/api/visits',
      payload: {
        pairingIds: [ids.house],
        visitedOn: `${Y}-01-01`,
        kind: 'meet_family',
        content: '入户认亲，了解家庭情况',
      },
    });
    expect(visit.statusCode, visit.body).toBe(201);
    ids.visit = visit.json().id;
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const count = (table: string) => countyRowCount(database.db, t.county.id, table);
  const audits = (action: string) => countyAudits(database.db, t.county.id, action);
  const check = (client: Client, planId: number, items: object[]) =>
    client.inject({ method: 'POST', url: `/api/plans/${planId}/checks`, payload: { items } });
  const sign = (client: Client, pairingId: number, payload: object) =>
    client.inject({ method: 'POST', url: `/api/pairings/${pairingId}/signoffs`, payload });
  const note = (client: Client, pairingId: number, payload: object) =>
    client.inject({ method: 'POST', url: `/api/pairings/${pairingId}/notes`, payload });
  const upload = (client: Client, visitId: number, filename: string, type: string, content: Buffer) =>
    client.inject({
      method: 'POST',
      url: `/api/visits/${visitId}/photos`,
      ...multipart(filename, type, content),
    });

  // Mid-year check -------------------------------------------------------------------------------

  it('the mid-year check writes one row per task, in one audited act; the register shows the latest', async () => {
    const res = await check(c.staffA, ids.plan, [
      { taskId: tasks[0], status: 'in_progress', comment: '材料已进场' },
      { taskId: tasks[1], status: 'behind' },
    ]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ planId: ids.plan, year: Y, checked: 2 });
    expect(await count('task_checks')).toBe(2);
    const again = await check(c.admin, ids.plan, [{ taskId: tasks[0], status: 'done', comment: '已完工' }]);
    expect(again.statusCode, again.body).toBe(201);
    expect(await count('task_checks')).toBe(3);
    const logged = await audits('plan.check');
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ target_type: 'plan', target_id: String(ids.plan) });
    expect((logged[0]!.details as { items: unknown[] }).items).toEqual([
      { taskId: tasks[0], status: 'in_progress' },
      { taskId: tasks[1], status: 'behind' },
    ]);

    const reg = (
      await c.helper.inject({ method: 'GET', url: `/api/pairings/${ids.house}/register?year=${Y}` })
    ).json();
    expect(reg.tasks.map((x: { latestCheck: { status: string } }) => x.latestCheck.status)).toEqual([
      'done',
      'behind',
    ]);
    expect(reg.tasks[0].latestCheck).toMatchObject({ statusLabel: '已完成', comment: '已完工' });
    expect(reg.tasks[1].latestCheck).toMatchObject({ statusLabel: '滞后', comment: null });
  });

  it('a task not of the plan is a 400 naming items.N.taskId, and nothing of the request is written', async () => {
    const before = await count('task_checks');
    const res = await check(c.staffA, ids.plan, [
      { taskId: tasks[0], status: 'done' },
      { taskId: otherTask, status: 'done' },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('items.1.taskId');
    const twice = await check(c.staffA, ids.plan, [
      { taskId: tasks[0], status: 'done' },
      { taskId: tasks[0], status: 'behind' },
    ]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.field).toBe('items.1.taskId');
    const badStatus = await check(c.staffA, ids.plan, [{ taskId: tasks[0], status: 'finished' }]);
    expect(badStatus.statusCode).toBe(400);
    expect(await count('task_checks')).toBe(before);
  });

  it('only inspectors check (a member or a secretary 403), another township does not see the plan (404), a draft is not checked (409)', async () => {
    expect((await check(c.helper, ids.plan, [{ taskId: tasks[0], status: 'done' }])).statusCode).toBe(403);
    expect((await check(c.secretary, ids.plan, [{ taskId: tasks[0], status: 'done' }])).statusCode).toBe(403);
    expect((await check(c.staffB, ids.plan, [{ taskId: tasks[0], status: 'done' }])).statusCode).toBe(404);
    const draft = await createPlan(c.admin, ids.member2, { tasks: [{ what: '帮助申请低保' }] });
    expect(draft.statusCode, draft.body).toBe(201);
    const draftTask = (
      await c.admin.inject({ method: 'GET', url: `/api/pairings/${ids.member2}/register?year=${Y}` })
    ).json().tasks[0].id;
    const res = await check(c.staffA, draft.json().id, [{ taskId: draftTask, status: 'not_started' }]);
    expect(res.statusCode).toBe(409);
  });

  // Progress notes ---------------------------------------------------------------------------------

  it('the helping member writes progress notes in the register; the helped side does not', async () => {
    const res = await note(c.helper, ids.house, { taskId: tasks[0], text: '已联系施工队，<i>下周</i>开工' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      year: Y,
      taskId: tasks[0],
      taskSeq: 1,
      writtenBy: expect.any(Number),
    });
    const general = await note(c.helper, ids.house, { text: '春节前走访慰问' });
    expect(general.statusCode, general.body).toBe(201);
    expect(general.json()).toMatchObject({ taskId: null, year: Y });
    expect((await note(c.needy, ids.member, { text: '我来写一条' })).statusCode).toBe(403);
    const foreign = await note(c.helper, ids.house, { taskId: otherTask, text: '错挂的任务' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.field).toBe('taskId');
    expect((await note(c.staffB, ids.house, { text: '外镇' })).statusCode).toBe(404);
    expect(await audits('register.note')).toHaveLength(2);
    const reg = (
      await c.secretary.inject({ method: 'GET', url: `/api/pairings/${ids.house}/register?year=${Y}` })
    ).json();
    expect(reg.notes.map((n: { text: string }) => n.text)).toEqual([
      '已联系施工队，<i>下周</i>开工',
      '春节前走访慰问',
    ]);
  });

  // Photos -----------------------------------------------------------------------------------------

  it('a PNG is accepted, re-encoded and kept in the database, and served back as a JPEG', async () => {
    const res = await upload(c.helper, ids.visit, 'photo.exe', 'application/octet-stream', PNG);
    expect(res.statusCode, res.body).toBe(201);
    ids.photo = res.json().id;
    const got = await c.helper.inject({ method: 'GET', url: `/api/photos/${ids.photo}` });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['content-disposition']).toBe(`inline; filename="photo-${ids.photo}.jpg"`);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.rawPayload.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
    expect(res.json()).toMatchObject({ visitId: ids.visit, mime: 'image/jpeg', size: got.rawPayload.length });
    expect(await count('stored_files')).toBe(1);
    expect(await readdir(join(app.dataDir, 'photos')).catch(() => [])).toEqual([]);
    expect((await c.staffA.inject({ method: 'GET', url: `/api/photos/${ids.photo}` })).statusCode).toBe(200);
    const logged = await audits('visit.photo.add');
    expect(logged).toMatchObject([{ target_type: 'visit', target_id: String(ids.visit) }]);
    const reg = (
      await c.helper.inject({ method: 'GET', url: `/api/pairings/${ids.house}/register?year=${Y}` })
    ).json();
    expect(reg.visits[0].photos).toEqual([
      {
        id: ids.photo,
        visitId: ids.visit,
        mime: 'image/jpeg',
        size: res.json().size,
        url: `/api/photos/${ids.photo}`,
      },
    ]);
  });

  it('another township’s staff, and a member whose pairing it is not, get 404 for the photo', async () => {
    expect((await c.staffB.inject({ method: 'GET', url: `/api/photos/${ids.photo}` })).statusCode).toBe(404);
    expect((await c.needy.inject({ method: 'GET', url: `/api/photos/${ids.photo}` })).statusCode).toBe(404);
    expect((await c.leader.inject({ method: 'GET', url: `/api/photos/${ids.photo}` })).statusCode).toBe(404);
    expect((await app.raw.inject({ method: 'GET', url: `/api/photos/${ids.photo}` })).statusCode).toBe(401);
  });

  it('a text file named .jpg is refused by its content, and nothing is kept', async () => {
    const before = await count('visit_photos');
    const res = await upload(
      c.helper,
      ids.visit,
      'photo.jpg',
      'image/jpeg',
      Buffer.from('这不是照片 not a photo\n'),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'unsupported_file', field: 'file' });
    const html = await upload(
      c.helper,
      ids.visit,
      'a.png',
      'image/png',
      Buffer.from('<html><script>x</script>'),
    );
    expect(html.statusCode).toBe(400);
    expect(await count('visit_photos')).toBe(before);
    expect(await count('stored_files')).toBe(1);
  });

  it('a file over 10 MB is refused with 413, and nothing is kept', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 0);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const res = await upload(c.helper, ids.visit, 'big.jpg', 'image/jpeg', big);
    expect(res.statusCode).toBe(413);
    expect(await count('stored_files')).toBe(1);
  });

  it('only who may log the visit adds photos: the helped member 403, whoever does not see it 404', async () => {
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    const theirs = await c.helper.inject({
      method: 'POST',
      url: '/api/visits',
      payload: {
        pairingIds: [ids.member],
        visitedOn: `${Y}-01-01`,
        kind: 'daily_help',
        content: '帮助孙秀英申请救助',
      },
    });
    expect(theirs.statusCode, theirs.body).toBe(201);
    const refused = await upload(c.needy, theirs.json().id, 'x.jpg', 'image/jpeg', jpeg);
    expect(refused.statusCode).toBe(403);
    expect((await upload(c.staffB, ids.visit, 'x.jpg', 'image/jpeg', jpeg)).statusCode).toBe(404);
    expect((await upload(c.needy, ids.visit, 'x.jpg', 'image/jpeg', jpeg)).statusCode).toBe(404);
    expect((await upload(c.leader, ids.visit, 'x.jpg', 'image/jpeg', jpeg)).statusCode).toBe(404);
    const byStaff = await upload(c.staffA, ids.visit, 'x.jpg', 'image/jpeg', jpeg);
    expect(byStaff.statusCode, byStaff.body).toBe(201);
    expect(byStaff.json().mime).toBe('image/jpeg');
    expect(await count('stored_files')).toBe(2);
  });

  // Sign-offs --------------------------------------------------------------------------------------

  it('the register offers each user only the sign-offs the server will take', async () => {
    const offered = async (client: typeof c.helper) =>
      (await client.inject({ method: 'GET', url: `/api/pairings/${ids.member}/register?year=${Y}` })).json()
        .signableParties;
    // The helper (a member, like the demo's dangyuan) signs for nobody on a pairing they help.
    expect(await offered(c.helper)).toEqual([]);
    // The helped member with an account signs for themself only; their branch signs as the branch.
    expect(await offered(c.needy)).toEqual(['helped']);
    expect(await offered(c.secretary)).toEqual(['helped_branch']);
    // For a helped member without an account, the branch signs for both.
    const other = (
      await c.secretary.inject({ method: 'GET', url: `/api/pairings/${ids.member2}/register?year=${Y}` })
    ).json();
    expect(other.signableParties).toEqual(['helped', 'helped_branch']);
    // Nothing is offered for a year not yet reached.
    const ahead = (
      await c.secretary.inject({ method: 'GET', url: `/api/pairings/${ids.member2}/register?year=${Y + 1}` })
    ).json();
    expect(ahead.signableParties ?? []).toEqual([]);
  });

  it('the helped member signs themself; with an account of their own nobody signs for them', async () => {
    const forThem = await sign(c.secretary, ids.member, { year: Y, party: 'helped', opinion: 'satisfied' });
    expect(forThem.statusCode).toBe(403);
    expect(forThem.json().error.code).toBe('not_signer');
    expect(
      (await sign(c.helper, ids.member, { year: Y, party: 'helped', opinion: 'satisfied' })).statusCode,
    ).toBe(403);
    expect(
      (await sign(c.needy, ids.member, { year: Y, party: 'helped_branch', opinion: 'satisfied' })).statusCode,
    ).toBe(403);
    const res = await sign(c.needy, ids.member, {
      year: Y,
      party: 'helped',
      opinion: 'basically_satisfied',
      comment: '帮扶及时',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      party: 'helped',
      opinion: 'basically_satisfied',
      opinionLabel: '基本满意',
      onBehalf: false,
      closed: false,
    });
    const twice = await sign(c.needy, ids.member, { year: Y, party: 'helped', opinion: 'satisfied' });
    expect(twice.statusCode).toBe(409);
  });

  it('a helped member without an account is signed for by the branch, marked as on their behalf', async () => {
    const res = await sign(c.secretary, ids.member2, { year: Y, party: 'helped', opinion: 'satisfied' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ onBehalf: true, closed: false });
  });

  it('a sign-off outside the pairing’s years or for a year not yet reached is a 400', async () => {
    const before = await sign(c.secretary, ids.house, { year: Y - 1, party: 'helped', opinion: 'satisfied' });
    expect(before.statusCode).toBe(400);
    expect(before.json().error.field).toBe('year');
    const ahead = await sign(c.secretary, ids.house, { year: Y + 1, party: 'helped', opinion: 'satisfied' });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json().error.field).toBe('year');
    expect(
      (await sign(c.staffB, ids.house, { year: Y, party: 'helped', opinion: 'satisfied' })).statusCode,
    ).toBe(404);
  });

  it('for a household the branch records on its behalf; both parties signed close the year (409 after)', async () => {
    const helped = await sign(c.secretary, ids.house, {
      year: Y,
      party: 'helped',
      opinion: 'satisfied',
      comment: '户主口述：很满意',
    });
    expect(helped.statusCode, helped.body).toBe(201);
    expect(helped.json()).toMatchObject({ onBehalf: true, closed: false, partyLabel: '被帮扶对象' });
    const branch = await sign(c.staffA, ids.house, { year: Y, party: 'helped_branch', opinion: 'satisfied' });
    expect(branch.statusCode, branch.body).toBe(201);
    expect(branch.json()).toMatchObject({ onBehalf: false, closed: true });
    expect(await audits('signoff.create')).toHaveLength(4);

    const again = await sign(c.secretary, ids.house, { year: Y, party: 'helped', opinion: 'unsatisfied' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('year_closed');
    const checkAfter = await check(c.staffA, ids.plan, [{ taskId: tasks[1], status: 'done' }]);
    expect(checkAfter.statusCode).toBe(409);
    expect((await note(c.helper, ids.house, { text: '年后补记' })).statusCode).toBe(409);
    const reg = (
      await c.secretary.inject({ method: 'GET', url: `/api/pairings/${ids.house}/register?year=${Y}` })
    ).json();
    expect(reg.closed).toBe(true);
    expect(reg.signoffs).toHaveLength(2);
  });

  it('the county amends a closed sign-off with a reason, audited with before and after', async () => {
    const url = `/api/pairings/${ids.house}/signoffs/${Y}/helped`;
    const byStaff = await c.staffA.inject({
      method: 'PUT',
      url,
      payload: { opinion: 'basically_satisfied', reason: '核实' },
    });
    expect(byStaff.statusCode).toBe(403);
    const noReason = await c.admin.inject({
      method: 'PUT',
      url,
      payload: { opinion: 'basically_satisfied' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const blank = await c.admin.inject({
      method: 'PUT',
      url,
      payload: { opinion: 'basically_satisfied', reason: '  ' },
    });
    expect(blank.statusCode).toBe(400);
    const res = await c.admin.inject({
      method: 'PUT',
      url,
      payload: { opinion: 'basically_satisfied', reason: '电话回访户主，意见应为基本满意' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      opinion: 'basically_satisfied',
      comment: '户主口述：很满意',
      amendedReason: '电话回访户主，意见应为基本满意',
      onBehalf: true,
      closed: true,
    });
    const row = await database.db
      .selectFrom('signoffs')
      .select(['opinion', 'amended_reason'])
      .where('county_id', '=', t.county.id)
      .where('pairing_id', '=', ids.house)
      .where('party', '=', 'helped')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ opinion: 'basically_satisfied', amended_reason: '电话回访户主，意见应为基本满意' });
    const logged = await audits('signoff.amend');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.details).toMatchObject({
      year: Y,
      party: 'helped',
      reason: '电话回访户主，意见应为基本满意',
      before: { opinion: 'satisfied' },
      after: { opinion: 'basically_satisfied' },
    });
    const missing = await c.admin.inject({
      method: 'PUT',
      url: `/api/pairings/${ids.leader}/signoffs/${Y}/helped`,
      payload: { opinion: 'satisfied', reason: '无' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('row-level security keeps progress notes, checks, sign-offs and photos inside the subtree', async () => {
    const role = await appRoleName(database.db);
    const seen = (scope: string) =>
      database.db.transaction().execute(async (trx) => {
        await enterScope(trx, role, t.county.id, scope);
        const n = async (table: string) =>
          (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(trx)).rows[0]!
            .n;
        return {
          notes: await n('progress_notes'),
          checks: await n('task_checks'),
          signoffs: await n('signoffs'),
          photos: await n('visit_photos'),
        };
      });
    expect(await seen(a.committee.path)).toEqual({ notes: 2, checks: 3, signoffs: 4, photos: 2 });
    expect(await seen(b.committee.path)).toEqual({ notes: 0, checks: 0, signoffs: 0, photos: 0 });
  });

  // The card ---------------------------------------------------------------------------------------

  it('the card is one printable page of the tasks, visits and sign-offs, escaped and without script', async () => {
    const res = await c.secretary.inject({ method: 'GET', url: `/cards/${ids.house}?year=${Y}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.body;
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;b&gt;修缮村部&lt;/b&gt;');
    expect(html).not.toContain('<b>修缮村部');
    expect(html).toContain('帮助发展生猪养殖');
    expect(html).toContain('王大明户');
    expect(html).toContain('@media print');
    expect(html).toMatch(/@page\{size:A4/);
    expect(html).toContain('☑ 基本满意');
    expect(html).toContain('代为录入：测试branch_secretary');
    // The branch's sign-off shows who recorded it, although their account lies outside the reader's subtree.
    expect(html).toContain('签字（盖章）：测试committee_staff');
    expect(html).toContain('电话回访户主');
    expect(html).toContain('已完成');
    expect(html).toContain('本年度活动记录 1 次');

    const leaderCard = await c.leader.inject({ method: 'GET', url: `/cards/${ids.leader}?year=${Y}` });
    expect(leaderCard.statusCode).toBe(200);
    expect(leaderCard.body).toContain('年度要求不少于 <b>6</b> 次');
    expect(leaderCard.body).toContain('本年度方案尚未制定');
  });

  it('the card needs a session and the pairing in sight', async () => {
    const anon = await app.raw.inject({ method: 'GET', url: `/cards/${ids.house}?year=${Y}` });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['content-type']).toMatch(/^text\/html/);
    expect((await c.staffB.inject({ method: 'GET', url: `/cards/${ids.house}` })).statusCode).toBe(404);
    expect((await c.needy.inject({ method: 'GET', url: `/cards/${ids.house}` })).statusCode).toBe(404);
    expect(
      (await c.staffB.inject({ method: 'GET', url: `/api/pairings/${ids.house}/register` })).statusCode,
    ).toBe(404);
  });
});
