/** Bursts to Slack and email become a few digests under the rate limit, with every alert counted; mail is escaped. */
import { afterEach, expect, it } from 'vitest';
import { startReceiver, type ReceivedRequest } from '../../apps/server/src/outputs/channels/testing/receiver.js';
import { startSmtpPeer } from '../../apps/server/src/outputs/channels/testing/smtp-peer.js';
import { falcoAlert } from '../support/alerts.js';
import { startHub } from '../support/app.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface SlackMessage {
  text?: string;
  attachments: { text?: string; fields: { title: string; value: string }[] | null }[];
}

/** Alerts a message stands for: a digest says "N alerts from …", a single alert message is one. */
function alertsIn(req: ReceivedRequest): number {
  const message = JSON.parse(req.body) as SlackMessage;
  const digest = /^(\d+) alerts from /.exec(message.text ?? '');
  return digest ? Number(digest[1]) : 1;
}

it('groups a burst of 1,000 alerts into a handful of Slack digests, a window apart, counting every alert', async () => {
  const slack = await startReceiver();
  cleanup.push(() => slack.close());
  const hub = await startHub(
    {},
    { slack: { webhookurl: `${slack.url}/services/T0/B0/x`, grouping: { window: '2s' } } },
  );
  cleanup.push(() => hub.close());

  const rules = ['Terminal shell in container', 'Create Privileged Pod', 'Contact K8S API Server From Container'];
  for (let i = 0; i < 1000; i++) {
    const res = await fetch(`${hub.url}/`, {
      method: 'POST',
      body: JSON.stringify(falcoAlert({ rule: rules[i % 3], priority: i === 500 ? 'Critical' : 'Notice' })),
    });
    expect(res.status).toBe(200);
  }
  await expect.poll(() => slack.requests.reduce((sum, r) => sum + alertsIn(r), 0), { timeout: 20_000 }).toBe(1000);
  expect(slack.requests.length).toBeLessThanOrEqual(6);
  for (let i = 1; i < slack.requests.length; i++) {
    expect(slack.requests[i]!.receivedAt - slack.requests[i - 1]!.receivedAt).toBeGreaterThanOrEqual(1_900);
  }
  const digest = JSON.parse(slack.requests.find((r) => alertsIn(r) > 1)!.body) as SlackMessage;
  expect(digest.attachments[0]!.text).toMatch(/\d+× Terminal shell in container/);
}, 60_000);

it('mails an alert over SMTP with the hostile parts escaped and the subject on one line', async () => {
  const smtp = await startSmtpPeer();
  cleanup.push(() => smtp.close());
  const hub = await startHub(
    {},
    {
      smtp: {
        hostport: smtp.hostport,
        tls: false,
        authmechanism: 'none',
        from: 'harrier@example.com',
        to: 'sec@example.com, oncall@example.com',
      },
    },
  );
  cleanup.push(() => hub.close());
  await fetch(`${hub.url}/`, {
    method: 'POST',
    body: JSON.stringify(
      falcoAlert({
        rule: 'Evil\r\nBcc: victim@example.com',
        priority: 'Critical',
        output: '<script>alert(1)</script> ran',
      }),
    ),
  });
  await expect.poll(() => smtp.mails.length, { timeout: 10_000 }).toBe(1);
  const { mail, envelopeTo } = smtp.mails[0]!;
  expect(envelopeTo.sort()).toEqual(['oncall@example.com', 'sec@example.com']);
  expect(mail.subject).toMatch(/^\[Critical\] Evil/);
  expect(mail.bcc).toBeUndefined();
  expect(mail.html).not.toContain('<script>');
  expect(mail.html).toContain('&lt;script&gt;');
  expect(mail.text).toContain('<script>alert(1)</script> ran');
});
