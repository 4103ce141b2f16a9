/**
 * The overview, details, export, rules and search in Chromium against the built hub on a real Redis, with a
 * webhook output whose receiver fails, so deliveries have something to report.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Alert } from '@harrier/alert';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, status, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { falcoAlert } from '../support/alerts.js';
import { screenshotBothSchemes, useDashboard } from '../support/browser.js';
import { postAlert, writeConfigFile, type HubProcess } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const OUTPUT = 'e2e-failing-hook';
const DEFAULT_RULES = fileURLToPath(new URL('../../packages/engine/rules/harrier_rules.yaml', import.meta.url));
const MOUNT_RULE = 'Harrier: Pod Mounts Sensitive Host Path';

describe('dashboard views on Redis', () => {
  let redis: TestRedis;
  let rulesFile: string;
  let receiver: Receiver;
  const session = useDashboard(async () => {
    redis = await startRedis();
    receiver = await startReceiver();
    receiver.respond(status(400, {}, 'rejected by e2e receiver'));
    const config = await writeConfigFile(
      [
        'outputs:',
        `  - name: ${OUTPUT}`,
        '    type: webhook',
        `    address: ${receiver.url}/falco`,
        '    attempts: 1',
      ].join('\n'),
    );
    // A copy of the default rules the test can break, to see a failed reload reported with file:line.
    rulesFile = path.join(path.dirname(config), 'rules.yaml');
    await copyFile(DEFAULT_RULES, rulesFile);
    return { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix, CONFIG_FILE: config, RULES_FILES: rulesFile };
  });
  let hub: HubProcess;
  let page: Page;
  beforeAll(() => {
    ({ hub, page } = session);
  });
  afterAll(async () => {
    await receiver?.close();
    await redis?.stop();
  });

  const alertsWhere = async (query: string): Promise<Alert[]> => {
    const response = await fetch(`${hub.url}/api/v1/alerts?${query}`);
    return ((await response.json()) as { alerts: Alert[] }).alerts;
  };
  const unique = (label: string) => `e2e-${label}-${randomUUID().slice(0, 8)}`;
  const inNamespace = (rule: string, namespace: string, overrides: Record<string, unknown> = {}) =>
    falcoAlert({ rule, output_fields: { 'k8s.ns.name': namespace, 'k8s.pod.name': 'web-1' }, ...overrides });

  it('overview counts the filtered alerts, updates live, and a click on a top value or a bar filters', async () => {
    const namespace = unique('overview');
    const busy = unique('busy-rule');
    const rare = unique('rare-rule');
    for (let i = 0; i < 3; i++) await postAlert(hub.url, inNamespace(busy, namespace, { priority: 'Error' }));
    await postAlert(hub.url, inNamespace(rare, namespace, { priority: 'Notice' }));

    await page.goto(`${hub.url}/overview?namespace=${namespace}&since=1h`);
    await page.locator('[data-testid="overview-total"]', { hasText: '4' }).waitFor();
    const rules = page.locator('[data-testid="top-rule"] [data-testid="top-item"]');
    expect(await rules.allTextContents()).toEqual([`${busy}3`, `${rare}1`]);
    expect(await page.locator('[data-testid="chart-bar"]').count()).toBeGreaterThan(0);
    await screenshotBothSchemes(page, 'overview');

    // Live: a new matching alert is counted without a reload.
    await page.locator('[data-testid="connection-status"]', { hasText: 'live' }).waitFor();
    await postAlert(hub.url, inNamespace(rare, namespace, { priority: 'Critical' }));
    await page.locator('[data-testid="overview-total"]', { hasText: '5' }).waitFor();

    await rules.filter({ hasText: rare }).click();
    await page.waitForURL((url) => url.searchParams.get('rule') === rare);
    await page.locator('[data-testid="overview-total"]', { hasText: '2' }).waitFor();

    const bar = page.locator('[data-testid="chart-bar"]').last();
    const barCount = /: (\d+) alerts?/.exec((await bar.getAttribute('aria-label')) ?? '')?.[1];
    expect(Number(barCount)).toBeGreaterThan(0);
    await bar.click();
    await page.waitForURL((url) => url.searchParams.has('until'));
    const url = new URL(page.url());
    expect(Date.parse(url.searchParams.get('since')!)).toBeLessThan(Date.parse(url.searchParams.get('until')!));
    await page.locator('[data-testid="overview-total"]', { hasText: new RegExp(`^${barCount}$`) }).waitFor();
    expect(url.searchParams.get('rule')).toBe(rare);

    // The nav carries the filter to the alerts list.
    await page.click('[data-testid="overview-to-alerts"]');
    await page.locator(`[data-testid="alert-row"][data-rule="${rare}"]`).first().waitFor();
    await expect.poll(() => page.locator('[data-testid="alert-row"]').count()).toBe(Number(barCount));
  });

  it('details show the delivery status per output with the last error, and filter by the alert’s rule', async () => {
    const rule = unique('details');
    await postAlert(hub.url, inNamespace(rule, unique('ns')));
    const [stored] = await alertsWhere(`rule=${encodeURIComponent(rule)}`);
    await page.goto(`${hub.url}/?alert=${stored!.id}`);
    const row = page.locator(`[data-testid="delivery-row"][data-output="${OUTPUT}"][data-state="dead"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('rejected by e2e receiver');
    expect(await row.textContent()).toContain('Dead-lettered');
    expect(await page.locator('[data-testid="alert-json"]').textContent()).toContain(stored!.id);
    await screenshotBothSchemes(page, 'alert-details-deliveries');

    await page.click('[data-testid="filter-by-rule"]');
    await page.waitForURL((url) => url.searchParams.get('rule') === rule);
    await page.locator(`[data-testid="alert-row"][data-rule="${rule}"]`).waitFor();
    await expect.poll(() => page.locator('[data-testid="alert-row"]').count()).toBe(1);
  });

  it('export downloads every alert of the filtered set as CSV and JSON', async () => {
    const namespace = unique('export');
    const rules = [unique('export-a'), unique('export-b'), unique('export-c')];
    for (const rule of rules) await postAlert(hub.url, inNamespace(rule, namespace));
    await postAlert(hub.url, inNamespace(unique('not-exported'), unique('ns')));
    await page.goto(`${hub.url}/?namespace=${namespace}`);
    await page.locator('[data-testid="alert-row"]').nth(2).waitFor();

    const download = async (format: string) => {
      const started = page.waitForEvent('download');
      await page.click('[data-testid="export-menu"]');
      await page.click(`[data-testid="export-${format}"]`);
      const file = await started;
      expect(file.suggestedFilename()).toMatch(new RegExp(`^harrier-alerts-.+\\.${format}$`));
      return readFile(await file.path(), 'utf8');
    };
    const csv = (await download('csv')).trimEnd().split('\r\n');
    expect(csv).toHaveLength(1 + rules.length);
    expect(csv.slice(1).map((row) => row.split(',')[3])).toEqual([...rules].reverse());
    const json = JSON.parse(await download('json')) as Alert[];
    expect(json.map((alert) => alert.rule)).toEqual([...rules].reverse());
  });

  it('rules view lists the loaded rules, tests a pasted event, and reports a failed reload with file:line', async () => {
    await page.goto(`${hub.url}/rules`);
    await page.locator(`[data-testid="rule-row"][data-rule="${MOUNT_RULE}"]`).waitFor();
    expect(await page.locator('[data-testid="rules-files"]').textContent()).toContain(rulesFile);
    expect(await page.locator(`[data-testid="rule-row"][data-rule="${MOUNT_RULE}"]`).textContent()).toContain(
      'rules.yaml:',
    );

    await page.getByRole('button', { name: 'Insert an example' }).click();
    await page.click('[data-testid="rule-test-run"]');
    const fired = page.locator(`[data-testid="rule-test-alert"][data-rule="${MOUNT_RULE}"]`);
    await fired.waitFor();
    expect(await fired.textContent()).toContain('/var/run/docker.sock');
    await screenshotBothSchemes(page, 'rules');

    const lines = (await readFile(rulesFile, 'utf8')).split('\n').length;
    await appendFile(
      rulesFile,
      '\n- rule: Broken\n  condition: ka.verb = (\n  output: x\n  priority: WARNING\n  desc: d\n',
    );
    await page.click('[data-testid="rules-reload"]');
    const errors = page.locator('[data-testid="rules-errors"]');
    await errors.waitFor();
    const text = (await errors.textContent()) ?? '';
    expect(text).toMatch(new RegExp(`rules\\.yaml:(${lines + 1}|${lines + 2}|${lines + 3})`));
    // The previous rules stay in force and listed.
    expect(await page.locator(`[data-testid="rule-row"][data-rule="${MOUNT_RULE}"]`).count()).toBe(1);
  });

  it('the search box narrows history and the live list to alerts whose output or rule holds the text', async () => {
    const namespace = unique('search');
    const needle = unique('needle');
    const match = unique('match');
    const other = unique('other');
    await postAlert(hub.url, inNamespace(match, namespace, { output: `Shell in ${needle.toUpperCase()} pod` }));
    await postAlert(hub.url, inNamespace(other, namespace));
    await page.goto(`${hub.url}/?namespace=${namespace}`);
    await page.locator(`[data-testid="alert-row"][data-rule="${other}"]`).waitFor();

    await page.fill('[data-testid="filter-q"]', needle);
    await page.press('[data-testid="filter-q"]', 'Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === needle);
    await page.locator(`[data-testid="alert-row"][data-rule="${other}"]`).waitFor({ state: 'detached' });
    await page.locator(`[data-testid="alert-row"][data-rule="${match}"]`).waitFor();

    await page.locator('[data-testid="connection-status"]', { hasText: 'live' }).waitFor();
    const liveMatch = unique('live-match');
    await postAlert(hub.url, inNamespace(unique('live-other'), namespace));
    await postAlert(hub.url, inNamespace(liveMatch, namespace, { output: `again ${needle}` }));
    await page.locator(`[data-testid="alert-row"][data-rule="${liveMatch}"]`).waitFor();
    await expect.poll(() => page.locator('[data-testid="alert-row"]').count()).toBe(2);
    await screenshotBothSchemes(page, 'alerts-search');
  });

  it('the rule picker offers rules with counts and filters by several at once', async () => {
    const namespace = unique('picker');
    const [a, b, c] = [unique('rule-a'), unique('rule-b'), unique('rule-c')];
    for (const rule of [a, a, b, c]) await postAlert(hub.url, inNamespace(rule, namespace));
    await page.goto(`${hub.url}/?namespace=${namespace}`);
    await page.locator(`[data-testid="alert-row"][data-rule="${c}"]`).waitFor();

    await page.click('[data-testid="filter-rule"]');
    const option = (rule: string) => page.locator(`[data-testid="rule-option"][data-rule="${rule}"]`);
    await option(a).waitFor();
    expect(await option(a).textContent()).toBe(`${a}2`);
    await option(a).locator('input').check();
    await page.waitForURL((url) => url.searchParams.getAll('rule').length === 1);
    await option(b).locator('input').check();
    await page.waitForURL((url) => url.searchParams.getAll('rule').length === 2);
    await screenshotBothSchemes(page, 'alerts-rule-picker');
    await page.keyboard.press('Escape');
    await page.locator(`[data-testid="alert-row"][data-rule="${c}"]`).waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('[data-testid="alert-row"]').count()).toBe(3);
    expect(await page.locator('[data-testid="filter-rule"]').textContent()).toBe('2 rules');
  });

  it('fits a phone-sized screen: nothing but the table scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [view, name] of [
        ['/overview', 'overview-narrow'],
        ['/', 'alerts-narrow'],
        ['/rules', 'rules-narrow'],
        ['/outputs', 'outputs-narrow'],
      ] as const) {
        await page.goto(`${hub.url}${view}`);
        await page.locator('main h1, main h2, [data-testid="alert-row"]').first().waitFor();
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow, view).toBeLessThanOrEqual(0);
        await screenshotBothSchemes(page, name);
      }
    } finally {
      await page.setViewportSize({ width: 1600, height: 900 });
    }
  });
});
