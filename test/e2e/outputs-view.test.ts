/** The outputs view in Chromium against the built hub with a webhook output to a local receiver. */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startReceiver, status, type Receiver } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { falcoAlert } from '../support/alerts.js';
import { screenshotBothSchemes, useDashboard } from '../support/browser.js';
import { postAlert, writeConfigFile, type HubProcess } from '../support/hub.js';

const OUTPUT = 'e2e-webhook';
const SECRET = 'e2e-hmac-secret';

describe('outputs view', () => {
  let receiver: Receiver;
  const session = useDashboard(async () => {
    receiver = await startReceiver();
    const config = await writeConfigFile(
      [
        'outputs:',
        `  - name: ${OUTPUT}`,
        '    type: webhook',
        `    address: ${receiver.url}/falco`,
        `    hmacsecret: ${SECRET}`,
        '    attempts: 1',
      ].join('\n'),
    );
    return { CONFIG_FILE: config };
  });
  let hub: HubProcess;
  let page: Page;
  beforeAll(() => {
    ({ hub, page } = session);
  });

  afterAll(async () => {
    await receiver?.close();
  });

  const card = () => page.locator(`[data-testid="output-card"][data-output="${OUTPUT}"]`);
  const stat = (name: string) => card().locator(`[data-testid="output-${name}"]`);
  const statIs = (name: string, value: number) =>
    card()
      .locator(`[data-testid="output-${name}"]`, { hasText: new RegExp(`^${value}$`) })
      .waitFor();
  const delivered = async () => Number(await stat('delivered').textContent());
  const received = (rule: string) => receiver.requests.filter((request) => request.body.includes(rule));

  it("shows a webhook output's masked config and its delivered count, and sends a test alert", async () => {
    receiver.respond(ok);
    const rule = `E2E delivered ${randomUUID().slice(0, 8)}`;
    await postAlert(hub.url, falcoAlert({ rule }));

    await page.goto(hub.url);
    await page.getByRole('link', { name: 'Outputs' }).click();
    await page.waitForURL(`${hub.url}/outputs`);
    await statIs('delivered', 1);
    expect(received(rule)).toHaveLength(1);
    expect(await card().locator('[data-testid="output-health"]').textContent()).toContain('Healthy');
    expect(await card().locator('[data-testid="output-last-success"]').textContent()).toMatch(/ago$/);
    await card().getByText('Configuration').click();
    const config = await card().locator('[data-testid="output-config"]').textContent();
    expect(config).toContain(`${receiver.url}/falco`);
    expect(config).not.toContain(SECRET);

    await page.click('[data-testid="send-test-alert"]');
    await page.locator('[data-testid="toast"][data-kind="success"]', { hasText: 'Test alert' }).waitFor();
    await statIs('delivered', 2);
    expect(received('Test rule')).toHaveLength(1);
  });

  it('lists a dead letter with its error and re-drives it once the receiver accepts again', async () => {
    receiver.respond(status(400, {}, 'no thanks'));
    const rule = `E2E dead ${randomUUID().slice(0, 8)}`;
    await postAlert(hub.url, falcoAlert({ rule, priority: 'Critical' }));

    await page.goto(`${hub.url}/outputs`);
    const letter = card().locator(`[data-testid="dead-letter"][data-rule="${rule}"]`);
    await letter.waitFor();
    expect(await letter.textContent()).toContain('Critical');
    expect(await card().locator('[data-testid="output-last-error"]').textContent()).toContain('400');
    expect(await card().locator('[data-testid="output-health"]').textContent()).toContain('Failing');
    await statIs('dead', 1);
    await screenshotBothSchemes(page, 'outputs');

    receiver.respond(ok);
    const before = await delivered();
    await letter.locator('[data-testid="redrive-one"]').click();
    await page.locator('[data-testid="toast"]', { hasText: `Queued 1 dead letter of ${OUTPUT} again` }).waitFor();
    await letter.waitFor({ state: 'detached' });
    await statIs('delivered', before + 1);
    await statIs('dead', 0);
    expect(received(rule).map((request) => request.answeredStatus)).toEqual([400, 200]);
  });
});
