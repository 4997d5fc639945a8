import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCounty } from '../../../test/factories.ts';
import { LEAKS } from '../../../test/global-setup.ts';
import { dbTargets, type TestDatabase } from '../../../test/helpers/db.ts';
import {
  NEEDY_HEAD,
  type PlansWorld,
  planInNotice,
  plansWorld,
  SECRET_ID,
  SECRET_PHONE,
} from '../plans/test-fixtures.ts';

const CODE = '369952';
const FORM = 'application/x-www-form-urlencoded';

describe.each(dbTargets())('public notices and feedback (公示、监督) on the $name database', (target) => {
  let database: TestDatabase;
  let w: PlansWorld;
  let notice: number;
  let ended: number;

  beforeAll(async () => {
    database = await target.open();
    w = await plansWorld(database, CODE);
    const plan = await planInNotice(w.clients.admin, w.pairings.branch, {
      title: `东山村支部共建方案（帮扶${NEEDY_HEAD}）`,
      content: `一、帮扶困难户${NEEDY_HEAD}和困难党员孙秀英。\n联系：${SECRET_PHONE}，证件${SECRET_ID}。`,
      tasks: [{ what: `为${NEEDY_HEAD}家修缮住房`, target: `联系电话 139-1234-5678` }],
    });
    notice = plan.noticeId;
    const old = await planInNotice(w.clients.admin, w.pairings.leader);
    ended = old.noticeId;
    await database.db
      .updateTable('notices')
      .set({ starts_on: '2020-01-01', ends_on: '2020-01-07' })
      .where('county_id', '=', w.t.county.id)
      .where('id', '=', ended)
      .execute();
  });
  afterAll(async () => {
    await w?.app.close();
    await database?.dispose();
  });

  const raw = () => w.app.raw;
  const publicGet = (url: string) => raw().inject({ method: 'GET', url });
  const feedback = (id: number, payload: unknown, remoteAddress = '10.0.0.1', county = CODE) =>
    raw().inject({
      method: 'POST',
      url: `/api/public/notices/${id}/feedback?county=${county}`,
      payload: payload as Record<string, unknown>,
      remoteAddress,
    });
  const form = (id: number, body: string, remoteAddress = '10.0.0.3', headers: Record<string, string> = {}) =>
    raw().inject({
      method: 'POST',
      url: `/public/notices/${id}/feedback?county=${CODE}`,
      headers: { 'content-type': FORM, ...headers },
      payload: body,
      remoteAddress,
    });
  const storedFeedback = () =>
    database.db
      .selectFrom('notice_feedback')
      .selectAll()
      .where('county_id', '=', w.t.county.id)
      .orderBy('id')
      .execute();

  it('lists running and recently ended notices by county and township, without sign-in', async () => {
    const all = await publicGet(`/api/public/notices?county=${CODE}`);
    expect(all.statusCode).toBe(200);
    expect(all.json().county.code).toBe(CODE);
    const ids = all.json().items.map((n: { id: number }) => n.id);
    expect(ids).toContain(notice);
    expect(ids).not.toContain(ended); // ended more than 30 days ago
    expect(all.json().items.find((n: { id: number }) => n.id === notice)).toMatchObject({
      open: true,
      kindLabel: '支部联建',
      place: '甲镇东山村党支部',
    });
    const inA = await publicGet(`/api/public/notices?county=${CODE}&township=${w.a.committee.id}`);
    expect(inA.json().items.map((n: { id: number }) => n.id)).toContain(notice);
    const inB = await publicGet(`/api/public/notices?county=${CODE}&township=${w.b.committee.id}`);
    expect(inB.json().items).toEqual([]);
    expect((await publicGet('/api/public/notices?county=999999')).statusCode).toBe(404);
    expect((await publicGet('/api/public/notices')).statusCode).toBe(400);
  });

  it('shows a notice only in its own county, and never an ID number, a phone or a needy name in full', async () => {
    const other = await makeCounty(database.db, { code: '369953', name: '邻县' });
    expect(other.county.id).not.toBe(w.t.county.id);
    expect((await publicGet(`/api/public/notices/${notice}?county=369953`)).statusCode).toBe(404);
    expect((await publicGet(`/api/public/notices/${notice}`)).statusCode).toBe(400);

    const detail = await publicGet(`/api/public/notices/${notice}?county=${CODE}`);
    expect(detail.statusCode).toBe(200);
    const body = detail.json();
    expect(body).toMatchObject({ id: notice, open: true, answers: [] });
    expect(body.body.helper).toBe('县财政局机关党支部');
    expect(body.body.content).toContain('困难户王某和困难党员孙某');
    expect(body.body.tasks[0].what).toBe('为王某家修缮住房');
    expect(body.body.tasks[0].target).toBe('联系电话 139****5678');

    const list = await publicGet(`/api/public/notices?county=${CODE}`);
    const page = await publicGet(`/public/notices/${notice}?county=${CODE}`);
    for (const text of [detail.body, list.body, page.body]) {
      for (const [what, re] of LEAKS) expect(re.test(text), what).toBe(false);
      expect(text).not.toContain(NEEDY_HEAD);
      expect(text).not.toContain('孙秀英');
      expect(text).not.toContain(SECRET_PHONE);
      expect(text).not.toContain(SECRET_ID);
    }
    expect(page.body).toContain('王某');
  });

  it('takes feedback as plain text, validated, keeping only a salted hash of the address', async () => {
    const bad = [
      { content: '', anonymous: true },
      { content: '   ', anonymous: true },
      { content: '长'.repeat(1001), anonymous: true },
      { content: '好', contact: 'x'.repeat(101), anonymous: false },
      { content: '好' },
      { content: '好', anonymous: true, name: '张三' },
    ];
    for (const payload of bad)
      expect((await feedback(notice, payload)).statusCode, JSON.stringify(payload)).toBe(400);

    const anonymous = await feedback(notice, {
      content: '<b>方案很好</b>，建议增加技术培训',
      contact: '13700001111',
      anonymous: true,
    });
    expect(anonymous.statusCode).toBe(201);
    expect(anonymous.json().message).toMatch(/感谢/);
    const named = await feedback(notice, { content: '希望修路', contact: '村东头老李', anonymous: false });
    expect(named.statusCode).toBe(201);

    const rows = await storedFeedback();
    expect(rows.map((r) => [r.content, r.contact])).toEqual([
      ['<b>方案很好</b>，建议增加技术培训', null],
      ['希望修路', '村东头老李'],
    ]);
    for (const r of rows) {
      expect(r.address_hash).toMatch(/^h1:[0-9a-f]{64}$/);
      expect(r.address_hash).not.toContain('10.0.0.1');
    }
    expect(rows[0]!.address_hash).toBe(rows[1]!.address_hash);
    expect((await feedback(999999, { content: '好', anonymous: true })).statusCode).toBe(404);
    expect(
      (await feedback(notice, { content: '好', anonymous: true }, '10.0.0.1', '369953')).statusCode,
    ).toBe(404);
  });

  it('refuses a cross-site post, and feedback after the notice ended', async () => {
    const cross = await raw().inject({
      method: 'POST',
      url: `/api/public/notices/${notice}/feedback?county=${CODE}`,
      headers: { origin: 'https://evil.example' },
      payload: { content: '好', anonymous: true },
      remoteAddress: '10.0.0.7',
    });
    expect(cross.statusCode).toBe(403);
    const late = await feedback(ended, { content: '还来得及吗', anonymous: true }, '10.0.0.7');
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('notice_ended');
    const latePage = await form(ended, 'content=%E5%A5%BD', '10.0.0.7');
    expect(latePage.statusCode).toBe(409);
    expect(latePage.body).toContain('公示已于2020-01-07结束');
  });

  it('limits feedback per address: the sixth in ten minutes is 429', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await feedback(notice, { content: `第${i}条`, anonymous: true }, '10.0.0.9')).statusCode).toBe(
        201,
      );
    }
    const sixth = await feedback(notice, { content: '第6条', anonymous: true }, '10.0.0.9');
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    const formSixth = await form(notice, 'content=again', '10.0.0.9');
    expect(formSixth.statusCode).toBe(429);
    expect((await feedback(notice, { content: '别人', anonymous: true }, '10.0.0.10')).statusCode).toBe(201);
  });

  it('takes the phone page form (urlencoded), redirects with thanks, and refuses other origins', async () => {
    const page = await publicGet(`/public/notices/${notice}?county=${CODE}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/<script/i);
    expect(page.body).toContain(`action="/public/notices/${notice}/feedback?county=${CODE}"`);

    const sent = await form(
      notice,
      `content=${encodeURIComponent('<script>alert(1)</script> 路灯坏了')}&contact=&anonymous=on`,
      '10.0.0.3',
      { origin: 'http://localhost:80' },
    );
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/public/notices/${notice}?county=${CODE}&sent=1#feedback`);
    const thanks = await publicGet(`/public/notices/${notice}?county=${CODE}&sent=1`);
    expect(thanks.body).toContain('感谢您的意见');

    const empty = await form(notice, 'content=&anonymous=on');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('请填写意见建议');
    const cross = await form(notice, 'content=x', '10.0.0.3', { origin: 'https://evil.example' });
    expect(cross.statusCode).toBe(403);
    expect((await publicGet(`/public/notices/${notice}?county=369953`)).statusCode).toBe(404);
    expect((await publicGet(`/public/notices/abc?county=${CODE}`)).statusCode).toBe(404);

    const stored = (await storedFeedback()).at(-1)!;
    expect(stored.content).toBe('<script>alert(1)</script> 路灯坏了');
    expect(stored.contact).toBeNull();
  });

  it('lets staff read and answer feedback in their subtree, and shows published answers escaped', async () => {
    const { staffA, staffB, member, auditor } = w.clients;
    const open = await staffA.inject({ method: 'GET', url: '/api/notices?open=true' });
    expect(open.statusCode).toBe(200);
    const mine = open.json().items.find((n: { id: number }) => n.id === notice);
    expect(mine).toMatchObject({ open: true, orgName: '甲镇东山村党支部' });
    expect(mine.feedbackCount).toBeGreaterThan(0);
    expect((await staffB.inject({ method: 'GET', url: '/api/notices' })).json().items).toEqual([]);
    expect((await staffB.inject({ method: 'GET', url: `/api/notices/${notice}/feedback` })).statusCode).toBe(
      404,
    );
    expect((await member.inject({ method: 'GET', url: '/api/notices' })).statusCode).toBe(403);
    expect((await raw().inject({ method: 'GET', url: '/api/notices' })).statusCode).toBe(401);

    const list = (await staffA.inject({ method: 'GET', url: `/api/notices/${notice}/feedback` })).json();
    const scripted = list.items.find((f: { content: string }) => f.content.startsWith('<script>'));
    const named = list.items.find((f: { content: string }) => f.content === '希望修路');
    expect(named).toMatchObject({ contact: '村东头老李', anonymous: false, answer: null });
    expect(scripted.anonymous).toBe(true);

    const answerUrl = (fid: number) => `/api/notices/${notice}/feedback/${fid}/answer`;
    expect(
      (
        await auditor.inject({
          method: 'POST',
          url: answerUrl(scripted.id),
          payload: { answer: 'x', publish: true },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await staffB.inject({
          method: 'POST',
          url: answerUrl(scripted.id),
          payload: { answer: 'x', publish: true },
        })
      ).statusCode,
    ).toBe(404);
    const answered = await staffA.inject({
      method: 'POST',
      url: answerUrl(scripted.id),
      payload: { answer: '已安排维修<b>路灯</b>，谢谢监督', publish: true },
    });
    expect(answered.statusCode).toBe(200);
    expect(answered.json()).toMatchObject({ answerPublished: true, answeredByName: expect.any(String) });
    const privateAnswer = await staffA.inject({
      method: 'POST',
      url: answerUrl(named.id),
      payload: { answer: '已电话联系本人', publish: false },
    });
    expect(privateAnswer.statusCode).toBe(200);

    const pub = (await publicGet(`/api/public/notices/${notice}?county=${CODE}`)).json();
    expect(pub.answers).toHaveLength(1);
    expect(pub.answers[0]).toMatchObject({
      content: '<script>alert(1)</script> 路灯坏了',
      answer: '已安排维修<b>路灯</b>，谢谢监督',
    });
    const page = (await publicGet(`/public/notices/${notice}?county=${CODE}`)).body;
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; 路灯坏了');
    expect(page).toContain('已安排维修&lt;b&gt;路灯&lt;/b&gt;，谢谢监督');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('已电话联系本人');
    expect(page).not.toContain('村东头老李');

    const audited = await database.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('county_id', '=', w.t.county.id)
      .where('action', '=', 'notice.answer')
      .execute();
    expect(audited.map((a) => a.target_id).sort()).toEqual([String(named.id), String(scripted.id)].sort());
  });

  it('publishes feedback and answer with the names of the place’s people masked, as previewed, on the server', async () => {
    const { staffA, staffB } = w.clients;
    const phone = '13912345678';
    const sent = await feedback(
      notice,
      { content: `帮扶对象${NEEDY_HEAD}的电话是${phone}，孙秀英也需要帮助`, anonymous: true },
      '10.0.0.77',
    );
    expect(sent.statusCode, sent.body).toBe(201);
    const fid = sent.json().id as number;
    const answer = `已与${NEEDY_HEAD}联系（${phone}），赵志强同志负责跟进`;

    // What will be published is shown first, masked by the server; nothing is stored by looking.
    const previewUrl = `/api/notices/${notice}/feedback/${fid}/answer-preview`;
    const preview = await staffA.inject({ method: 'POST', url: previewUrl, payload: { answer } });
    expect(preview.statusCode, preview.body).toBe(200);
    const masked = `${[...NEEDY_HEAD][0]}某`;
    expect(preview.json()).toEqual({
      content: `帮扶对象${masked}的电话是139****5678，孙某也需要帮助`,
      answer: `已与${masked}联系（139****5678），赵某同志负责跟进`,
    });
    expect((await staffB.inject({ method: 'POST', url: previewUrl, payload: { answer } })).statusCode).toBe(
      404,
    );
    const stored = () =>
      database.db
        .selectFrom('notice_feedback')
        .select(['answer', 'answer_published', 'published_content', 'published_answer'])
        .where('county_id', '=', w.t.county.id)
        .where('id', '=', fid)
        .executeTakeFirstOrThrow();
    expect(await stored()).toMatchObject({ answer: null, answer_published: false, published_content: null });

    const answered = await staffA.inject({
      method: 'POST',
      url: `/api/notices/${notice}/feedback/${fid}/answer`,
      payload: { answer, publish: true },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    // Staff keep the texts as written; the public texts are stored apart, as previewed.
    expect(await stored()).toEqual({
      answer,
      answer_published: true,
      published_content: preview.json().content,
      published_answer: preview.json().answer,
    });
    const pub = (await publicGet(`/api/public/notices/${notice}?county=${CODE}`)).json();
    const shown = pub.answers.find((a: { id: number }) => a.id === fid);
    expect(shown).toMatchObject(preview.json());
    const page = (await publicGet(`/public/notices/${notice}?county=${CODE}`)).body;
    for (const secret of [NEEDY_HEAD, '孙秀英', '赵志强', phone]) {
      expect(JSON.stringify(pub), secret).not.toContain(secret);
      expect(page, secret).not.toContain(secret);
    }

    // Withdrawn from publication, the public texts go too.
    await staffA.inject({
      method: 'POST',
      url: `/api/notices/${notice}/feedback/${fid}/answer`,
      payload: { answer, publish: false },
    });
    expect(await stored()).toMatchObject({
      answer_published: false,
      published_content: null,
      published_answer: null,
    });
  });
});
