import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_COUNTY_CODE } from '../src/db/seeds/demo/index.ts';
import { type BrowserHandle, launchBrowser } from './helpers/browser.ts';
import { shot, signIn, watchErrors } from './helpers/session.ts';

const base = inject('appUrl');
let b: BrowserHandle;
beforeAll(async () => {
  b = await launchBrowser();
});
afterAll(async () => {
  await b?.close();
});

describe('sign-in', () => {
  it.each([
    ['admin', '县委组织部管理员', ['审计日志', '用户与角色', '方案审核']],
    ['shenji', '审计员', ['审计日志']],
    ['zhen', '党(工)委工作人员', ['方案审核', '督查检查']],
    ['shuji', '党支部书记', ['登记走访', '三联共建']],
    ['dangyuan', '党员', ['登记走访']],
    ['lingdao', '党员', ['登记走访', '三联共建']],
  ])('%s signs in and sees the menu of the role %s', async (account, role, menu) => {
    const ctx = await b.context(1440);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, account);
    for (const item of menu) await page.getByRole('menuitem', { name: item }).waitFor();
    await page.getByRole('button', { name: /账号菜单/ }).click();
    await page.getByText(role, { exact: false }).first().waitFor();
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the address the README gives, the bare root, opens the sign-in screen and then the home page', async () => {
    const ctx = await b.context(1440);
    const page = await ctx.newPage();
    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    await page.waitForURL((u) => u.pathname.startsWith('/sign-in'));
    await page.getByLabel(/账号或手机号/).waitFor();
    await signIn(page, base, 'admin');
    await page.goto(`${base}/`);
    await page.getByText(/您好/).waitFor();
    await ctx.close();
  });

  it('a phone opens the app and a public page cleanly: no console error or warning, no failed request, one main, no sideways scroll', async () => {
    const ctx = await b.context(360);
    const page = await ctx.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${base}/`);
    await page.getByLabel(/账号或手机号/).waitFor();
    const layout = async () =>
      page.evaluate(
        '({ mains: document.querySelectorAll("main").length, scroll: document.documentElement.scrollWidth, width: innerWidth, margin: getComputedStyle(document.body).margin })',
      ) as Promise<{ mains: number; scroll: number; width: number; margin: string }>;
    const signInLayout = await layout();
    expect(signInLayout.margin).toBe('0px');
    expect(signInLayout.scroll).toBeLessThanOrEqual(signInLayout.width);
    await signIn(page, base, 'shuji');
    await page.getByText(/您好/).waitFor();
    await page.waitForLoadState('networkidle');
    const home = await layout();
    expect(home.mains).toBe(1);
    expect(home.scroll).toBeLessThanOrEqual(home.width);

    const notices = await page.request.get(`${base}/api/public/notices?county=${DEMO_COUNTY_CODE}`);
    const id = (await notices.json()).items[0].id as number;
    await page.goto(`${base}/public/notices/${id}?county=${DEMO_COUNTY_CODE}`);
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    await ctx.close();
  });

  it('a wrong password is refused in plain Chinese, next to nothing else changing', async () => {
    const ctx = await b.context(360);
    const page = await ctx.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('账号或手机号').fill('zhen');
    await page.getByLabel(/^密码$/).fill('not-the-password-1');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('alert').getByText('账号或密码错误').waitFor();
    expect(page.url()).toContain('/sign-in');
    await shot(page, 'sign-in-error');
    await ctx.close();
  });

  it('the language switch is remembered', async () => {
    const ctx = await b.context(1440);
    const page = await ctx.newPage();
    await page.goto(`${base}/sign-in`);
    await shot(page, 'sign-in');
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await ctx.close();
  });

  it('a user sets a new password with the reset code an administrator gave, then signs in with it', async () => {
    const ctx = await b.context(360);
    const page = await ctx.newPage();
    await signIn(page, base, 'admin');
    const me = (await (await page.request.get(`${base}/api/auth/me`)).json()) as {
      csrfToken: string;
      orgId: number;
    };
    const headers = { 'x-csrf-token': me.csrfToken, origin: base };
    const username = `reset${Date.now() % 100000}`;
    const created = await page.request.post(`${base}/api/users`, {
      headers,
      data: { username, displayName: '重置测试', orgId: me.orgId, role: 'auditor' },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { user } = (await created.json()) as { user: { id: number } };
    const issued = await page.request.post(`${base}/api/users/${user.id}/password-reset`, {
      headers,
      data: {},
    });
    expect(issued.status(), await issued.text()).toBe(200);
    const { token } = (await issued.json()) as { token: string };
    await ctx.close();

    const visitor = await b.context(360);
    const p = await visitor.newPage();
    await p.goto(`${base}/sign-in`);
    await p.getByRole('link', { name: /已有重置码/ }).click();
    await p.getByLabel('重置码').fill(token);
    await p.getByLabel(/^新密码$/).fill('123456');
    await p.getByLabel('再次输入新密码').fill('123456');
    await p.getByRole('button', { name: /设置新密码/ }).click();
    await p.getByText('密码至少10个字符').waitFor();
    await shot(p, 'reset-password');
    const fresh = 'Qingshan-reset-2026!';
    await p.getByLabel(/^新密码$/).fill(fresh);
    await p.getByLabel('再次输入新密码').fill(fresh);
    await p.getByRole('button', { name: /设置新密码/ }).click();
    await p.getByText('新密码已设置').waitFor();
    await signIn(p, base, username, fresh);
    expect(new URL(p.url()).pathname).not.toBe('/sign-in');
    await visitor.close();
  });
});
