import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BrowserHandle, launchBrowser } from './helpers/browser.ts';
import { shot, signIn, watchErrors } from './helpers/session.ts';

/**
 * 督查考评 in the browser: the township records a check with a problem, the village's secretary finds
 * it and closes it with evidence; the county exports a ledger and the half-year bulletin and reads
 * them back; the county's year-end assessment (a new scheme version, a run, results with bands, a
 * proposal with a reason, satisfaction surveys and their public form).
 */

const base = inject('appUrl');
const year = new Date().getFullYear();
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
    await page.waitForTimeout(400);
    await shot(page, name);
  }
  if (was) await page.setViewportSize(was);
  await page.waitForTimeout(300);
}

async function json<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(`${base}${path}`);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

/** Picks an organisation in an OrgPicker (the field already focused) by typing its name. */
async function pickOrg(page: Page, name: string) {
  await page.keyboard.type(name);
  await page.locator('.ant-select-tree-node-content-wrapper').filter({ hasText: name }).first().click();
}

const option = (page: Page, text: string | RegExp) =>
  page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first();

/** A statistic's value on the page, by its title. */
async function statistic(page: Page, title: string): Promise<number> {
  const text = await page
    .locator('.ant-statistic')
    .filter({ has: page.locator('.ant-statistic-title', { hasText: new RegExp(`^${title}$`) }) })
    .locator('.ant-statistic-content')
    .innerText();
  return Number(text.replace(/[,\s]/g, ''));
}

interface Me {
  orgId: number;
  orgName: string;
  csrfToken: string;
}
interface Rectification {
  id: number;
  problem: string;
  ownerOrgId: number;
  status: string;
  evidence: string | null;
}

describe('checks and rectifications', () => {
  it('the township records a check with a problem; the village secretary sees it and closes it with evidence', async () => {
    const township = await (await b.context(1440)).newPage();
    const secretary = await (await b.context(1440)).newPage();
    const errors = [township, secretary].map(watchErrors);
    await signIn(secretary, base, 'shuji');
    await signIn(township, base, 'zhen');
    const village = await json<Me>(secretary, '/api/auth/me');

    // A pairing of the township that helps the secretary's village (any of the township's otherwise).
    const pairings = await json<{ items: { id: number; title: string; helped: { orgId: number } }[] }>(
      township,
      `/api/pairings?year=${year}&pageSize=500`,
    );
    const pairing = pairings.items.find((p) => p.helped.orgId === village.orgId) ?? pairings.items[0]!;
    expect(pairing, 'a pairing of the township').toBeDefined();

    // The secretary's counts before.
    await secretary.goto(`${base}/rectifications`);
    const mineBefore = await json<{ open: number }>(secretary, '/api/rectifications/mine');
    await secretary.getByText(`我的待整改（${mineBefore.open}）`).waitFor();
    const openBefore = await statistic(secretary, '整改中');

    // The township records the check in the drawer: on site, problems found, one rectification.
    await township.goto(`${base}/inspections`);
    await township.getByText('督查轮次', { exact: true }).waitFor();
    await township.getByRole('table').first().waitFor();
    await shotBoth(township, 'inspections');

    // The township plans this quarter's round in the app; the check recorded next is filed under it.
    const roundTitle = `${year}年本季度三联共建督查（${Date.now() % 100000}）`;
    await township.getByRole('button', { name: /安排督查轮次/ }).click();
    const roundDrawer = township.getByRole('dialog');
    await roundDrawer.getByLabel('标题').fill(roundTitle);
    await shot(township, 'inspection-round-form');
    await roundDrawer.getByRole('button', { name: /保\s*存/ }).click();
    await township.getByText('督查轮次已安排').waitFor();
    await township.getByText(roundTitle).first().waitFor();
    await roundDrawer.waitFor({ state: 'hidden' });

    await township.getByRole('button', { name: /记录督查/ }).click();
    const drawer = township.getByRole('dialog');
    await drawer.getByText(roundTitle).waitFor();
    await drawer.getByRole('combobox', { name: /结对$/ }).click();
    await township.keyboard.type(pairing.title.slice(0, 12));
    await option(township, pairing.title).click();
    await drawer.getByLabel('结论').click();
    await option(township, '存在问题').click();
    await drawer.getByLabel('检查情况').fill('实地查看活动台账和走访记录，群众反映的道路硬化项目进展较慢。');
    await drawer.getByRole('button', { name: /添加问题/ }).click();
    const problem = `道路硬化项目进度滞后，需制定推进计划（${Date.now() % 100000}）`;
    await drawer.getByLabel(/^\*?\s*问题$/).fill(problem);
    await drawer.getByLabel('责任单位').click();
    await pickOrg(township, village.orgName);
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await township.getByText('检查已记录').waitFor();
    const checks = await json<{
      items: { roundTitle: string | null; target: { pairingId: number | null } }[];
    }>(township, '/api/inspections?status=done&pageSize=20');
    expect(checks.items.find((c) => c.target.pairingId === pairing.id)?.roundTitle).toBe(roundTitle);

    // It shows on the owner's side: the secretary's list and counts.
    const mine = await json<{ items: Rectification[]; open: number }>(secretary, '/api/rectifications/mine');
    const rect = mine.items.find((r) => r.problem === problem);
    expect(rect, 'the new rectification is the secretary’s').toBeDefined();
    expect(rect!.ownerOrgId).toBe(village.orgId);
    expect(mine.open).toBe(mineBefore.open + 1);
    await secretary.reload();
    await secretary.getByText(problem).waitFor();
    await secretary.getByText(`我的待整改（${mineBefore.open + 1}）`).waitFor();
    await expect.poll(() => statistic(secretary, '整改中')).toBe(openBefore + 1);
    const closedBefore = await statistic(secretary, '本年已销号');
    await shotBoth(secretary, 'rectifications');

    // Closing without evidence is refused by the form: nothing is sent.
    let posted = 0;
    secretary.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes(`/api/rectifications/${rect!.id}/close`)) posted++;
    });
    await secretary
      .getByRole('row')
      .filter({ hasText: problem })
      .getByRole('button', { name: /整改销号/ })
      .click();
    const dialog = secretary.getByRole('dialog');
    await dialog.getByRole('button', { name: /销\s*号/ }).click();
    await dialog.getByText('请填写整改情况和佐证材料').waitFor();
    expect(posted, 'no request without evidence').toBe(0);

    // With evidence it is closed, and the counts follow.
    const evidence = '已召开支委会制定推进计划，道路硬化已完工，附验收照片和会议记录。';
    await dialog.getByLabel(/整改情况及佐证/).fill(evidence);
    await dialog.getByRole('button', { name: /销\s*号/ }).click();
    await secretary.getByText('已整改销号').waitFor();
    expect(posted).toBe(1);
    await secretary.getByText(`我的待整改（${mineBefore.open}）`).waitFor();
    await expect.poll(() => statistic(secretary, '整改中')).toBe(openBefore);
    await expect.poll(() => statistic(secretary, '本年已销号')).toBe(closedBefore + 1);
    const closed = await json<{ items: Rectification[] }>(
      secretary,
      '/api/rectifications?status=closed&pageSize=100',
    );
    expect(closed.items.find((r) => r.id === rect!.id)?.evidence).toBe(evidence);

    for (const e of errors) expect(e).toEqual([]);
    await township.context().close();
    await secretary.context().close();
  });
});

describe('ledgers and the half-year bulletin', () => {
  it('the county exports the checks and rectifications ledger and reads it back against the API', async () => {
    const ctx = await b.context(1440);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, 'admin');
    await page.goto(`${base}/ledgers`);
    const exportButton = page.getByRole('button', { name: '导出 督查整改台账' });
    await exportButton.waitFor();
    await shotBoth(page, 'ledgers');

    // The export's progress as the page polls it (the job is gone once its file is fetched).
    let job: { status: string; rowsTotal: number } | undefined;
    page.on('response', async (r) => {
      if (/\/api\/ledgers\/exports\/[^/]+$/.test(new URL(r.url()).pathname) && r.ok())
        job = await r.json().catch(() => job);
    });
    const download = page.waitForEvent('download', { timeout: 120_000 });
    await exportButton.click();
    const file = await download;
    expect(new URL(file.url()).pathname).toMatch(/^\/api\/ledgers\/exports\/[^/]+\/file$/);
    expect(job?.status).toBe('done');
    await page.getByText(/已完成：\d+\/\d+行/).waitFor();

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(await file.path())) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell(1, 1).value)).toContain('督查整改台账');
    const header = (ws.getRow(2).values as unknown[]).slice(1).map((h) => String(h).split('\n')[0]);
    const col = (zh: string) => {
      const i = header.indexOf(zh);
      expect(i, `column ${zh}`).toBeGreaterThanOrEqual(0);
      return i + 1;
    };
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((row, n) => {
      if (n > 2) rows.push(row);
    });
    expect(rows.length).toBe(job!.rowsTotal);
    // The figures by status against the API's lists (the demo's checks are all of this year).
    const status = (s: string) => rows.filter((r) => r.getCell(col('整改状态')).value === s).length;
    const total = async (s: string) =>
      (await json<{ total: number }>(page, `/api/rectifications?status=${s}&pageSize=1`)).total;
    expect(status('已整改销号')).toBe(await total('closed'));
    expect(status('逾期未整改')).toBe(await total('overdue'));
    expect(status('整改中') + status('逾期未整改')).toBe(await total('open'));
    // The problem closed in the first test is there with its evidence.
    const ours = rows.find((r) =>
      String(r.getCell(col('整改情况')).value ?? '').startsWith('已召开支委会制定推进计划'),
    );
    expect(ours, 'the rectification closed by the secretary').toBeDefined();
    expect(ours!.getCell(col('整改状态')).value).toBe('已整改销号');
    expect(String(ours!.getCell(col('发现问题')).value)).toContain('道路硬化项目进度滞后');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the county downloads the half-year bulletin as a Word document', async () => {
    const ctx = await b.context(1440);
    const page = await ctx.newPage();
    await signIn(page, base, 'admin');
    await page.goto(`${base}/ledgers`);
    const download = page.waitForEvent('download', { timeout: 120_000 });
    await page.getByRole('button', { name: /生成并下载通报/ }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.docx$/);
    const bytes = await readFile(await file.path());
    expect(bytes.length).toBeGreaterThan(2_000);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file('word/document.xml')?.async('string');
    expect(xml, 'word/document.xml').toBeTruthy();
    expect(xml).toContain('通报');
    await ctx.close();
  });
});

interface Scheme {
  id: number;
  version: number;
  active: boolean;
  content: { indicators: { weight: number }[] };
}
interface Results {
  run: { id: number };
  items: { id: number; name: string; score: number | null; bandLabel: string | null }[];
}
interface Survey {
  id: number;
  title: string;
  url: string;
  open: boolean;
  closedAt: string | null;
  responses: { total: number };
}

describe('the year-end assessment', () => {
  it('shows the active scheme; a new version with weights not summing to 100 is refused by the form, then saved and active', async () => {
    const ctx = await b.context(1440);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, 'admin');
    const before = await json<Scheme[]>(page, `/api/assessment/schemes?year=${year}`);
    const active = before.find((s) => s.active)!;
    expect(active, 'the demo’s active scheme').toBeDefined();

    await page.goto(`${base}/assessment`);
    await page.getByText('启用中').first().waitFor();
    await page.getByText('到点工作完成率').first().waitFor();
    await page.getByText(/优秀 · 90分及以上/).waitFor();
    await shotBoth(page, 'assessment');

    let posted = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/assessment/schemes') posted++;
    });
    await page.getByRole('button', { name: /新建版本/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('指标1权重').waitFor();
    await shotBoth(page, 'assessment-scheme-form');
    const first = active.content.indicators[0]!.weight;
    // Another indicator gives the 5 back: the first after it weighing more than 5.
    const other = active.content.indicators.findIndex((x, i) => i > 0 && x.weight > 5) + 1;
    const otherWeight = active.content.indicators[other - 1]!.weight;
    await drawer.getByLabel('指标1权重').fill(String(first + 5));
    await drawer.getByText(`权重合计 105 / 100`).waitFor();
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await drawer.getByText('各项指标权重之和须为100，现为105').waitFor();
    await page.waitForTimeout(300);
    expect(posted, 'nothing sent while the weights sum to 105').toBe(0);

    await drawer.getByLabel(`指标${other}权重`).fill(String(otherWeight - 5));
    await drawer.getByText('权重合计 100 / 100').waitFor();
    await drawer.getByLabel(/修订说明/).fill('提高到点工作完成率权重');
    await drawer.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText(`已保存为第${active.version + 1}版并启用`).waitFor();
    expect(posted).toBe(1);
    const after = await json<Scheme[]>(page, `/api/assessment/schemes?year=${year}`);
    const now = after.find((s) => s.active)!;
    expect(now.version).toBe(active.version + 1);
    expect(now.content.indicators[0]!.weight).toBe(first + 5);
    await page.getByText(`第${now.version}版 ·`).first().waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a run gives results with bands and a breakdown; a proposal is recorded with a reason, never applied', async () => {
    const ctx = await b.context(1440);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, 'admin');
    await page.goto(`${base}/assessment?tab=results`);
    await page.getByText('仅供组织部门内部掌握').waitFor();

    await page
      .getByRole('button', { name: /开始计算/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /开始计算/ }).click();
    await page.getByText(/计算完成：\d+\/\d+个结对已评定/).waitFor({ timeout: 150_000 });

    const runs = await json<{ id: number; scored: number }[]>(page, `/api/assessment/runs?year=${year}`);
    const run = runs.reduce((a, r) => (r.id > a.id ? r : a));
    expect(run.scored).toBeGreaterThan(0);
    const top = await json<Results>(page, `/api/assessment/runs/${run.id}/results?level=pairing&pageSize=1`);
    const best = top.items[0]!;
    expect(best.score).not.toBeNull();
    const firstRow = page.locator('.ant-table-row').filter({ hasText: best.name }).first();
    await firstRow.waitFor();
    await firstRow.getByText(String(best.score), { exact: true }).waitFor();
    await firstRow.getByText(best.bandLabel!, { exact: true }).waitFor();
    // The chart of the bands is drawn.
    await page.locator('[role="img"][aria-label^="各等次数量"] canvas').first().waitFor();
    await firstRow.getByRole('button', { name: '展开行' }).click();
    await page.locator('.ant-table-expanded-row').getByText('到点工作完成率').waitFor();
    await shotBoth(page, 'assessment-results');

    // A helper's 民主评议 grade, proposed with a reason (refused without one).
    await page.locator('.ant-segmented-item').filter({ hasText: '帮扶人' }).click();
    const helpers = await json<Results>(
      page,
      `/api/assessment/runs/${run.id}/results?level=helper&pageSize=1`,
    );
    const helper = helpers.items[0]!;
    await page
      .getByRole('button', { name: `为${helper.name}记录建议` })
      .first()
      .click();
    const decide = page.getByRole('dialog');
    await decide.getByText('系统不会自动执行').waitFor();
    await decide.getByLabel(/^\*?\s*建议$/).click();
    await option(page, /^优秀$/).click();
    await decide.getByRole('button', { name: /记\s*录/ }).click();
    await decide.getByText('请写明理由').waitFor();
    const reason = `全年到点工作全部完成，群众评价好，建议评为优秀（${Date.now() % 100000}）。`;
    await decide.getByLabel(/理由/).fill(reason);
    await decide.getByRole('button', { name: /记\s*录/ }).click();
    await page.getByText('建议已记录（不自动执行）').waitFor();

    const decisions = await json<
      { memberId: number | null; value: string; reason: string; applied: boolean; runId: number | null }[]
    >(page, `/api/assessment/decisions?year=${year}`);
    const recorded = decisions.find((d) => d.reason === reason);
    expect(recorded).toMatchObject({
      memberId: helper.id,
      value: 'excellent',
      applied: false,
      runId: run.id,
    });

    await page.getByRole('tab', { name: '评议评选建议' }).click();
    await page.getByText(reason).waitFor();
    await page.getByText('未执行，仅为建议').first().waitFor();
    await page.getByText(/系统从不自动执行/).waitFor();
    await shotBoth(page, 'assessment-decisions');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('surveys: the link is copied, a new one opened and closed, and the public form answered on a phone', async () => {
    const ctx = await b.context(1440);
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, 'admin');
    const demo = (await json<Survey[]>(page, `/api/assessment/surveys?year=${year}`)).find((s) => s.open)!;
    expect(demo, 'the demo’s open survey').toBeDefined();

    await page.goto(`${base}/assessment?tab=surveys`);
    const row = page.locator('.ant-table-row').filter({ hasText: demo.title });
    await row.getByText(`共${demo.responses.total}份`).waitFor();
    await row.getByRole('button', { name: `复制“${demo.title}”的填写链接` }).click();
    await page.getByText('链接已复制').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`${base}${demo.url}`);
    await shotBoth(page, 'assessment-surveys');

    // The public form, on a phone, without signing in.
    const phone = await (await b.context(360)).newPage();
    await phone.goto(`${base}${demo.url}`);
    await phone.getByText(demo.title).first().waitFor();
    await shot(phone, 'survey-public');
    await phone.getByLabel('满意', { exact: true }).check();
    await phone.getByRole('button', { name: '提交' }).click();
    await phone.getByText('提交成功，感谢您的参与！').waitFor();
    await phone.context().close();
    await page.reload();
    await row.getByText(`共${demo.responses.total + 1}份`).waitFor();

    // A new survey of the first township's first village, then closed early.
    const shuji = await (await b.context(1440)).newPage();
    await signIn(shuji, base, 'shuji');
    const village = await json<Me>(shuji, '/api/auth/me');
    await shuji.context().close();
    await page.getByRole('button', { name: /发起测评/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: '村（党组织）' }).click();
    await pickOrg(page, village.orgName);
    await dialog.getByRole('button', { name: /发\s*起/ }).click();
    await page.getByText(/^已发起：/).waitFor();
    const opened = (await json<Survey[]>(page, `/api/assessment/surveys?year=${year}`)).find(
      (s) => s.open && s.title.includes(village.orgName),
    )!;
    expect(opened, 'the new survey').toBeDefined();
    await page.getByRole('button', { name: `结束“${opened.title}”` }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /结\s*束/ })
      .click();
    await page.getByText('测评已结束').waitFor();
    await page.locator('.ant-table-row').filter({ hasText: opened.title }).getByText('已提前结束').waitFor();
    const closed = (await json<Survey[]>(page, `/api/assessment/surveys?year=${year}`)).find(
      (s) => s.id === opened.id,
    )!;
    expect(closed.open).toBe(false);
    expect(closed.closedAt).not.toBeNull();
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
