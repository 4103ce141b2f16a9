/** Headless Debian Chromium through playwright-core (never a downloaded browser), and screenshots of the views. */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startHubProcess, type HubProcess } from './hub.js';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Where browser tests save screenshots; ignored by git. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../e2e/test-artifacts/', import.meta.url));

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface BrowserPage {
  page: Page;
  /** Uncaught errors thrown in the page so far. */
  errors: string[];
}

/** A page that fails within a test's timeout with Playwright's message, and records uncaught page errors. */
export async function openPage(browser: Browser): Promise<BrowserPage> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

/** Saves `test-artifacts/<name>-light.png` and `-dark.png` of what the page shows now. */
export async function screenshotBothSchemes(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `${ARTIFACTS_DIR}${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: null });
}

export interface DashboardSession {
  readonly hub: HubProcess;
  readonly page: Page;
}

/**
 * Registers the hooks every dashboard suite needs: the built hub as a process (environment from `env`, run first),
 * Chromium with one page, the hub's output printed when a test fails, no uncaught page error after any test.
 */
export function useDashboard(
  env: () => Promise<Record<string, string>> | Record<string, string> = () => ({}),
): DashboardSession {
  let hub: HubProcess | undefined;
  let browser: Browser | undefined;
  let opened: BrowserPage | undefined;

  beforeAll(async () => {
    hub = await startHubProcess({ env: await env() });
    browser = await launchChromium();
    opened = await openPage(browser);
  });

  afterEach((context) => {
    if (context.task.result?.state === 'fail') console.error(`hub output:\n${hub?.logs() ?? ''}`);
    expect(opened?.errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  return {
    get hub() {
      return hub!;
    },
    get page() {
      return opened!.page;
    },
  };
}
