import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeIdNumber } from '../src/domain/idcard.ts';
import { type BrowserHandle, launchBrowser } from './helpers/browser.ts';
import { shot, signIn, watchErrors } from './helpers/session.ts';

const base = inject('appUrl');
let b: BrowserHandle;
let dir: string;
beforeAll(async () => {
  b = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'gj-e2e-import-'));
});
afterAll(async () => {
  await b?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const json = async <T>(page: Page, path: string) =>
  (await (await page.request.get(`${base}${path}`)).json()) as T;

describe('organisations', () => {
  it.each([1440, 360] as const)(
    'at %i px the tree opens level by level, search finds a branch, and a page shows counts, charts and pairings',
    async (width) => {
      const ctx = await b.context(width);
      const page = await ctx.newPage();
      const errors = watchErrors(page);
      await signIn(page, base, 'admin');
      await page.goto(`${base}/orgs`);
      const tree = page.getByRole('tree');
      await tree.getByText('高桥镇党委', { exact: true }).waitFor();

      // Search reaches a branch below levels not yet opened, and "locate" opens the tree down to it.
      await page.getByLabel('查找组织（名称或简称）').fill('长寿村');
      await page.getByRole('button', { name: /查\s*找/ }).click();
      await page.getByRole('link', { name: '中共青山县城关镇长寿村支部委员会' }).waitFor();
      await page.getByRole('button', { name: /在树中定位 中共青山县城关镇长寿村/ }).click();
      await tree.getByText('长寿村党支部', { exact: true }).waitFor();
      await shot(page, 'orgs');

      // The keyboard walks the tree and Enter opens a node's page.
      if (width === 1440) {
        await tree.focus();
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/orgs\/\d+$/);
        await page.getByText('党员结构').waitFor();
        await page.goBack();
        await tree.getByText('高桥镇党委', { exact: true }).waitFor();
      }

      // A click opens a node's page.
      await tree.getByText('高桥镇党委', { exact: true }).click();
      await page.waitForURL(/\/orgs\/\d+$/);
      await page.getByRole('heading', { name: '中共青山县高桥镇委员会' }).waitFor();
      for (const chart of ['性别', '年龄', '学历']) {
        await page.locator(`[role="img"][aria-label^="${chart}："] canvas`).first().waitFor();
      }
      const pairing = page.locator('a[href^="/pairings/"]').first();
      await pairing.waitFor();
      await page
        .getByText(/进度正常|进度滞后|未开始/)
        .first()
        .waitFor();
      await shot(page, 'org-page');
      expect(errors).toEqual([]);
      await ctx.close();
    },
  );
});

describe('members', () => {
  it.each([1440, 360] as const)(
    'at %i px the list filters by needy members, and "show" reveals one row in full, audited',
    async (width) => {
      const ctx = await b.context(width);
      const page = await ctx.newPage();
      const errors = watchErrors(page);
      await signIn(page, base, 'admin');
      await page.goto(`${base}/members`);
      await page
        .getByText(/共 \d+ 人/)
        .first()
        .waitFor();
      const all = await json<{ total: number }>(page, '/api/members?pageSize=1');

      if (width === 360) await page.getByRole('button', { name: /筛选条件/ }).click();
      await page.getByLabel('困难党员').click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: /^是$/ })
        .click();
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await page.waitForURL(/needy=true/);
      const needy = await json<{ total: number }>(page, '/api/members?pageSize=1&needy=true');
      expect(needy.total).toBeGreaterThan(0);
      expect(needy.total).toBeLessThan(all.total);
      await page.getByText(`共 ${needy.total} 人`).first().waitFor();

      // Masked until asked; the show reveals that row only.
      const masked = page.getByText(/^\d{6}\*{8}[\dX]{4}$/);
      await masked.first().waitFor();
      const before = await masked.count();
      await page
        .getByRole('button', { name: /^显示.+的完整身份证号和电话$/ })
        .first()
        .click();
      await page
        .getByText(/^\d{17}[\dX]$/)
        .first()
        .waitFor();
      expect(await masked.count()).toBe(before - 1);
      await shot(page, 'members');

      const audit = await json<{ items: { action: string }[] }>(
        page,
        '/api/audit?action=member.unmask&pageSize=5',
      );
      expect(audit.items.length).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await ctx.close();
    },
  );
});

describe('importing members', () => {
  /** Two good rows, then a wrong check digit (row 4), a missing name (row 5), an impossible date (row 6). */
  async function badSheet(tag: string) {
    // Birth dates of this run, so the good rows are new people whatever ran before on this database.
    const n = Math.floor(Date.now() / 1000);
    const born = (k: number) =>
      new Date(Date.UTC(1960 + ((n + k) % 40), (n + k) % 12, 1 + ((n + 3 * k) % 28)))
        .toISOString()
        .slice(0, 10);
    const id = (k: number) => makeIdNumber('369901', born(k), 100 + ((n + k) % 800));
    const wrong = id(3);
    const branch = '中共青山县城关镇长寿村支部委员会';
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('花名册');
    sheet.addRow(['姓名', '公民身份号码', '所在党支部', '入党时间']);
    sheet.addRow([`${tag}甲`, id(1), branch, '2010-07-01']);
    sheet.addRow([`${tag}乙`, id(2), branch, '2015-06-30']);
    sheet.addRow([
      `${tag}丙`,
      `${wrong.slice(0, 17)}${wrong.endsWith('0') ? '1' : '0'}`,
      branch,
      '2012-01-01',
    ]);
    sheet.addRow(['', id(4), branch, '2001-07-01']);
    sheet.addRow([`${tag}丁`, id(5), branch, '2020-02-30']);
    const file = join(dir, `${tag}.xlsx`);
    await workbook.xlsx.writeFile(file);
    return file;
  }

  /** The text of the cell under `header` in the preview row numbered `row` (null: no such row shown). */
  const cell = async (page: Page, row: number, header: string) => {
    const heads = (await page.locator('thead th').allTextContents()).map((h) => h.trim());
    const tr = page
      .locator('tbody tr')
      .filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${row}$`) }) });
    if ((await tr.count()) === 0) return null;
    return tr.first().locator('td').nth(heads.indexOf(header)).textContent();
  };

  it('a dry run shows each bad row with its error in the cell concerned, and saves nothing; the import then saves the good rows only', async () => {
    const tag = `导入测${Date.now() % 100000}`;
    const file = await badSheet(tag);

    // On a phone: each bad row is a card with the error under its field.
    const phone = await b.context(360);
    const p = await phone.newPage();
    await signIn(p, base, 'admin');
    await p.goto(`${base}/members/import`);
    await p.locator('input[type=file]').setInputFiles(file);
    await p.getByRole('button', { name: /检查文件/ }).click();
    await p.getByText(/检查完毕：3 行有错误/).waitFor();
    const card = (n: number) => p.getByRole('listitem').filter({ hasText: `第 ${n} 行` });
    await card(5).getByText('姓名不能为空').waitFor();
    await shot(p, 'import-preview');
    await phone.close();

    const ctx = await b.context(1440);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, 'admin');
    await page.goto(`${base}/members/import`);
    await shot(page, 'import');
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: /检查文件/ }).click();
    await page.getByText(/检查完毕：3 行有错误/).waitFor();

    // Rows with errors first (the switch shows every row): each error in place, by row number and column.
    expect(await cell(page, 4, '公民身份号码')).toContain('身份证号校验位错误');
    expect(await cell(page, 5, '姓名')).toContain('姓名不能为空');
    expect(await cell(page, 6, '入党时间')).toMatch(/2020-02-30.*不存在/);
    expect(await cell(page, 6, '姓名')).toBe(`${tag}丁`);
    expect(await cell(page, 2, '姓名')).toBeNull();
    await page.getByText('只看有错误的行').click();
    expect(await cell(page, 2, '姓名')).toBe(`${tag}甲`);
    expect(await page.getByRole('img', { name: '有错误' }).count()).toBe(3);
    await shot(page, 'import-preview');

    // A dry run keeps nothing.
    const found = () =>
      json<{ total: number }>(page, `/api/members?q=${encodeURIComponent(tag)}&category=all`);
    expect((await found()).total).toBe(0);

    // The real import saves the two good rows and offers the error workbook.
    await page.getByRole('button', { name: /导入正确的 2 行/ }).click();
    await page.getByRole('button', { name: /^导\s*入$/ }).click();
    await page.getByText('导入完成：新增 2，更新 0').waitFor();
    expect((await found()).total).toBe(2);
    const href = await page.getByRole('link', { name: /下载错误表/ }).getAttribute('href');
    expect(href).toMatch(/^\/api\/imports\/errors\/[0-9a-f]{32}\.xlsx$/);
    const download = await page.request.get(`${base}${href}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toContain('spreadsheetml');
    await shot(page, 'import-done');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});

describe('administration', () => {
  it.each([1440, 360] as const)(
    'at %i px an admin sees the accounts with their roles and searches the audit log',
    async (width) => {
      const ctx = await b.context(width);
      const page = await ctx.newPage();
      const errors = watchErrors(page);
      await signIn(page, base, 'admin');
      await page.goto(`${base}/users`);
      await page.getByText('shuji').first().waitFor();
      await page.getByText('党支部书记').first().waitFor();
      await shot(page, 'users');

      await page.goto(`${base}/audit`);
      // Acts and objects read in words; the codes stay for search and the export.
      await page.getByText('登录', { exact: true }).first().waitFor();
      expect(await page.locator('body').innerText()).not.toContain('auth.sign_in');
      if (width === 360) await page.getByRole('button', { name: /筛选条件/ }).click();
      await page.getByLabel(/^动作/).fill('auth.');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await page
        .getByText(/共 \d+ 条/)
        .first()
        .waitFor();
      const exportLink = page.getByRole('link', { name: /导出 Excel/ });
      await expect
        .poll(() => exportLink.getAttribute('href'), { timeout: 10_000 })
        .toBe('/api/audit/export?action=auth.');
      await shot(page, 'audit');
      expect(errors).toEqual([]);
      await ctx.close();
    },
  );

  it('an admin creates an account and sees its one-time password once', async () => {
    const ctx = await b.context(1440);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, 'admin');
    await page.goto(`${base}/users`);
    await page.getByRole('button', { name: /新建账号/ }).click();
    const dialog = page.getByRole('dialog');
    const username = `clerk${Date.now() % 100000}`;
    await dialog.getByLabel('账号名').fill(username);
    await dialog.getByLabel('姓名').fill('测试文员');
    await dialog.getByLabel(/所属组织/).click();
    await page.keyboard.type('城关镇党委');
    await page
      .locator('.ant-select-tree-node-content-wrapper')
      .filter({ hasText: '中共青山县城关镇委员会' })
      .click();
    await dialog.getByLabel('角色').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '党(工)委工作人员' })
      .click();
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await page.getByText(`账号 ${username} 已创建`).waitFor();
    await page.getByText('只显示这一次，关闭后无法再查看').waitFor();
    await page.getByRole('button', { name: '我已记下' }).click();
    await page.getByRole('cell', { name: username, exact: true }).waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
