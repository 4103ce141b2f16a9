/** The behaviour every AlertStore must have; run against the memory store (unit) and Redis (integration). */
import { matchesFilter, type Alert, type AlertFilter, type FalcoAlert } from '@harrier/alert';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertIdGenerator } from './alert-id.js';
import { StatsAccumulator } from './alert-stats.js';
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

/** Every page of a query, following the cursor: the ids in order, and how many pages said `partial`. */
export async function pageThrough(
  store: AlertStore,
  filter: AlertFilter,
  limit: number,
): Promise<{ ids: string[]; partials: number }> {
  const ids: string[] = [];
  let partials = 0;
  let cursor: string | undefined;
  do {
    const page = await store.query({ filter, limit, ...(cursor ? { cursor } : {}) });
    ids.push(...page.alerts.map((a) => a.id));
    if (page.partial) partials++;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return { ids, partials };
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

    it('pages every filter combination exactly like filtering all alerts, across minutes, hours and days', async () => {
      const alerts = await save(...spread(400));
      const newestFirst = [...alerts].sort((a, b) => (a.id < b.id ? 1 : -1));
      const hour = 3_600_000;
      const filters: AlertFilter[] = [
        {},
        { priority: ['Critical'] },
        { priority: ['Debug', 'Critical'] },
        { rule: ['rule-3', 'rule-5'] },
        { rule: ['rule-3'], pod: ['pod-4', 'pod-7'] },
        { priority: ['Error', 'Critical'], namespace: ['ns-1'], tag: ['a', 'c'] },
        { source: ['k8s_audit'], hostname: ['node-1'], rule: ['rule-0', 'rule-2', 'rule-4'] },
        { tag: ['b'], since: BASE + 20 * hour, until: BASE + 50 * hour },
        { pod: ['pod-10'], q: 'shell' },
        { rule: ['rule-1'], priority: ['Critical'], pod: ['pod-2'] },
        { hostname: ['nowhere'] },
      ];
      for (const filter of filters) {
        const expected = newestFirst.filter((a) => matchesFilter(a, filter)).map((a) => a.id);
        expect((await pageThrough(store, filter, 7)).ids, JSON.stringify(filter)).toEqual(expected);
      }
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

    /** A varied spread over three days, crossing day and hour boundaries. */
    function spread(n: number): Array<Alert & { offsetSec: number }> {
      const priorities = ['Debug', 'Notice', 'Warning', 'Error', 'Critical'] as const;
      return Array.from({ length: n }, (_, i) =>
        falco({
          offsetSec: Math.floor(((i * 7919) % 259_200) + (i % 60)),
          rule: `rule-${i % 7}`,
          priority: priorities[(i * 3) % priorities.length]!,
          source: i % 4 === 0 ? 'k8s_audit' : 'syscall',
          hostname: i % 5 === 0 ? '' : `node-${i % 3}`,
          output_fields: { 'k8s.ns.name': `ns-${i % 4}`, 'k8s.pod.name': `pod-${i % 11}` },
          tags: i % 2 === 0 ? ['a', 'b'] : ['c'],
        }),
      );
    }

    function scanned(alerts: Alert[], filter: AlertFilter, bucketMs: number, topN: number) {
      const stats = new StatsAccumulator(bucketMs, topN);
      for (const alert of alerts) if (matchesFilter(alert, filter)) stats.add(alert);
      return { ...stats.result(0, false), source: 'counters' };
    }

    it('answers the overview from counters exactly as counting the alerts would, for ranges, priorities and buckets', async () => {
      const alerts = await save(...spread(400));
      const hour = 3_600_000;
      const cases: [AlertFilter, number][] = [
        [{}, 60_000],
        [{}, hour],
        [{}, 86_400_000],
        [{ since: BASE + 5 * hour + 13 * 60_000 }, 5 * 60_000],
        [{ since: BASE + 23 * hour + 59 * 60_000, until: BASE + 49 * hour + 2 * 60_000 }, 60_000],
        [{ since: BASE + 30 * hour, until: BASE + 55 * hour }, 2 * hour],
        [{ priority: ['Warning', 'Error', 'Critical'] }, hour],
        [{ priority: ['Debug'], since: BASE + 3 * hour + 60_000, until: BASE + 70 * hour }, 86_400_000],
        [{ until: BASE }, 60_000],
      ];
      for (const [filter, bucketMs] of cases) {
        expect(await store.stats(filter, bucketMs, 3), JSON.stringify(filter)).toEqual(
          scanned(alerts, filter, bucketMs, 3),
        );
      }
      const all = await store.stats({}, 60_000, 100);
      expect(all!.total).toBe(400);
      expect(all!.top.tag.map((t) => t.value).sort()).toEqual(['a', 'b', 'c']);
    });

    it('leaves other filters, and series finer than a minute, to the caller', async () => {
      await save(falco({ offsetSec: 1 }));
      expect(await store.stats({ rule: ['x'] }, 60_000, 10)).toBeUndefined();
      expect(await store.stats({ tag: ['shell'], priority: ['Notice'] }, 60_000, 10)).toBeUndefined();
      expect(await store.stats({ q: 'shell' }, 60_000, 10)).toBeUndefined();
      expect(await store.stats({}, 30_000, 10)).toBeUndefined();
      expect(await store.stats({}, 90_000, 10)).toBeUndefined();
    });

    it('widens since and until to whole minutes', async () => {
      await save(falco({ offsetSec: 61, rule: 'early' }), falco({ offsetSec: 179, rule: 'late' }));
      const stats = await store.stats({ since: BASE + 100_000, until: BASE + 121_000 }, 60_000, 10);
      expect(stats!.top.rule).toEqual([
        { value: 'early', count: 1 },
        { value: 'late', count: 1 },
      ]);
      expect(stats!.series).toEqual([
        { t: BASE + 60_000, counts: { Notice: 1 } },
        { t: BASE + 120_000, counts: { Notice: 1 } },
      ]);
    });

    it('takes trimmed alerts out of the counts too', async () => {
      const alerts = await save(...spread(120));
      const cutoff = BASE + 36 * 3_600_000;
      while ((await store.trim(cutoff, 1_000, 25, 'me')) > 0);
      const kept = alerts.filter((a) => Date.parse(a.time) >= cutoff);
      expect(kept.length).toBeGreaterThan(10);
      expect(await store.stats({}, 3_600_000, 5)).toEqual(scanned(kept, {}, 3_600_000, 5));
      while ((await store.trim(0, 0, 50, 'me')) > 0);
      expect(await store.stats({}, 60_000, 5)).toMatchObject({
        total: 0,
        series: [],
        top: { rule: [], namespace: [], pod: [], source: [], hostname: [], tag: [] },
      });
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
        expect((await store.stats({}, 60_000, 1))!.total).toBe(maxAlerts);
      });
    }
  });
}
