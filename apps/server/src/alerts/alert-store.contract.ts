/** The behaviour every AlertStore must have; run against the memory store (unit) and Redis (integration). */
import type { Alert, AlertFilter, FalcoAlert } from '@harrier/alert';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertIdGenerator } from './alert-id.js';
import type { AlertStore } from './alert.store.js';

const BASE = Date.parse('2026-01-01T00:00:00Z');

function falco({
  offsetSec,
  ...overrides
}: Partial<FalcoAlert> & { offsetSec: number }): Alert & { offsetSec: number } {
  return {
    offsetSec,
    id: '',
    time: new Date(BASE + offsetSec * 1000).toISOString(),
    rule: 'Terminal shell in container',
    priority: 'Notice',
    source: 'syscall',
    output: 'A shell was spawned',
    output_fields: { 'k8s.ns.name': 'default', 'k8s.pod.name': 'web-1' },
    tags: ['container', 'shell'],
    hostname: 'node-a',
    ...overrides,
  };
}

export function describeAlertStoreContract(
  name: string,
  makeStore: () => Promise<AlertStore>,
  maxAlerts?: number,
): void {
  describe(`${name} (AlertStore contract)`, () => {
    let store: AlertStore;
    const ids = new AlertIdGenerator();

    async function save(...alerts: Array<Alert & { offsetSec: number }>): Promise<Alert[]> {
      const saved: Alert[] = [];
      for (const { offsetSec: _offset, ...rest } of alerts) {
        const alert = { ...rest, id: ids.next(Date.parse(rest.time)) };
        await store.save(alert, []);
        saved.push(alert);
      }
      return saved;
    }

    async function ruleNames(filter: AlertFilter, limit = 100): Promise<string[]> {
      const page = await store.query({ filter, limit });
      return page.alerts.map((a) => a.rule);
    }

    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('returns a saved alert by id, intact', async () => {
      const [alert] = await save(
        falco({ offsetSec: 1, output_fields: { 'proc.cmdline': 'sh -c "<b>x</b>"', n: 42, ok: true, nothing: null } }),
      );
      expect(await store.get(alert!.id)).toEqual(alert);
      expect(await store.get('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBeUndefined();
    });

    it('lists newest first by event time, whatever the arrival order', async () => {
      await save(
        falco({ offsetSec: 20, rule: 'b' }),
        falco({ offsetSec: 10, rule: 'a' }),
        falco({ offsetSec: 30, rule: 'c' }),
      );
      expect(await ruleNames({})).toEqual(['c', 'b', 'a']);
    });

    it('pages with a cursor without gaps or repeats, and ends with a null cursor', async () => {
      await save(...Array.from({ length: 25 }, (_, i) => falco({ offsetSec: i, rule: `r${i}` })));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.query({ filter: {}, limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.alerts.map((a) => a.rule));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `r${24 - i}`));
    });

    it('gives no next cursor when the page holds exactly the last alerts', async () => {
      await save(...Array.from({ length: 10 }, (_, i) => falco({ offsetSec: i })));
      const page = await store.query({ filter: {}, limit: 10 });
      expect(page.alerts).toHaveLength(10);
      expect(page.nextCursor).toBeNull();
    });

    it('filters by every facet, OR within a facet and AND across facets', async () => {
      await save(
        falco({ offsetSec: 1, rule: 'shell', priority: 'Notice', tags: ['shell'] }),
        falco({
          offsetSec: 2,
          rule: 'mount',
          priority: 'Warning',
          source: 'k8s_audit',
          hostname: '',
          output_fields: { 'ka.target.namespace': 'payments', 'ka.target.resource': 'pods', 'ka.target.name': 'api-7' },
          tags: ['k8s'],
        }),
        falco({
          offsetSec: 3,
          rule: 'binary',
          priority: 'Error',
          hostname: 'node-b',
          output_fields: { 'k8s.ns.name': 'kube-system', 'k8s.pod.name': 'dns-1' },
          tags: ['filesystem', 'mitre_persistence'],
        }),
        falco({ offsetSec: 4, rule: 'drop', priority: 'Critical', tags: ['mitre_persistence'] }),
      );
      expect(await ruleNames({ priority: ['Warning', 'Error', 'Critical'] })).toEqual(['drop', 'binary', 'mount']);
      expect(await ruleNames({ priority: ['Notice', 'Critical'] })).toEqual(['drop', 'shell']);
      expect(await ruleNames({ rule: ['mount', 'shell'] })).toEqual(['mount', 'shell']);
      expect(await ruleNames({ namespace: ['payments'] })).toEqual(['mount']);
      expect(await ruleNames({ pod: ['web-1'] })).toEqual(['drop', 'shell']);
      expect(await ruleNames({ pod: ['api-7'] })).toEqual(['mount']);
      expect(await ruleNames({ source: ['k8s_audit'] })).toEqual(['mount']);
      expect(await ruleNames({ hostname: ['node-b'] })).toEqual(['binary']);
      expect(await ruleNames({ tag: ['mitre_persistence'] })).toEqual(['drop', 'binary']);
      expect(await ruleNames({ tag: ['mitre_persistence'], pod: ['web-1'] })).toEqual(['drop']);
      expect(await ruleNames({ rule: ['nope'] })).toEqual([]);
    });

    it('filters by time: since inclusive, until exclusive', async () => {
      await save(...[0, 60, 120, 180].map((s) => falco({ offsetSec: s, rule: `t${s}` })));
      expect(await ruleNames({ since: BASE + 60_000 })).toEqual(['t180', 't120', 't60']);
      expect(await ruleNames({ until: BASE + 120_000 })).toEqual(['t60', 't0']);
      expect(await ruleNames({ since: BASE + 60_000, until: BASE + 180_000 })).toEqual(['t120', 't60']);
    });

    it('finds rare matches far back and pages through them', async () => {
      const many = Array.from({ length: 300 }, (_, i) =>
        falco({
          offsetSec: i,
          rule: i % 100 === 7 ? 'rare' : 'common',
          priority: i % 100 === 7 ? 'Critical' : 'Notice',
        }),
      );
      await save(...many);
      const first = await store.query({ filter: { priority: ['Critical', 'Alert', 'Emergency'] }, limit: 2 });
      expect(first.alerts.map((a) => a.rule)).toEqual(['rare', 'rare']);
      expect(first.nextCursor).not.toBeNull();
      const second = await store.query({
        filter: { priority: ['Critical', 'Alert', 'Emergency'] },
        limit: 2,
        cursor: first.nextCursor!,
      });
      expect(second.alerts).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      expect(new Set([...first.alerts, ...second.alerts].map((a) => a.time)).size).toBe(3);
    });

    it('trims alerts older than a time, and beyond a count, from the list and every index', async () => {
      await save(...Array.from({ length: 10 }, (_, i) => falco({ offsetSec: i * 60, rule: `t${i}`, tags: ['keep'] })));
      expect(await store.trim(BASE + 3 * 60_000, 1_000, 2, 'me')).toBe(2);
      expect(await store.trim(BASE + 3 * 60_000, 1_000, 2, 'me')).toBe(1);
      expect(await store.trim(BASE + 3 * 60_000, 1_000, 2, 'me')).toBe(0);
      expect(await ruleNames({})).toEqual(['t9', 't8', 't7', 't6', 't5', 't4', 't3']);
      expect(await ruleNames({ tag: ['keep'] })).toHaveLength(7);
      expect(await ruleNames({ rule: ['t0'] })).toEqual([]);
      expect(await store.trim(0, 5, 100, 'me')).toBe(2);
      expect(await ruleNames({ pod: ['web-1'] })).toEqual(['t9', 't8', 't7', 't6', 't5']);
    });

    it('reports itself healthy', async () => {
      expect((await store.health()).ok).toBe(true);
    });

    if (maxAlerts !== undefined) {
      it(`keeps only the newest ${maxAlerts} alerts`, async () => {
        await save(...Array.from({ length: maxAlerts + 5 }, (_, i) => falco({ offsetSec: i, rule: `r${i}` })));
        const page = await store.query({ filter: {}, limit: 1000 });
        expect(page.alerts).toHaveLength(maxAlerts);
        expect(page.alerts.at(-1)!.rule).toBe('r5');
      });
    }
  });
}
