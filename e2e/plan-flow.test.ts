import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_COUNTY_CODE } from '../src/db/seeds/demo/index.ts';
import { type BrowserHandle, launchBrowser } from './helpers/browser.ts';
import { shot, signIn, watchErrors } from './helpers/session.ts';

/**
 * 审查制和公示制 in the browser, as the people do it: the branch secretary drafts and submits a plan,
 * the township sends it back with a reason, the secretary edits and resubmits, the township sees
 * what changed and passes it, the county approves, the public page shows it masked, a member of the
 * public leaves feedback, and the township answers it.
 */

const base = inject('appUrl');
let b: BrowserHandle;
beforeAll(async () => {
  b = await launchBrowser();
});
afterAll(async () => {
  await b?.close();
});

/** Screenshots of a screen at the desk width and the phone width. */
async function shotBoth(page: Page, name: string) {
  const was = page.viewportSize();
  for (const width of [1440, 360] as const) {
    await page.setViewportSize(width === 360 ? { width: 360, height: 760 } : { width: 1440, height: 900 });
    await page.waitForTimeout(300);
    await shot(page, name);
  }
  if (was) await page.setViewportSize(was);
}

interface PairingRow {
  id: number;
  title: string;
  helper: { orgId: number; memberId: number | null };
  helped: { orgId: number; memberId: number | null; name: string | null };
}

async function json<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(`${base}${path}`);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

describe('a plan from draft to public notice and feedback', () => {
  it('is drafted, sent back, resubmitted, reviewed, approved, published masked, and its feedback answered', async () => {
    const year = new Date().getFullYear();
    const secretary = await (await b.context(1440)).newPage();
    const township = await (await b.context(1440)).newPage();
    const county = await (await b.context(1440)).newPage();
    const errors = [secretary, township, county].map(watchErrors);

    // A pairing whose plan the branch secretary answers for: they help a needy member of their own
    // branch (党员联帮). The demo's member pairings of the branch are carried by other members, who
    // have no accounts, so the county sets one up for the year (through the API, as the test's setup).
    await signIn(county, base, 'admin');
    await signIn(secretary, base, 'shuji');
    const me = await json<{ orgId: number; memberId: number }>(secretary, '/api/auth/me');
    const branch = await json<{ items: PairingRow[] }>(secretary, '/api/pairings?pageSize=200');
    const needy = branch.items.find((p) => p.helped.memberId && p.helped.orgId === me.orgId);
    expect(needy, 'a needy member of the branch').toBeDefined();
    const admin = await json<{ csrfToken: string }>(county, '/api/auth/me');
    const created = await county.request.post(`${base}/api/pairings`, {
      headers: { origin: base, 'x-csrf-token': admin.csrfToken },
      data: {
        kind: 'member_assist',
        yearFrom: year,
        helper: { memberId: me.memberId },
        helped: { memberId: needy!.helped.memberId },
      },
    });
    expect(created.status()).toBe(201);
    const pairing = (await created.json()) as PairingRow;
    const helpedName = pairing.helped.name!;

    await secretary.goto(`${base}/pairings`);
    await secretary.getByRole('link', { name: pairing.title }).first().waitFor();
    await shotBoth(secretary, 'pairing-list');

    // Draft: the text names the helped member and a phone; two tasks.
    await secretary.goto(`${base}/pairings/${pairing.id}`);
    await secretary.getByRole('button', { name: /起草/ }).click();
    await secretary
      .getByLabel('方案内容')
      .fill(`帮扶对象：${helpedName}，联系电话13812345678。\n每月上门走访一次，帮助解决生产生活困难。`);
    await secretary.getByLabel('任务内容').fill('每月上门走访');
    await secretary.getByLabel('目标', { exact: true }).fill('全年不少于12次');
    await secretary.getByLabel('完成时限').fill(`${year}-12-31`);
    await shotBoth(secretary, 'plan-editor');
    await secretary.getByRole('button', { name: '保存并提交审查' }).click();
    await secretary.getByText('待审查', { exact: true }).first().waitFor();
    await shotBoth(secretary, 'pairing-page');

    // The township's inbox has it; sending back without a reason is refused by the form itself.
    await signIn(township, base, 'zhen');
    await township.goto(`${base}/reviews`);
    const link = township.getByRole('link', { name: new RegExp(pairing.title) }).first();
    await link.waitFor();
    await shotBoth(township, 'review-inbox');
    await link.click();
    await township.waitForURL(/\/reviews\/\d+$/);
    const planId = Number(new URL(township.url()).pathname.split('/').pop());
    let posted = 0;
    township.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/transitions')) posted++;
    });
    await township.getByRole('button', { name: '退回修改' }).click();
    await township.getByText('退回须说明理由').waitFor();
    expect(posted, 'no request without a reason').toBe(0);
    await township.getByLabel(/审核意见/).fill('请写明每次走访的具体帮扶措施。');
    await township.getByRole('button', { name: '退回修改' }).click();
    await township.getByText('草稿', { exact: true }).first().waitFor();
    // Sent back, the plan is the drafting side's: the reviewer has nothing to act on, no 提交.
    await township.getByText('该方案当前无需审核').waitFor();
    expect(await township.getByRole('button', { name: '提交' }).count()).toBe(0);

    // The secretary sees the reason, edits and resubmits.
    await secretary.reload();
    await secretary.getByText('请写明每次走访的具体帮扶措施。').first().waitFor();
    await secretary.getByRole('button', { name: '修改方案' }).click();
    const content = secretary.getByLabel('方案内容');
    await content.fill(`${await content.inputValue()}\n重点帮助发展林下种植，落实技术指导。`);
    await secretary.getByRole('button', { name: '添加任务' }).click();
    await secretary.getByLabel('任务内容').nth(1).fill('帮助发展林下种植');
    await secretary.getByRole('button', { name: '保存并提交审查' }).click();
    await secretary.getByText('待审查', { exact: true }).first().waitFor();

    // The township sees what changed since it was sent back, and passes the review.
    await township.goto(`${base}/reviews/${planId}`);
    await township.getByText('自上次退回以来的修改').waitFor();
    await township.locator('ins', { hasText: '重点帮助发展林下种植' }).waitFor();
    await township.locator('ins', { hasText: '帮助发展林下种植' }).last().waitFor();
    await shotBoth(township, 'review-plan');
    await township.getByRole('button', { name: '审查通过' }).click();
    await township.getByText('已审查(待审定)', { exact: true }).first().waitFor();

    // The county approves: the public notice opens.
    await county.goto(`${base}/reviews`);
    await county
      .getByRole('link', { name: new RegExp(pairing.title) })
      .first()
      .click();
    let approvals = 0;
    county.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/transitions')) approvals++;
    });
    await county.getByRole('button', { name: '审定通过' }).click();
    // It asks first, showing the notice period; cancelling changes nothing.
    await county.getByText(/方案将立即公示5个工作日/).waitFor();
    await county.getByRole('button', { name: /^取\s*消$/ }).click();
    expect(approvals, 'nothing sent on cancel').toBe(0);
    await county.getByRole('button', { name: '审定通过' }).click();
    await county.getByRole('button', { name: '审定并公示' }).click();
    await county.getByText('公示中', { exact: true }).first().waitFor();
    const noticeHref = await county.getByRole('link', { name: '查看公示与意见' }).getAttribute('href');
    const noticeId = Number(noticeHref?.split('/').pop());
    expect(noticeId).toBeGreaterThan(0);

    // The public: no sign-in, a phone; the helped member's name and the phone are masked.
    const publicCtx = await b.context(360);
    const visitor = await publicCtx.newPage();
    await visitor.goto(`${base}/public/notices/${noticeId}?county=${DEMO_COUNTY_CODE}`);
    const text = await visitor.locator('body').innerText();
    expect(text).toContain('每月上门走访');
    expect(text).toContain(`${[...helpedName][0]}某`);
    expect(text).not.toContain(helpedName);
    expect(text).toContain('138****5678');
    expect(text).not.toContain('13812345678');
    await shot(visitor, 'public-notice');
    await visitor.getByLabel(/意见建议/).fill(`建议走访时同时了解${helpedName}子女上学情况。`);
    await visitor.getByRole('textbox', { name: /联系方式/ }).fill('13900001111');
    await visitor.getByRole('button', { name: '提交意见' }).click();
    await visitor.getByText('感谢您的意见').waitFor();

    // Staff answer it in the notices screen, and publish the answer.
    await township.goto(`${base}/notices`);
    await township
      .getByRole('link', { name: /关于.*公示/ })
      .first()
      .waitFor();
    await shotBoth(township, 'notice-list');
    await township.goto(`${base}/notices/${noticeId}`);
    await township.getByText(`建议走访时同时了解${helpedName}子女上学情况。`).waitFor();
    await township.getByText('13900001111').waitFor();
    await township.getByRole('button', { name: /^答\s*复$/ }).click();
    await township.getByLabel('答复', { exact: true }).fill(`已纳入帮扶计划，走访${helpedName}时一并了解。`);
    await township.getByRole('button', { name: '提交答复' }).click();
    // Before publishing, the server's masked text is shown: what the public will read.
    const masked = `${[...helpedName][0]}某`;
    const dialog = township.getByRole('dialog');
    await dialog.getByText(`已纳入帮扶计划，走访${masked}时一并了解。`).waitFor();
    await dialog.getByText(`建议走访时同时了解${masked}子女上学情况。`).waitFor();
    await shotBoth(township, 'notice-answer-preview');
    await dialog.getByRole('button', { name: '确认公开' }).click();
    await township.getByText('已公开', { exact: true }).waitFor();
    await shotBoth(township, 'notice-page');

    await visitor.goto(`${base}/public/notices/${noticeId}?county=${DEMO_COUNTY_CODE}`);
    await visitor.getByText(`已纳入帮扶计划，走访${masked}时一并了解。`).waitFor();
    expect(await visitor.locator('body').innerText()).not.toContain(helpedName);

    // The plan's history keeps every step.
    await county.goto(`${base}/reviews/${planId}`);
    for (const step of ['起草', '提交', '退回', '审查通过', '审定通过'])
      await county.getByText(step, { exact: true }).first().waitFor();

    expect(errors.flat()).toEqual([]);
    await publicCtx.close();
    for (const p of [secretary, township, county]) await p.context().close();
  });
});
