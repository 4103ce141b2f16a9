/** Login in Chromium against the built hub: rejection without a session, login, logout, tokens, an expired session. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { falcoAlert } from '../support/alerts.js';
import { CSRF, TEST_USER } from '../support/auth.js';
import { useDashboard } from '../support/browser.js';
import { postAlert, type HubProcess } from '../support/hub.js';

const SESSION_SECONDS = 6;

describe('login', () => {
  const session = useDashboard(() => ({ AUTH_USERS: TEST_USER.htpasswd, SESSION_TTL: `${SESSION_SECONDS}s` }));
  let hub: HubProcess;
  let page: Page;
  beforeAll(() => {
    ({ hub, page } = session);
  });

  async function logIn(password = TEST_USER.password) {
    await page.getByLabel('User name').fill(TEST_USER.name);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  it('sends a visitor without a session to the login page, and the API refuses them', async () => {
    await page.context().clearCookies();
    await page.goto(`${hub.url}/outputs`);
    await page.waitForURL(`${hub.url}/login?next=%2Foutputs`);
    await page.getByRole('heading', { name: 'Harrier' }).waitFor();
    expect((await page.request.get(`${hub.url}/api/v1/alerts`)).status()).toBe(401);
  });

  it('says so on a wrong password, logs in with the right one and goes back where the visitor was', async () => {
    await logIn('not the password');
    expect(await page.getByRole('alert').textContent()).toBe('Wrong user name or password');
    expect(await page.context().cookies()).toEqual([]);

    await logIn();
    await page.waitForURL(`${hub.url}/outputs`);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'harrier_session', httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('shows live alerts through the authenticated socket', async () => {
    await page.goto(hub.url);
    await page.locator('[data-testid="connection-status"]', { hasText: 'live' }).waitFor();
    await postAlert(hub.url, falcoAlert({ rule: 'E2E after login' }));
    await page.locator('[data-testid="alert-row"][data-rule="E2E after login"]').waitFor();
    expect(await page.getByText(TEST_USER.name, { exact: true }).count()).toBe(1);
  });

  it('creates an API token with the session for automation to use', async () => {
    const created = await page.request.post(`${hub.url}/api/v1/auth/tokens`, {
      headers: CSRF,
      data: { name: 'e2e automation', scope: 'read' },
    });
    expect(created.status()).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const withToken = await fetch(`${hub.url}/api/v1/alerts`, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status).toBe(200);
    expect(((await withToken.json()) as { alerts: { rule: string }[] }).alerts[0]?.rule).toBe('E2E after login');
  });

  it('logs out: back to the login page, and the old session no longer opens anything', async () => {
    await page.goto(hub.url);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${hub.url}/login`);
    expect(await page.context().cookies()).toEqual([]);
    await page.goto(hub.url);
    await page.waitForURL(`${hub.url}/login?next=%2F`);
  });

  it('returns to the login page when the session expires while the dashboard is open', async () => {
    await logIn();
    await page.waitForURL(`${hub.url}/`);
    await page.getByRole('link', { name: 'Alerts' }).waitFor();
    await sleep((SESSION_SECONDS + 1) * 1000);
    await page.getByRole('link', { name: 'Outputs' }).click();
    await page.waitForURL(`${hub.url}/login?next=%2Foutputs`);
  });
});
