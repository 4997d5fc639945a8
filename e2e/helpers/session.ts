import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from './server.ts';

const SHOTS = join(process.cwd(), 'test-results', 'screenshots');
const DOCS_SHOTS = join(process.cwd(), 'docs', 'screenshots');

/** Signs in through the sign-in screen as a user does, and waits until the app has left it. */
export async function signIn(page: Page, base: string, account: string, password = DEMO_PASSWORD) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel(/账号或手机号|Account or phone/).fill(account);
  await page.getByLabel(/^密码$|^Password$/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: 20_000 });
}

/**
 * Saves a full-page screenshot as test-results/screenshots/<name>-<width>.png; with
 * UPDATE_SCREENSHOTS=1 also into docs/screenshots/ (the set the docs keep).
 */
export async function shot(page: Page, name: string) {
  const width = page.viewportSize()?.width ?? 0;
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}-${width}.png`);
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SHOTS, { recursive: true });
    copyFileSync(file, join(DOCS_SHOTS, `${name}-${width}.png`));
  }
  return file;
}

/** Fails the test on a script error in the page (collected while it runs). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}
