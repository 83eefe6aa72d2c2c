/**
 * Real Chromium for page tests: Debian's `chromium` driven by `playwright-core`, a fresh profile
 * per session, screenshots under test-artifacts/screenshots (git-ignored), and a record of what
 * the browser complained about (script errors, Content Security Policy violations).
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '../../test-artifacts/screenshots');
export const DESKTOP = { width: 1280, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Script errors and console errors (CSP violations among them) seen so far. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Launches Chromium with a profile of its own; `close()` deletes the profile. */
export async function openBrowser({ javaScript = true }: { javaScript?: boolean } = {}): Promise<BrowserSession> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'baocao-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: DESKTOP,
    javaScriptEnabled: javaScript,
    acceptDownloads: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  context.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const watch = (page: Page): void => {
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  };
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  watch(page);
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** `url` with `lang` set, keeping its other query parameters. */
export function withLang(url: string, lang: 'vi' | 'en'): string {
  const u = new URL(url);
  u.searchParams.set('lang', lang);
  return u.toString();
}

/** A full-page screenshot of what the page shows now, as `<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Screenshots of the page at `url` in both languages, on a desktop and at phone width:
 * `<name>-vi-desktop.png`, `<name>-en-phone.png`, … The page is left in Vietnamese at desktop width.
 */
export async function screenshotViews(page: Page, url: string, name: string): Promise<void> {
  for (const lang of ['vi', 'en'] as const) {
    for (const [size, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.goto(withLang(url, lang));
      await screenshot(page, `${name}-${lang}-${size}`);
    }
  }
  await page.setViewportSize(DESKTOP);
  await page.goto(withLang(url, 'vi'));
}

/** Signs in to the console with a personal token. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.getByLabel(/Mã truy cập cá nhân|Personal access token/).fill(token);
  await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/sign-in'));
}

/**
 * CSP violations and script errors, which a page test expects to be none. (Chromium also logs
 * every page answered with an error status, which some tests ask for on purpose.)
 */
export const pageProblems = (session: BrowserSession): string[] =>
  session.problems.filter(
    (p) => !/Failed to load resource: the server responded with a status of (400|401|403|404|409|410)/.test(p),
  );

/** Waits until `locator` (its first match) shows `expected`; answers its text. */
export async function expectText(locator: Locator, expected: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: string;
    try {
      last = await locator.first().innerText({ timeout: 1_000 });
    } catch {
      last = '<not found>';
    }
    if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`expected ${String(locator)} to show ${String(expected)}; it shows: ${last.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
