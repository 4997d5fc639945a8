import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { updateStatus } from './repository.ts';
import { settleNotices } from './settle.ts';
import {
  act,
  createPlan,
  NEEDY_HEAD,
  type PlansWorld,
  planInNotice,
  plansWorld,
  SECRET_ID,
  SECRET_PHONE,
  YEAR,
} from './test-fixtures.ts';

describe.each(dbTargets())('plans (审查制和公示制) on the $name database', (target) => {
  let database: TestDatabase;
  let w: PlansWorld;

  beforeAll(async () => {
    database = await target.open();
    w = await plansWorld(database, '369941');
  });
  afterAll(async () => {
    await w?.app.close();
    await database?.dispose();
  });

  const events = (planId: number) =>
    database.db
      .selectFrom('plan_events')
      .selectAll()
      .where('county_id', '=', w.t.county.id)
      .where('plan_id', '=', planId)
      .orderBy('id')
      .execute();
  const audits = (planId: number) =>
    database.db
      .selectFrom('audit_log')
      .select(['action', 'username', 'details'])
      .where('county_id', '=', w.t.county.id)
      .where('target_type', '=', 'plan')
      .where('target_id', '=', String(planId))
      .orderBy('id')
      .execute();

  it('goes draft → submitted → reviewed → in notice → in force, each step by the one who may take it, every step kept', async () => {
    const { secretary, staffA, staffB, agencyStaff, admin } = w.clients;
    const created = await createPlan(secretary, w.pairings.branch, {
      content: `帮扶${NEEDY_HEAD}户发展产业；联系人身份证${SECRET_ID}，电话${SECRET_PHONE}。`,
    });
    expect(created.statusCode).toBe(201);
    let plan = created.json();
    expect(plan).toMatchObject({
      status: 'draft',
      statusLabel: '草稿',
      version: 1,
      pairingKind: 'branch_cobuild',
      planName: '支部共建方案',
      canEdit: true,
      diff: null,
    });
    expect(plan.tasks).toEqual([{ seq: 1, what: '每季度召开联席会', target: '4次', dueOn: `${YEAR}-12-31` }]);
    expect(plan.availableActions.map((a: { action: string }) => a.action)).toEqual(['submit']);

    // One plan per pairing and year.
    expect((await createPlan(secretary, w.pairings.branch)).statusCode).toBe(409);

    // Edit while a draft, with the version read.
    const edited = await secretary.inject({
      method: 'PATCH',
      url: `/api/plans/${plan.id}`,
      payload: { version: 1, title: `${YEAR}年度财政局—东山村支部共建方案` },
    });
    expect(edited.statusCode).toBe(200);
    plan = edited.json();
    expect(plan.version).toBe(2);

    // The branch secretary submits; a branch secretary does not review (no grant).
    plan = (await act(secretary, plan.id, 'submit', plan.version)).json();
    expect(plan.status).toBe('submitted');
    const secReview = await act(secretary, plan.id, 'review', plan.version);
    expect(secReview.statusCode).toBe(403);

    // Staff of another township do not see it at all; the helper side's committee is not the one above.
    expect((await staffB.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).statusCode).toBe(404);
    expect((await act(staffB, plan.id, 'review', plan.version)).statusCode).toBe(404);
    const helperSide = await act(agencyStaff, plan.id, 'review', plan.version);
    expect(helperSide.statusCode).toBe(403);

    // The committee above the helped village reviews; it may not approve; the county approves.
    const asStaff = (await staffA.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).json();
    expect(asStaff.availableActions.map((a: { action: string }) => a.action).sort()).toEqual([
      'return',
      'review',
    ]);
    plan = (await act(staffA, plan.id, 'review', plan.version)).json();
    expect(plan.status).toBe('reviewed');
    expect((await act(staffA, plan.id, 'approve', plan.version)).statusCode).toBe(403);
    expect((await act(staffA, plan.id, 'return', plan.version, '再改改')).statusCode).toBe(403);

    const approved = await act(admin, plan.id, 'approve', plan.version);
    expect(approved.statusCode).toBe(200);
    plan = approved.json();
    expect(plan.status).toBe('in_notice');
    expect(plan.noticeStartsOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(plan.noticeEndsOn >= plan.noticeStartsOn).toBe(true);
    expect(plan.noticeId).toEqual(expect.any(Number));

    // The notice holds a masked snapshot.
    const notice = await database.db
      .selectFrom('notices')
      .selectAll()
      .where('county_id', '=', w.t.county.id)
      .where('plan_id', '=', plan.id)
      .executeTakeFirstOrThrow();
    const body = notice.body as Record<string, unknown>;
    expect(notice.org_id).toBe(w.a.villages[0]!.branch.id);
    expect(body).toMatchObject({
      kindLabel: '支部联建',
      planName: '支部共建方案',
      helper: '县财政局机关党支部',
      place: '甲镇东山村党支部',
      startsOn: plan.noticeStartsOn,
      endsOn: plan.noticeEndsOn,
    });
    const json = JSON.stringify(body);
    expect(json).not.toContain(NEEDY_HEAD);
    expect(json).not.toContain(SECRET_ID);
    expect(json).not.toContain(SECRET_PHONE);
    expect(body.content).toContain('帮扶王某户');
    expect(body.content).toContain('110105********002X');
    expect(body.content).toContain('139****5678');

    // No more edits once submitted.
    const late = await secretary.inject({
      method: 'PATCH',
      url: `/api/plans/${plan.id}`,
      payload: { version: plan.version, title: '改不了' },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('wrong_state');

    // Taking effect once the notice is over: the system, idempotent.
    const settled = await settleNotices(database.db, w.t.county.id, '2999-01-01');
    expect(settled).toContain(plan.id);
    expect(await settleNotices(database.db, w.t.county.id, '2999-01-01')).toEqual([]);
    const final = (await admin.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).json();
    expect(final.status).toBe('in_force');
    expect(final.availableActions).toEqual([]);

    const steps = await events(plan.id);
    expect(steps.map((e) => [e.action, e.from_status, e.to_status])).toEqual([
      ['create', null, 'draft'],
      ['edit', 'draft', 'draft'],
      ['submit', 'draft', 'submitted'],
      ['review', 'submitted', 'reviewed'],
      ['approve', 'reviewed', 'in_notice'],
      ['take_effect', 'in_notice', 'in_force'],
    ]);
    expect(steps.every((e) => e.user_name && e.snapshot)).toBe(true);
    expect(steps.at(-1)!.user_id).toBeNull();
    expect((steps[3]!.snapshot as { title: string }).title).toBe(`${YEAR}年度财政局—东山村支部共建方案`);
    expect((await audits(plan.id)).map((a) => a.action)).toEqual([
      'plan.create',
      'plan.update',
      'plan.submit',
      'plan.review',
      'plan.approve',
      'plan.take_effect',
    ]);
  });

  it('sends back with a reason (required), and shows what changed since', async () => {
    const { leader, staffA, admin } = w.clients;
    // A leader (a member) drafts and submits their own contact-point plan.
    const created = await createPlan(leader, w.pairings.leader, { title: '联点工作方案（初稿）' });
    expect(created.statusCode).toBe(201);
    let plan = created.json();
    plan = (await act(leader, plan.id, 'submit', plan.version)).json();
    expect(plan.status).toBe('submitted');
    // The leader does not review their own plan.
    expect((await act(leader, plan.id, 'review', plan.version)).statusCode).toBe(403);

    const noReason = await act(staffA, plan.id, 'return', plan.version, '   ');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const tooLong = await act(staffA, plan.id, 'return', plan.version, '长'.repeat(501));
    expect(tooLong.statusCode).toBe(400);

    const returned = await act(staffA, plan.id, 'return', plan.version, '任务不具体，请补充到点工作次数');
    expect(returned.statusCode).toBe(200);
    plan = returned.json();
    expect(plan).toMatchObject({
      status: 'draft',
      lastReturnReason: '任务不具体，请补充到点工作次数',
    });
    expect(plan.diff).toMatchObject({ reason: '任务不具体，请补充到点工作次数', changes: [] });
    // The reviewer who sent it back cannot submit it again unchanged: it is the drafting side's now.
    const asReviewer = (await staffA.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).json();
    expect(asReviewer.availableActions).toEqual([]);
    const undo = await act(staffA, plan.id, 'submit', plan.version);
    expect(undo.statusCode).toBe(403);
    expect(undo.json().error.message).toBe('退回的方案须由起草方修改后重新提交');
    expect((await act(admin, plan.id, 'submit', plan.version)).statusCode).toBe(403);

    const fixed = await leader.inject({
      method: 'PATCH',
      url: `/api/plans/${plan.id}`,
      payload: {
        version: plan.version,
        title: '联点工作方案',
        tasks: [
          { what: '每季度召开联席会', target: '4次', dueOn: `${YEAR}-12-31` },
          { what: '到点工作', target: '不少于6次' },
        ],
      },
    });
    expect(fixed.statusCode).toBe(200);
    plan = fixed.json();
    expect(plan.diff.changes.map((c: { field: string }) => c.field)).toEqual(['title', 'tasks']);
    expect(plan.diff.changes[0]).toMatchObject({ before: '联点工作方案（初稿）', after: '联点工作方案' });
    expect(plan.diff.changes[1].after).toHaveLength(2);

    // Resubmitted, the reviewer still sees the changes since the return.
    plan = (await act(leader, plan.id, 'submit', plan.version)).json();
    const seen = (await staffA.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).json();
    expect(seen.diff.changes.map((c: { field: string }) => c.field)).toEqual(['title', 'tasks']);
    plan = (await act(staffA, plan.id, 'review', plan.version)).json();
    // A reviewed plan goes back only by the county.
    const back = await act(admin, plan.id, 'return', plan.version, '请与县财政局工作安排衔接');
    expect(back.json()).toMatchObject({ status: 'draft' });

    const steps = await events(plan.id);
    const returns = steps.filter((e) => e.action === 'return');
    expect(returns.map((e) => [e.from_status, e.reason])).toEqual([
      ['submitted', '任务不具体，请补充到点工作次数'],
      ['reviewed', '请与县财政局工作安排衔接'],
    ]);
    expect((await audits(plan.id)).filter((a) => a.action === 'plan.return')).toHaveLength(2);
  });

  it('lets a member draft and submit only their own plan', async () => {
    const { member, helpedSecretary } = w.clients;
    // Not their pairing: out of sight (404), whether or not their branch is on it.
    expect((await createPlan(member, w.pairings.leader)).statusCode).toBe(404);
    expect((await createPlan(member, w.pairings.branch, { year: YEAR })).statusCode).toBe(404);
    // The helped side's secretary reads the branch plan but does not write it.
    const helped = await helpedSecretary.inject({ method: 'GET', url: '/api/plans' });
    expect(helped.json().items.map((p: { pairingId: number }) => p.pairingId)).toContain(w.pairings.branch);
    const branchPlanId = helped
      .json()
      .items.find((p: { pairingId: number }) => p.pairingId === w.pairings.branch).id as number;
    const write = await helpedSecretary.inject({
      method: 'PATCH',
      url: `/api/plans/${branchPlanId}`,
      payload: { version: 1, title: 'x' },
    });
    expect(write.statusCode).toBe(403);

    const own = await createPlan(member, w.pairings.assist);
    expect(own.statusCode).toBe(201);
    const submitted = await act(member, own.json().id, 'submit', own.json().version);
    expect(submitted.json().status).toBe('submitted');
    // Members read their own plans only.
    const list = (await member.inject({ method: 'GET', url: '/api/plans' })).json();
    expect(list.items.map((p: { pairingId: number }) => p.pairingId)).toEqual([w.pairings.assist]);
  });

  it('lets one of two reviewers acting at once win; the other gets 409 and nothing is written twice', async () => {
    const { staffA, staffA2, staffB, admin, secretary, auditor } = w.clients;
    const plan = (
      await admin.inject({ method: 'GET', url: `/api/plans?pairing=${w.pairings.assist}` })
    ).json().items[0];
    expect(plan.status).toBe('submitted');

    // The inbox: submitted plans I may review.
    const inbox = async (c: Pick<typeof staffA, 'inject'>) =>
      (await c.inject({ method: 'GET', url: '/api/plans?inbox=true' }))
        .json()
        .items.map((p: { id: number }) => p.id);
    expect(await inbox(staffA)).toContain(plan.id);
    expect(await inbox(admin)).toContain(plan.id);
    expect(await inbox(staffB)).not.toContain(plan.id);
    expect(await inbox(secretary)).toEqual([]);
    expect((await auditor.inject({ method: 'GET', url: '/api/plans?inbox=true' })).json().items).toEqual([]);

    const [r1, r2] = await Promise.all([
      act(staffA, plan.id, 'review', plan.version),
      act(staffA2, plan.id, 'review', plan.version),
    ]);
    expect([r1.statusCode, r2.statusCode].sort()).toEqual([200, 409]);
    const loser = r1.statusCode === 409 ? r1 : r2;
    expect(loser.json().error).toMatchObject({ code: 'conflict', message: '方案已被他人处理，请刷新' });
    const after = (await admin.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).json();
    expect(after).toMatchObject({ status: 'reviewed', version: plan.version + 1 });
    expect((await events(plan.id)).filter((e) => e.action === 'review')).toHaveLength(1);
    expect((await audits(plan.id)).filter((a) => a.action === 'plan.review')).toHaveLength(1);

    // Reviewed: now in the county's inbox to approve, no longer in the reviewers'.
    expect(await inbox(staffA)).not.toContain(plan.id);
    expect(await inbox(admin)).toContain(plan.id);

    // A stale version is refused the same way.
    expect((await act(admin, plan.id, 'approve', plan.version)).statusCode).toBe(409);
  });

  // Two writers at once need two connections: a server has them, the embedded database has one, so
  // this check exists only for the server (it is not skipped there, nor counted elsewhere).
  const onServer = target.name === 'server' ? it : (((..._: unknown[]) => {}) as unknown as typeof it);
  onServer('the version guard holds when two writers both read before either writes (server)', async () => {
    const plan = (
      await w.clients.admin.inject({ method: 'GET', url: `/api/plans?pairing=${w.pairings.leader}` })
    ).json().items[0] as { id: number };
    const county = w.t.county.id;
    const read = async (trx: typeof database.db) =>
      (
        await trx
          .selectFrom('plans')
          .select('version')
          .where('county_id', '=', county)
          .where('id', '=', plan.id)
          .executeTakeFirstOrThrow()
      ).version;
    let secondHasRead!: () => void;
    const secondRead = new Promise<void>((r) => (secondHasRead = r));
    let firstHasWritten!: () => void;
    const firstWrote = new Promise<void>((r) => (firstHasWritten = r));
    const first = database.db.transaction().execute(async (trx) => {
      const v = await read(trx);
      await secondRead;
      const n = await updateStatus(trx, county, plan.id, v, { status: 'draft', version: v + 1 });
      firstHasWritten();
      return n;
    });
    const second = database.db.transaction().execute(async (trx) => {
      const v = await read(trx);
      secondHasRead();
      await firstWrote;
      // Blocks on the row until the first commits, then finds the version gone.
      return updateStatus(trx, county, plan.id, v, { status: 'draft', version: v + 1 });
    });
    expect(await Promise.all([first, second])).toEqual([1, 0]);
  });

  it('approving opens a masked notice; listing plans lets finished notices take effect', async () => {
    const { admin } = w.clients;
    const plan = (
      await admin.inject({ method: 'GET', url: `/api/plans?pairing=${w.pairings.assist}` })
    ).json().items[0];
    const approved = await act(admin, plan.id, 'approve', plan.version);
    expect(approved.statusCode).toBe(200);
    const notice = await database.db
      .selectFrom('notices')
      .selectAll()
      .where('county_id', '=', w.t.county.id)
      .where('plan_id', '=', plan.id)
      .executeTakeFirstOrThrow();
    expect(notice.body).toMatchObject({ kindLabel: '党员联帮', helper: '赵志强', helped: '王某' });
    expect(notice.title).not.toContain(NEEDY_HEAD);

    // The notice ended long ago: the next listing settles it, once.
    await database.db
      .updateTable('plans')
      .set({ notice_starts_on: '2020-01-01', notice_ends_on: '2020-01-07' })
      .where('county_id', '=', w.t.county.id)
      .where('id', '=', plan.id)
      .execute();
    const list = (await admin.inject({ method: 'GET', url: '/api/plans?status=in_force' })).json();
    const settled = list.items.find((p: { id: number }) => p.id === plan.id);
    expect(settled).toMatchObject({ status: 'in_force', inForceOn: '2020-01-08' });
    await admin.inject({ method: 'GET', url: '/api/plans' });
    const taken = (await events(plan.id)).filter((e) => e.action === 'take_effect');
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({ user_id: null, user_name: '系统', reason: '公示期满' });
  });

  it('validates input strictly and checks the pairing year', async () => {
    const { admin } = w.clients;
    const unknown = await admin.inject({
      method: 'POST',
      url: '/api/plans',
      payload: { pairingId: w.pairings.leader, year: YEAR + 1, content: 'x', countyId: 1 },
    });
    expect(unknown.statusCode).toBe(400);
    const wrongYear = await createPlan(admin, w.pairings.leader, { year: YEAR + 1 });
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().error.field).toBe('year');
    const badAction = await admin.inject({
      method: 'POST',
      url: '/api/plans/1/transitions',
      payload: { action: 'take_effect', version: 1 },
    });
    expect(badAction.statusCode).toBe(400);
    expect((await admin.inject({ method: 'GET', url: '/api/plans/999999' })).statusCode).toBe(404);
    const noSession = await w.app.raw.inject({ method: 'GET', url: '/api/plans' });
    expect(noSession.statusCode).toBe(401);
  });

  it('refuses a notice shorter than 5 working days and task deadlines outside the plan year, naming the field', async () => {
    const { admin } = w.clients;
    const fresh = await database.db
      .insertInto('pairings')
      .values({
        county_id: w.t.county.id,
        kind: 'branch_cobuild',
        year_from: YEAR,
        year_to: YEAR,
        started_on: `${YEAR}-01-01`,
        helper_org_id: w.agencyBranch.id,
        helped_org_id: w.a.villages[1]!.branch.id,
        title: '财政局—甲镇二村',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const before = await database.db
      .selectFrom('plans')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('county_id', '=', w.t.county.id)
      .executeTakeFirstOrThrow();
    const short = await createPlan(admin, fresh.id, { noticeDays: 0 });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({
      field: 'noticeDays',
      message: '公示期须为5至30个工作日（现为0）',
    });
    expect((await createPlan(admin, fresh.id, { noticeDays: 3 })).statusCode).toBe(400);
    const early = await createPlan(admin, fresh.id, {
      tasks: [
        { what: '走访', dueOn: `${YEAR}-06-30` },
        { what: '慰问', dueOn: `${YEAR - 1}-12-31` },
      ],
    });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.field).toBe('tasks.1.dueOn');
    expect(early.json().error.message).toContain(`第2项任务的完成时限${YEAR - 1}-12-31不在方案年度内`);
    const after = await database.db
      .selectFrom('plans')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('county_id', '=', w.t.county.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));

    // An edit is held to the same rules.
    const ok = await createPlan(admin, fresh.id, { noticeDays: 5 });
    expect(ok.statusCode).toBe(201);
    const plan = ok.json();
    const patch = await admin.inject({
      method: 'PATCH',
      url: `/api/plans/${plan.id}`,
      payload: { version: plan.version, tasks: [{ what: '走访', dueOn: `${YEAR + 1}-01-01` }] },
    });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.field).toBe('tasks.0.dueOn');
    const stillOne = (await admin.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).json();
    expect(stillOne).toMatchObject({ version: plan.version, noticeDays: 5 });
  });

  it('a plan still under notice does not take effect early', async () => {
    const { admin } = w.clients;
    const other = await database.db
      .insertInto('pairings')
      .values({
        county_id: w.t.county.id,
        kind: 'branch_cobuild',
        year_from: YEAR,
        year_to: YEAR,
        started_on: `${YEAR}-01-01`,
        helper_org_id: w.agencyBranch.id,
        helped_org_id: w.b.villages[0]!.branch.id,
        title: '财政局—乙镇东山村',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const plan = await planInNotice(admin, other.id);
    expect(plan.status).toBe('in_notice');
    const detail = (await admin.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).json();
    expect(await settleNotices(database.db, w.t.county.id, detail.noticeEndsOn)).toEqual([]);
    expect((await admin.inject({ method: 'GET', url: `/api/plans/${plan.id}` })).json().status).toBe(
      'in_notice',
    );
  });
});
