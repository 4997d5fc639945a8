import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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

describe.each([1440, 360] as const)('the home page and the dashboard at %i px', (width) => {
  it('the county administrator’s home shows what needs them, each number linking to the list behind it', async () => {
    const ctx = await b.context(width);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, 'admin');
    await page.getByText('待我审核的方案').waitFor();
    const home = (await (await page.request.get(`${base}/api/home`)).json()) as {
      reviews: { waiting: number };
      compliance: { behindPace: number };
    };
    const reviews = page.getByRole('link', { name: `待我审核的方案 ${home.reviews.waiting}` });
    await reviews.waitFor();
    await page.getByRole('link', { name: `进度滞后的结对 ${home.compliance.behindPace}` }).waitFor();
    await shot(page, 'home');
    await reviews.click();
    await page.waitForURL(/\/reviews/);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('the dashboard shows the seed-000 headline, three charts and the laggards', async () => {
    const ctx = await b.context(width);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    await signIn(page, base, 'admin');
    await page.goto(`${base}/dashboard`);
    await page.getByText(/名党员领导干部参与“领导联点”/).waitFor();
    await page.locator('canvas').nth(2).waitFor({ timeout: 20_000 });
    expect(await page.locator('canvas').count()).toBeGreaterThanOrEqual(3);
    const summary = (await (await page.request.get(`${base}/api/reports/summary`)).json()) as {
      headline: string;
    };
    await page.getByText(summary.headline).waitFor();
    await page.getByText('滞后与未完成的结对').waitFor();
    await shot(page, 'dashboard');
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('a township organiser’s home counts their own township; the English switch turns it to English', async () => {
    const ctx = await b.context(width);
    const page = await ctx.newPage();
    await signIn(page, base, 'zhen');
    await page.getByText('待我整改', { exact: true }).waitFor();
    await shot(page, 'home-township');
    await page.getByText('EN', { exact: true }).click();
    await page.getByText('Plans to review').waitFor();
    await page.getByText('Pairings I carry out').waitFor();
    await ctx.close();
  });
});
