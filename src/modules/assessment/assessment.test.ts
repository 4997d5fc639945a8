import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, testApp } from '../../../test/factories.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import { DEMO_SCHEME } from '../../db/seeds/demo/assessment.ts';
import type { SchemeContent } from '../../domain/assessment.ts';
import { countyToday } from '../plans/clock.ts';
import { type BulletinCounty, bulletinCounty, Y } from '../reports/test-fixtures.ts';
import { assessmentLedger } from './ledger.ts';
import { submitResponse } from './service.ts';

const today = countyToday();
/** The demo's scheme, with every pairing of the fixture scored (the sparsest covers 30 of 100 weights). */
const SCHEME: SchemeContent = { ...DEMO_SCHEME, minCoverage: 30 };
const plus = (days: number) =>
  new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Result {
  id: number;
  name: string;
  score: number | null;
  bandLabel: string | null;
  coverage: number | null;
  breakdown: { code: string; score: number | null; skipped: string | null }[] | null;
}

describe.each(dbTargets())('the year-end assessment (年终考评) on the $name database', (target) => {
  let database: TestDatabase;
  let w: BulletinCounty;
  let app: Awaited<ReturnType<typeof testApp>>;
  let staffB: TestClient;
  let runId = 0;
  let token = '';

  beforeAll(async () => {
    database = await target.open();
    w = await bulletinCounty(database, '369962', '考评县');
    app = await testApp(database, '369962');
    staffB = await app.as('committee_staff', w.b.committee.id);
    // The masses of 甲镇东山村 answered a village survey in the first half: 3 satisfied, 1 basically, 1 not.
    const survey = await database.db
      .insertInto('satisfaction_surveys' as never)
      .values({
        county_id: w.county.id,
        token: 'fixture-survey-token-0000000000',
        year: Y,
        title: '东山村满意度测评',
        org_id: w.orgs.a0.id,
        opens_on: `${Y}-05-01`,
        closes_on: `${Y}-06-15`,
      } as never)
      .returning('id' as never)
      .executeTakeFirstOrThrow();
    const answers = ['satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'unsatisfied'];
    await database.db
      .insertInto('survey_responses' as never)
      .values(
        answers.map((answer, i) => ({
          county_id: w.county.id,
          survey_id: (survey as { id: number }).id,
          answer,
          created_at: `${Y}-05-${String(10 + i).padStart(2, '0')}T10:00:00+08:00`,
        })) as never,
      )
      .execute();
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const post = (url: string, payload: unknown, client: { inject: typeof app.inject } = app) =>
    client.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });

  describe('schemes', () => {
    it('refuses weights that do not sum to 100, naming the field', async () => {
      const content = {
        ...SCHEME,
        indicators: SCHEME.indicators.map((i) => (i.code === 'quota' ? { ...i, weight: 20 } : i)),
      };
      const res = await post('/api/assessment/schemes', { year: Y, title: '考评方案', content });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('content.indicators');
      expect(res.body).toContain('权重之和须为100');
    });

    it('refuses an unknown scoring method and parameters of another method', async () => {
      const unknown = { ...SCHEME, indicators: [{ ...SCHEME.indicators[0], method: 'ranking' }] };
      expect(
        (await post('/api/assessment/schemes', { year: Y, title: 'x', content: unknown })).statusCode,
      ).toBe(400);
      const stray = {
        ...SCHEME,
        indicators: SCHEME.indicators.map((i) =>
          i.code === 'quota' ? { ...i, params: { targets: { yuan: 1 } } } : i,
        ),
      };
      expect(
        (await post('/api/assessment/schemes', { year: Y, title: 'x', content: stray })).statusCode,
      ).toBe(400);
    });

    it('saves each change as the next version; one version is active', async () => {
      const v1 = await post('/api/assessment/schemes', { year: Y, title: '考评方案', content: SCHEME });
      expect(v1.statusCode, v1.body).toBe(201);
      expect(v1.json()).toMatchObject({ year: Y, version: 1, active: false });
      const v2 = await post('/api/assessment/schemes', {
        year: Y,
        title: '考评方案（修订）',
        content: SCHEME,
        note: '满意度权重不变',
        activate: true,
      });
      expect(v2.json()).toMatchObject({ version: 2, active: true });
      const back = await post(`/api/assessment/schemes/${v1.json().id}/activate`, {});
      expect(back.json()).toMatchObject({ version: 1, active: true });
      const list = (await app.inject({ method: 'GET', url: `/api/assessment/schemes?year=${Y}` })).json();
      expect(list.map((s: { version: number; active: boolean }) => [s.version, s.active])).toEqual([
        [2, false],
        [1, true],
      ]);
      expect((await post(`/api/assessment/schemes/${v2.json().id}/activate`, {})).statusCode).toBe(200);
    });

    it('only the county manages schemes', async () => {
      const res = await post('/api/assessment/schemes', { year: Y, title: 'x', content: SCHEME }, staffB);
      expect(res.statusCode).toBe(403);
    });
  });

  describe('the satisfaction survey (满意度测评)', () => {
    it('opens for a village with an unguessable public link', async () => {
      const res = await post('/api/assessment/surveys', { year: Y, orgId: w.orgs.b1.id, closesOn: plus(10) });
      expect(res.statusCode, res.body).toBe(201);
      const s = res.json();
      token = s.token;
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(s).toMatchObject({ open: true, url: `/public/surveys/${token}`, orgName: '乙镇西坪村党支部' });
      expect(s.title).toContain('乙镇西坪村党支部');
      const other = await post('/api/assessment/surveys', {
        year: Y,
        pairingId: w.pairings.p2,
        closesOn: plus(10),
      });
      expect(other.json().token).not.toBe(token);
      expect((await post('/api/assessment/surveys', { year: Y, closesOn: plus(10) })).statusCode).toBe(400);
    });

    it('shows the public its question without sign-in, and never a score or a rank', async () => {
      const res = await app.raw.inject({ method: 'GET', url: `/api/public/surveys/${token}` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(
        ['county', 'closesOn', 'open', 'opensOn', 'options', 'question', 'subject', 'title', 'year'].sort(),
      );
      expect(body.subject).toBe('乙镇西坪村党支部');
      expect(body.options.map((o: { label: string }) => o.label)).toEqual(['满意', '基本满意', '不满意']);
      expect(res.body).not.toMatch(/score|band|rank|得分|排名/);
      expect(
        (await app.raw.inject({ method: 'GET', url: '/api/public/surveys/not-a-real-token-0000000000' }))
          .statusCode,
      ).toBe(404);
      expect((await app.raw.inject({ method: 'GET', url: '/api/public/surveys/short' })).statusCode).toBe(
        400,
      );
    });

    it('takes answers on a phone page (a plain form), then by JSON, and limits each address', async () => {
      const page = await app.raw.inject({ method: 'GET', url: `/public/surveys/${token}` });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('<form method="post"');
      expect(page.body).toContain('name="answer" value="basically_satisfied"');
      expect(page.body).not.toContain('<script');
      const form = (body: string) =>
        app.raw.inject({
          method: 'POST',
          url: `/public/surveys/${token}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: body,
        });
      const missing = await form('comment=hello');
      expect(missing.statusCode).toBe(400);
      expect(missing.body).toContain('请选择');
      const sent = await form(`answer=satisfied&comment=${encodeURIComponent('<b>路修好了</b>')}`);
      expect(sent.statusCode).toBe(303);
      expect(sent.headers.location).toBe(`/public/surveys/${token}?sent=1`);
      for (const answer of ['satisfied', 'basically_satisfied', 'unsatisfied', 'satisfied']) {
        const r = await app.raw.inject({
          method: 'POST',
          url: `/api/public/surveys/${token}/responses`,
          payload: { answer },
        });
        expect(r.statusCode, r.body).toBe(201);
      }
      const sixth = await app.raw.inject({
        method: 'POST',
        url: `/api/public/surveys/${token}/responses`,
        payload: { answer: 'satisfied' },
      });
      expect(sixth.statusCode).toBe(429);
      expect(sixth.headers['retry-after']).toBeDefined();

      const list = (await app.inject({ method: 'GET', url: `/api/assessment/surveys?year=${Y}` })).json();
      const mine = list.find((s: { token: string }) => s.token === token);
      expect(mine.responses).toEqual({ satisfied: 3, basicallySatisfied: 1, unsatisfied: 1, total: 5 });
      const responses = (
        await app.inject({ method: 'GET', url: `/api/assessment/surveys/${mine.id}/responses` })
      ).json();
      expect(responses.items.map((r: { comment: string | null }) => r.comment)).toContain('<b>路修好了</b>');
    });

    it('refuses answers once closed; the page says it has ended', async () => {
      const s = (await app.inject({ method: 'GET', url: `/api/assessment/surveys?year=${Y}` }))
        .json()
        .find((x: { token: string }) => x.token === token);
      expect((await post(`/api/assessment/surveys/${s.id}/close`, {})).json().open).toBe(false);
      expect((await post(`/api/assessment/surveys/${s.id}/close`, {})).statusCode).toBe(409);
      await expect(
        submitResponse(database.db, token, { answer: 'satisfied' }, 'h1:test'),
      ).rejects.toMatchObject({ status: 409, code: 'survey_closed' });
      const page = await app.raw.inject({ method: 'GET', url: `/public/surveys/${token}` });
      expect(page.body).toContain('本次测评已结束');
      expect(page.body).not.toContain('<form');
    });
  });

  describe('scoring', () => {
    const results = async (level: string, client: { inject: typeof app.inject } = app) => {
      const res = await client.inject({
        method: 'GET',
        url: `/api/assessment/runs/${runId}/results?level=${level}&pageSize=100`,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as {
        total: number;
        items: Result[];
        run: { bands: Record<string, { label: string; count: number }[]> };
      };
    };

    it('scores the pairings that had started, with the active scheme, as of the date given', async () => {
      const res = await post('/api/assessment/runs', { year: Y, asOf: `${Y}-06-30` });
      expect(res.statusCode, res.body).toBe(201);
      const run = res.json();
      runId = run.id;
      // p6 starts on 1 July.
      expect(run).toMatchObject({ year: Y, asOf: `${Y}-06-30`, pairings: 5, scored: 5, schemeVersion: 2 });
      expect(run.bands.pairing.find((b: { label: string }) => b.label === '一般').count).toBe(2);
    });

    it('each pairing’s score is the weighted mean of its indicators, from its records', async () => {
      const { items } = await results('pairing');
      const by = (id: number) => items.find((r) => r.id === id)!;
      const p1 = by(w.pairings.p1);
      // quota 3 of 6 → 50; tasks done + in progress → 80; survey 74 and feedback half answered → 69.2;
      // outcomes past the targets → 100; no sign-off, no check: left out (75 of 100 weights).
      expect(Object.fromEntries(p1.breakdown!.map((b) => [b.code, b.score]))).toEqual({
        quota: 50,
        tasks: 80,
        signoff: null,
        satisfaction: 69.2,
        inspections: null,
        outcomes: 100,
      });
      expect(p1).toMatchObject({ score: 69.8, bandLabel: '一般', coverage: 75 });
      expect(by(w.pairings.p2)).toMatchObject({ score: 11.9, bandLabel: '较差' });
      // The check found problems (60), one rectification overdue (−10); 20 person-times of 50.
      expect(by(w.pairings.p3)).toMatchObject({ score: 33.9 });
      expect(by(w.pairings.p3).breakdown!.find((b) => b.code === 'inspections')!.score).toBe(50);
      // Sign-off 满意 + 基本满意 → 85; the village survey 74; 2,000 yuan → 10.
      expect(by(w.pairings.p4)).toMatchObject({ score: 63.4, bandLabel: '一般' });
      expect(by(w.pairings.p5)).toMatchObject({ score: 49.3 });
      expect(items.map((r) => r.score)).toEqual([69.8, 63.4, 49.3, 33.9, 11.9]);
    });

    it('aggregates per helper, branch and township as the mean of their pairings', async () => {
      const helper = (await results('helper')).items;
      expect(helper.find((h) => h.id === w.members.helper.id)).toMatchObject({ name: '赵志强', score: 56.4 });
      expect(helper.find((h) => h.id === w.members.leader.id)).toMatchObject({ name: '李建国', score: 69.8 });
      const townships = (await results('township')).items;
      expect(townships.find((t) => t.id === w.a.committee.id)).toMatchObject({
        score: 54.1,
        bandLabel: '较差',
      });
      const branches = (await results('branch')).items;
      expect(branches.find((b) => b.id === w.orgs.a0.id)).toMatchObject({ score: 60.8, bandLabel: '一般' });
      expect(branches.find((b) => b.id === w.agency.id)).toMatchObject({ score: 38.5 });
    });

    it('a township’s staff see the results of their subtree only', async () => {
      const pairings = await results('pairing', staffB);
      expect(pairings.items.map((r) => r.id)).toEqual([w.pairings.p2]);
      const townships = await results('township', staffB);
      expect(townships.items.map((t) => t.id)).toEqual([w.b.committee.id]);
    });

    it('refuses a year without an active scheme and a date in the future', async () => {
      const none = await post('/api/assessment/runs', { year: Y - 1 });
      expect(none.statusCode).toBe(409);
      expect(none.json().error.code).toBe('no_active_scheme');
      const future = await post('/api/assessment/runs', { year: Number(today.slice(0, 4)), asOf: plus(3) });
      expect(future.statusCode).toBe(400);
    });

    it('the results ledger lists the latest run, a row per pairing with its indicators', async () => {
      const ctx = { db: database.db, countyId: w.county.id };
      expect(await assessmentLedger.count(ctx, { year: Y })).toBe(5);
      const rows: Record<string, unknown>[] = [];
      for await (const r of assessmentLedger.rows(ctx, { year: Y })) rows.push(r);
      expect(rows).toHaveLength(5);
      const keys = assessmentLedger.columns.map((c) => c.key).sort();
      for (const r of rows) expect(Object.keys(r).sort()).toEqual(keys);
      const p1 = rows.find((r) => r.pairingId === w.pairings.p1)!;
      expect(p1).toMatchObject({ score: 69.8, band: '一般', township: '甲镇党委', helper: '李建国' });
      expect(p1.breakdown).toContain('到点工作完成率 50');
      expect(p1.breakdown).toContain('督查发现问题整改 未计（无记录）');
      const under = await assessmentLedger.count(ctx, { year: Y, orgId: w.b.committee.id });
      expect(under).toBe(1);
    });
  });

  it('reads as the access table says: staff, secretaries and auditors read; members do not; only the county acts', async () => {
    const auditor = await app.as('auditor');
    const secretary = await app.as('branch_secretary', w.orgs.a0.id);
    const member = await app.as('member', w.orgs.a0.id, w.members.helper.id);
    for (const c of [auditor, secretary, staffB]) {
      expect((await c.inject({ method: 'GET', url: `/api/assessment/runs?year=${Y}` })).statusCode).toBe(200);
    }
    expect((await member.inject({ method: 'GET', url: `/api/assessment/runs?year=${Y}` })).statusCode).toBe(
      403,
    );
    expect((await member.inject({ method: 'GET', url: `/api/assessment/schemes` })).statusCode).toBe(403);
    for (const c of [auditor, secretary]) {
      expect((await post('/api/assessment/runs', { year: Y, asOf: `${Y}-06-30` }, c)).statusCode).toBe(403);
      expect(
        (await post('/api/assessment/surveys', { year: Y, orgId: w.orgs.a0.id, closesOn: plus(5) }, c))
          .statusCode,
      ).toBe(403);
    }
    // A secretary sees the results of the pairings touching the branch.
    const mine = await secretary.inject({
      method: 'GET',
      url: `/api/assessment/runs/${runId}/results?pageSize=100`,
    });
    expect(
      mine
        .json()
        .items.map((r: Result) => r.id)
        .sort((x: number, y: number) => x - y),
    ).toEqual([w.pairings.p1, w.pairings.p4, w.pairings.p5].sort((x, y) => x - y));
  });

  describe('decisions (民主评议党员, 示范点, 五好, 星级)', () => {
    it('records a proposal with a reason and the score consulted; never applied', async () => {
      const res = await post('/api/assessment/decisions', {
        year: Y,
        kind: 'democratic_evaluation',
        memberId: w.members.leader.id,
        value: 'excellent',
        reason: '联点工作扎实，群众评价较好',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        kindLabel: '民主评议党员',
        valueLabel: '优秀',
        memberName: '李建国',
        runId,
        score: 69.8,
        band: '一般',
        applied: false,
      });
      const audit = await database.db
        .selectFrom('audit_log')
        .select(['details'])
        .where('county_id', '=', w.county.id)
        .where('action', '=', 'assessment.decide')
        .execute();
      expect(audit).toHaveLength(1);
    });

    it('checks the subject and the value fit the kind', async () => {
      const d = (body: Record<string, unknown>) =>
        post('/api/assessment/decisions', { year: Y, reason: '理由', ...body });
      expect(
        (await d({ kind: 'democratic_evaluation', memberId: w.members.leader.id, value: 'recommend' }))
          .statusCode,
      ).toBe(400);
      expect(
        (await d({ kind: 'five_good_village', orgId: w.a.committee.id, value: 'recommend' })).statusCode,
      ).toBe(400);
      expect(
        (await d({ kind: 'five_good_township', orgId: w.orgs.a0.id, value: 'recommend' })).statusCode,
      ).toBe(400);
      expect((await d({ kind: 'star_rating', orgId: w.orgs.a0.id, value: '6' })).statusCode).toBe(400);
      expect(
        (await d({ kind: 'five_good_village', orgId: w.orgs.a0.id, value: 'recommend', reason: '' }))
          .statusCode,
      ).toBe(400);
      const village = await d({ kind: 'five_good_village', orgId: w.orgs.a0.id, value: 'recommend' });
      expect(village.statusCode, village.body).toBe(201);
      expect(village.json()).toMatchObject({ orgName: '东山村党支部', score: 60.8 });
      const township = await d({
        kind: 'five_good_township',
        orgId: w.a.committee.id,
        value: 'not_recommend',
      });
      expect(township.json()).toMatchObject({ valueLabel: '不推荐', score: 54.1 });
      const stars = await d({ kind: 'star_rating', orgId: w.orgs.a0.id, value: '4' });
      expect(stars.json().valueLabel).toBe('四星');
    });

    it('only the county decides; a township’s staff read the decisions of their subtree', async () => {
      const res = await post(
        '/api/assessment/decisions',
        { year: Y, kind: 'star_rating', orgId: w.orgs.b0.id, value: '3', reason: '理由' },
        staffB,
      );
      expect(res.statusCode).toBe(403);
      const all = (await app.inject({ method: 'GET', url: `/api/assessment/decisions?year=${Y}` })).json();
      expect(all).toHaveLength(4);
      const theirs = (
        await staffB.inject({ method: 'GET', url: `/api/assessment/decisions?year=${Y}` })
      ).json();
      expect(theirs).toHaveLength(0);
    });
  });
});
