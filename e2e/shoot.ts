/**
 * Looks at a screen as a user would: `node bin/run-ts.js e2e/shoot.ts <base-url> <path> <360|1440> [account] [out.png]`
 * signs in with the demo password (GONGJIAN_DEMO_PASSWORD) when an account is given, and saves a full-page PNG.
 */
import { launchBrowser } from './helpers/browser.ts';

const [base = 'http://localhost:3000', path = '/', widthArg = '1440', account, out = 'shot.png'] =
  process.argv.slice(2);
const width = widthArg === '360' ? 360 : 1440;
const b = await launchBrowser();
try {
  const ctx = await b.context(width);
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') console.error('console:', m.text());
  });
  page.on('pageerror', (e) => console.error('pageerror:', e.message));
  if (account) {
    await page.goto(`${base}/sign-in`);
    await page.getByLabel(/账号|Account/).fill(account);
    await page.getByLabel(/^密码|^Password/).fill(process.env.GONGJIAN_DEMO_PASSWORD ?? '');
    await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: 15_000 });
  }
  await page.goto(`${base}${path}`);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(Number(process.env.SHOOT_WAIT ?? 500));
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  await b.close();
}
