/** Sustained ingest for the chaos suite: concurrent senders posting numbered alerts, counting every answer. */
import { falcoAlert } from '../support/alerts.js';

export interface Burst {
  /** Rules of the alerts the hub answered 2xx. */
  readonly acknowledged: Set<string>;
  /** Answers other than 2xx by status (0: no answer, connection failed). */
  readonly refused: Map<number, number>;
  /** Answers in order: [ms since the burst started, status, ms the request took]. */
  readonly timeline: Array<[number, number, number]>;
  sent(): number;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

export function startBurst(
  hubUrl: () => string,
  {
    senders = 8,
    label = 'burst',
    pauseMs = 0,
    outputBytes = 0,
  }: {
    senders?: number;
    label?: string;
    pauseMs?: number;
    /** Pads each alert's output to this size. */ outputBytes?: number;
  } = {},
): Burst {
  const acknowledged = new Set<string>();
  const refused = new Map<number, number>();
  const timeline: Array<[number, number, number]> = [];
  const started = Date.now();
  let next = 0;
  let running = true;
  const sender = async () => {
    while (running) {
      const rule = `${label} ${next++}`;
      let status = 0;
      const sentAt = Date.now();
      try {
        const res = await fetch(`${hubUrl()}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(
            falcoAlert({ rule, ...(outputBytes ? { output: `${rule} ${'x'.repeat(outputBytes)}` } : {}) }),
          ),
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      timeline.push([Date.now() - started, status, Date.now() - sentAt]);
      if (status >= 200 && status < 300) acknowledged.add(rule);
      else refused.set(status, (refused.get(status) ?? 0) + 1);
      if (pauseMs > 0 || status === 0)
        await new Promise((r) => setTimeout(r, Math.max(pauseMs, status === 0 ? 50 : 0)));
    }
  };
  const all = Array.from({ length: senders }, sender);
  return {
    acknowledged,
    refused,
    timeline,
    sent: () => next,
    stop: async () => {
      running = false;
      await Promise.all(all);
    },
  };
}

export const rulesOf = (bodies: string[]): Set<string> => {
  const rules = new Set<string>();
  for (const body of bodies) {
    const parsed = JSON.parse(body) as { rule: string } | { rule: string }[];
    for (const alert of Array.isArray(parsed) ? parsed : [parsed]) rules.add(alert.rule);
  }
  return rules;
};

/** The acknowledged alerts (by rule) that have not reached the receiver yet. */
export const undelivered = (acknowledged: Iterable<string>, receiver: { requests: { body: string }[] }): string[] => {
  const delivered = rulesOf(receiver.requests.map((r) => r.body));
  return [...acknowledged].filter((rule) => !delivered.has(rule));
};

export const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
