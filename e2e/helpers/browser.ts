import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium; override with CHROMIUM_PATH. `npx playwright install` cannot download here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface BrowserHandle {
  browser: Browser;
  /** A fresh context (cookies, storage) at a viewport: 360 px phone or 1440 px desk. */
  context(width: 360 | 1440, options?: { offline?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserHandle> {
  // Playwright gives each launch a new empty profile of its own.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  return {
    browser,
    context: (width, options) =>
      browser.newContext({
        viewport: width === 360 ? { width: 360, height: 760 } : { width: 1440, height: 900 },
        deviceScaleFactor: 1,
        isMobile: width === 360,
        hasTouch: width === 360,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        ...(options?.offline ? { offline: true } : {}),
      }),
    async close() {
      await browser.close();
    },
  };
}
