/** The alerts view in Chromium against the built hub: more filters in the URL, pause/resume and the rate, details. */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { falcoAlert } from '../support/alerts.js';
import { screenshotBothSchemes, useDashboard } from '../support/browser.js';
import { postAlert, type HubProcess } from '../support/hub.js';

describe('alerts view', () => {
  const session = useDashboard();
  let hub: HubProcess;
  let page: Page;
  beforeAll(() => {
    ({ hub, page } = session);
  });

  const unique = (label: string) => `e2e-${label}-${randomUUID().slice(0, 8)}`;
  const rowsOf = (rule: string) => page.locator(`[data-testid="alert-row"][data-rule="${rule}"]`);
  const waitUntilLive = () => page.locator('[data-testid="connection-status"]', { hasText: 'live' }).waitFor();
  const inNamespace = (rule: string, namespace: string, pod = 'web-1') =>
    falcoAlert({
      rule,
      output_fields: {
        'k8s.ns.name': namespace,
        'k8s.pod.name': pod,
        'container.image.repository': 'docker.io/library/nginx',
        'container.image.tag': '1.27',
      },
    });

  it('keeps a namespace filter in the URL across a reload, for history and live alerts', async () => {
    const payments = unique('payments');
    const other = unique('other');
    const paymentsRule = unique('rule');
    const otherRule = unique('rule');
    await postAlert(hub.url, inNamespace(paymentsRule, payments));
    await postAlert(hub.url, inNamespace(otherRule, other));

    await page.goto(hub.url);
    await rowsOf(otherRule).waitFor();
    await page.fill('[data-testid="filter-namespace"]', payments);
    await page.press('[data-testid="filter-namespace"]', 'Enter');
    await page.waitForURL((url) => url.searchParams.get('namespace') === payments);
    await rowsOf(otherRule).waitFor({ state: 'detached' });

    await page.reload();
    await rowsOf(paymentsRule).waitFor();
    expect(await page.inputValue('[data-testid="filter-namespace"]')).toBe(payments);
    expect(await rowsOf(otherRule).count()).toBe(0);
    const row = await rowsOf(paymentsRule).textContent();
    expect(row).toContain('docker.io/library/nginx:1.27');
    expect(row).toContain('container');

    await waitUntilLive();
    const laterPayments = unique('rule');
    const laterOther = unique('rule');
    await postAlert(hub.url, inNamespace(laterOther, other));
    await postAlert(hub.url, inNamespace(laterPayments, payments));
    await rowsOf(laterPayments).waitFor();
    expect(await rowsOf(laterOther).count()).toBe(0);
    await screenshotBothSchemes(page, 'alerts');
  });

  it('holds live alerts while paused, counting them, and shows them on resume', async () => {
    const namespace = unique('paused');
    await page.goto(`${hub.url}/?namespace=${namespace}&since=1h`);
    await waitUntilLive();
    expect(await page.inputValue('[data-testid="filter-since"]')).toBe('1h');
    await page.click('[data-testid="live-toggle"]');
    expect(await page.getAttribute('[data-testid="live-toggle"]', 'aria-pressed')).toBe('true');

    const held = [unique('held'), unique('held')];
    for (const rule of held) await postAlert(hub.url, inNamespace(rule, namespace));
    await page.locator('[data-testid="live-held-count"]', { hasText: '2 new while paused' }).waitFor();
    await page.locator('[data-testid="alert-rate"]', { hasText: '2 alerts/min' }).waitFor();
    expect(await page.locator('[data-testid="alert-row"]').count()).toBe(0);

    await page.click('[data-testid="live-toggle"]');
    for (const rule of held) await rowsOf(rule).waitFor();
    expect(await page.locator('[data-testid="live-held-count"]').count()).toBe(0);
  });

  it('shows a posted alert in a shareable details panel whose filter-by-pod button filters the list', async () => {
    const namespace = unique('details');
    const rule = unique('rule');
    const otherPodRule = unique('rule');
    const output = '<script>window.__injected = true</script> shell in web-7';
    await postAlert(hub.url, {
      ...inNamespace(rule, namespace, 'web-7'),
      output,
      output_fields: {
        'k8s.ns.name': namespace,
        'k8s.pod.name': 'web-7',
        'proc.cmdline': '<b>sh</b> -i',
        'user.uid': 0,
      },
    });
    await postAlert(hub.url, inNamespace(otherPodRule, namespace, 'web-8'));

    await page.goto(`${hub.url}/?namespace=${namespace}`);
    await rowsOf(otherPodRule).waitFor();
    // Keyboard: the rule opens the panel, as a click on the row does.
    await rowsOf(rule).getByRole('button').focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('[data-testid="alert-details"]');
    await panel.waitFor();
    const field = (name: string) => panel.locator(`[data-testid="alert-field"][data-field="${name}"] td`);
    expect(await field('proc.cmdline').textContent()).toBe('<b>sh</b> -i');
    expect(await field('user.uid').textContent()).toBe('0');
    expect(await field('k8s.pod.name').textContent()).toBe('web-7');
    expect(await panel.textContent()).toContain(output);
    expect(await panel.locator('b, script').count()).toBe(0);
    const json = JSON.parse((await panel.locator('[data-testid="alert-json"]').textContent()) ?? '') as {
      id: string;
      rule: string;
    };
    expect(json.rule).toBe(rule);
    expect(new URL(page.url()).searchParams.get('alert')).toBe(json.id);

    // The URL opens the same panel in a fresh page, fetched by id since no list there holds it.
    const shared = await page.context().browser()!.newPage();
    await shared.goto(`${hub.url}/?namespace=${unique('elsewhere')}&alert=${json.id}`);
    await shared.locator('[data-testid="alert-field"][data-field="proc.cmdline"]').waitFor();
    await shared.close();

    await panel.locator('[data-testid="filter-by-pod"]').click();
    await page.waitForURL((url) => url.searchParams.get('pod') === 'web-7');
    await rowsOf(otherPodRule).waitFor({ state: 'detached' });
    await rowsOf(rule).waitFor();
    expect(await page.inputValue('[data-testid="filter-pod"]')).toBe('web-7');
    await screenshotBothSchemes(page, 'alert-details');

    await rowsOf(rule).getByRole('button').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe(`Details of ${rule}`);
    expect(new URL(page.url()).searchParams.get('alert')).toBeNull();
    expect(await page.evaluate('window.__injected')).toBeUndefined();
  });
});
