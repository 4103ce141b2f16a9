/** The dashboard in Chromium against the built hub: live alerts, the priority filter, and the filter in the URL. */
import { randomUUID } from 'node:crypto';
import { prioritiesAtLeast } from '@harrier/alert';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { falcoAlert } from '../support/alerts.js';
import { useDashboard } from '../support/browser.js';
import { postAlert, type HubProcess } from '../support/hub.js';

describe('dashboard', () => {
  const session = useDashboard();
  let hub: HubProcess;
  let page: Page;
  beforeAll(() => {
    ({ hub, page } = session);
  });

  const uniqueRule = (label: string) => `E2E ${label} ${randomUUID().slice(0, 8)}`;
  const rowsOf = (rule: string) => page.locator(`[data-testid="alert-row"][data-rule="${rule}"]`);
  const waitUntilLive = () => page.locator('[data-testid="connection-status"]', { hasText: 'live' }).waitFor();
  const shownPriorities = async () => {
    const priorities: (string | null)[] = [];
    for (const row of await page.locator('[data-testid="alert-row"]').all()) {
      priorities.push(await row.getAttribute('data-priority'));
    }
    return priorities;
  };

  it('explains how to connect Falco, then shows a posted alert as text without a reload', async () => {
    await page.goto(hub.url);
    await page.getByText('No alerts yet').waitFor();
    const setup = await page.locator('pre').textContent();
    expect(setup).toContain('json_output: true');
    expect(setup).toContain('http_output:');
    expect(setup).toContain(`url: "${hub.url}/"`);
    await waitUntilLive();
    await page.evaluate('window.__samePage = true');

    const rule = uniqueRule('live');
    const output = '<img src=x onerror="window.__injected = true"> shell in web-1';
    await postAlert(hub.url, falcoAlert({ rule, priority: 'Notice', output }));

    const row = rowsOf(rule);
    await row.waitFor();
    expect(await row.getAttribute('data-priority')).toBe('Notice');
    const text = await row.textContent();
    expect(text).toContain(output);
    expect(text).toContain('default / web-1');
    expect(await row.locator('img').count()).toBe(0);
    expect(await page.evaluate('window.__injected')).toBeUndefined();
    expect(await page.evaluate('window.__samePage')).toBe(true);
  });

  it('keeps a minimum-priority filter for live alerts, history and across a reload', async () => {
    await page.goto(hub.url);
    await waitUntilLive();
    const notice = uniqueRule('notice');
    await postAlert(hub.url, falcoAlert({ rule: notice, priority: 'Notice' }));
    await rowsOf(notice).waitFor();

    await page.selectOption('[data-testid="filter-priority"]', { label: 'Error' });
    await page.waitForURL((url) => url.searchParams.get('priority') === 'error');
    await rowsOf(notice).waitFor({ state: 'detached' });
    await waitUntilLive();

    const warning = uniqueRule('warning');
    const critical = uniqueRule('critical');
    await postAlert(hub.url, falcoAlert({ rule: warning, priority: 'Warning' }));
    await postAlert(hub.url, falcoAlert({ rule: critical, priority: 'Critical' }));
    await rowsOf(critical).waitFor();
    expect(await rowsOf(warning).count()).toBe(0);

    await page.reload();
    await rowsOf(critical).waitFor();
    expect(await page.inputValue('[data-testid="filter-priority"]')).toBe('error');
    expect(new URL(page.url()).searchParams.get('priority')).toBe('error');
    expect(await rowsOf(warning).count()).toBe(0);
    const allowed: readonly string[] = prioritiesAtLeast('Error');
    const shown = await shownPriorities();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((priority) => !allowed.includes(priority ?? ''))).toEqual([]);

    // The reloaded page subscribes with the filter from the URL.
    await waitUntilLive();
    const laterWarning = uniqueRule('later warning');
    const laterError = uniqueRule('later error');
    await postAlert(hub.url, falcoAlert({ rule: laterWarning, priority: 'Warning' }));
    await postAlert(hub.url, falcoAlert({ rule: laterError, priority: 'Error' }));
    await rowsOf(laterError).waitFor();
    expect(await rowsOf(laterWarning).count()).toBe(0);
  });
});
