import { describe, expect, it } from 'vitest';
import { INTERSECT_FACTOR, planBucket, planMinutes, queryShape } from './alert-query-plan.js';

// Priority indices: Notice 2, Warning 3, Error 4, Critical 5. Field = priority, facet code, value.
const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
const read = (plan: ReturnType<typeof planBucket>) =>
  plan?.groups.map((g) => ({
    priority: g.priority,
    sources: g.sources.map((s) => `${s.facet ?? 'log'}:${s.parts.map((p) => p.value).join('+')}`),
  }));

describe('queryShape', () => {
  it('leaves the priority facet out when another facet is filtered: every part already has its priority', () => {
    const shape = queryShape({ priority: ['Warning', 'Error'], pod: ['api'] });
    expect(shape.priorities).toEqual(['3', '4']);
    expect(shape.facets.map((f) => f.facet)).toEqual(['pod']);
    expect([...shape.facets[0]!.parts.keys()]).toEqual(['3', '4']);
    expect(shape.partFields).toEqual(['3papi', '4papi']);
    const byPriority = queryShape({ priority: ['Critical'] });
    expect(byPriority.facets.map((f) => f.facet)).toEqual(['priority']);
    expect(byPriority.partFields).toEqual([]);
    expect(queryShape({ q: 'x' }).facets).toEqual([]);
  });

  it('calls the candidates exact matches for one facet (or none) without text search', () => {
    expect(queryShape({}).exact).toBe(true);
    expect(queryShape({ priority: ['Warning'], pod: ['api'], since: 0 }).exact).toBe(true);
    expect(queryShape({ pod: ['api'], rule: ['shell'] }).exact).toBe(false);
    expect(queryShape({ pod: ['api'], q: 'curl' }).exact).toBe(false);
  });
});

describe('planBucket', () => {
  it('plans nothing where the filtered facets never share a priority, however many alerts each has', () => {
    // The pod only in Warning audit events, syscall alerts only in Error and Critical.
    const shape = queryShape({ pod: ['log-shipper'], source: ['syscall'], priority: ['Warning', 'Error', 'Critical'] });
    const bucket = counts({ '3': 900, '4': 60, '5': 40, '3plog-shipper': 400, '4ssyscall': 60, '5ssyscall': 40 });
    expect(planBucket(shape, bucket)).toBeUndefined();
    expect(planBucket(shape, counts({}))).toBeUndefined();
  });

  it('plans each priority on its own: the smallest facet drives, facets at most 8× larger are intersected', () => {
    const shape = queryShape({ rule: ['shell'], namespace: ['payments'], tag: ['container'] });
    const bucket = counts({
      '2': 1_000,
      '2rshell': 300,
      '2npayments': 50,
      '2tcontainer': 1_000,
      '3': 500,
      '3rshell': 10,
      '3npayments': 80,
      '3tcontainer': 10 * INTERSECT_FACTOR + 1,
      '4': 100,
      '4npayments': 5,
      '4tcontainer': 100,
    });
    const plan = planBucket(shape, bucket);
    // Notice: payments drives, shell (6×) is intersected, container (20×) is left to matchesFilter. Warning: shell
    // drives, payments (8×) is intersected. Error: no shell, so no match.
    expect(read(plan)).toEqual([
      { priority: '2', sources: ['namespace:payments', 'rule:shell'] },
      { priority: '3', sources: ['rule:shell', 'namespace:payments'] },
    ]);
    expect(plan!.groups.map((g) => g.entries)).toEqual([350, 90]);
    expect(plan!.entries).toBe(440);
    // As if the facets were independent: 1000 × 0.05 × 0.3 × 1 and 500 × 0.02 × 0.16 × 0.162.
    expect(plan!.groups[0]!.estimate).toBeCloseTo(15);
    expect(plan!.groups[1]!.estimate).toBeCloseTo(0.2592);
    expect(plan!.estimate).toBeCloseTo(15.2592);
  });

  it('counts a facet of several values (tags) at most once per alert in the estimate', () => {
    const plan = planBucket(queryShape({ tag: ['a', 'b'] }), counts({ '2': 10, '2ta': 8, '2tb': 8 }));
    expect(plan).toMatchObject({ estimate: 10, entries: 16 });
  });

  it('reads only the parts present in the bucket', () => {
    const shape = queryShape({ pod: ['a', 'b', 'c'] });
    const plan = planBucket(shape, counts({ '2': 10, '2pa': 3, '2pc': 1, '5': 2, '5pb': 2 }));
    expect(read(plan)).toEqual([
      { priority: '2', sources: ['pod:a+c'] },
      { priority: '5', sources: ['pod:b'] },
    ]);
    expect(plan!.estimate).toBe(6);
  });

  it('reads the log when nothing is filtered by facet', () => {
    const plan = planBucket(queryShape({ q: 'shell' }), counts({ '2': 10, '5': 2 }));
    expect(read(plan)).toEqual([{ priority: undefined, sources: ['log:'] }]);
    expect(plan).toMatchObject({ estimate: 12, entries: 12 });
    expect(planBucket(queryShape({}), counts({}))).toBeUndefined();
  });
});

describe('planMinutes', () => {
  it("spreads an hour's plan over its minutes by their share of each priority's alerts", () => {
    const shape = queryShape({ rule: ['shell', 'mount'] });
    const hour = planBucket(shape, counts({ '2': 100, '2rshell': 40, '3': 10, '3rmount': 10 }))!;
    const series = counts({ '0:2': 50, '1:2': 50, '1:3': 4, '2:3': 6 });
    const [m0, m1, m2, m3] = planMinutes(shape, hour, series, [0, 1, 2, 3]);
    expect(m0!.groups.map((g) => g.priority)).toEqual(['2']);
    expect(m0).toMatchObject({ estimate: 20, entries: 20 });
    expect(m1!.groups.map((g) => g.priority)).toEqual(['2', '3']);
    expect(m1).toMatchObject({ estimate: 24, entries: 24 });
    expect(m2!.groups.map((g) => g.priority)).toEqual(['3']);
    expect(m2!.estimate).toBeCloseTo(6);
    expect(m3).toBeUndefined();
  });

  it('counts every filtered priority for the log', () => {
    const shape = queryShape({});
    const hour = planBucket(shape, counts({ '2': 3, '5': 1 }))!;
    const [m0, m1] = planMinutes(shape, hour, counts({ '0:2': 3, '1:5': 1 }), [0, 1]);
    expect(m0!.estimate).toBe(3);
    expect(m1!.estimate).toBe(1);
  });
});
