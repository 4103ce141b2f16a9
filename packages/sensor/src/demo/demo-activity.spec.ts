import { DEFAULT_RULES_FILE, loadRules, RuleSet } from '@harrier/engine';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { DEMO_ACTIVITIES, DemoActivitySource } from './demo-activity.js';
import { seededRandom } from './random.js';

const instantClock: Clock = { now: () => 1_714_557_600_000, sleep: () => Promise.resolve() };

async function rulesFor(activity: (typeof DEMO_ACTIVITIES)[number]) {
  const loaded = await loadRules([DEFAULT_RULES_FILE]);
  expect(loaded.errors).toEqual([]);
  const ruleSet = new RuleSet(loaded.rules, { ruleMatching: 'all' });
  const { source, event } = activity.make(seededRandom(1), instantClock.now());
  return ruleSet.evaluate(event, source).map((a) => a.rule);
}

describe('demo activity', () => {
  it.each(DEMO_ACTIVITIES.filter((a) => a.name.endsWith('(benign)')).map((a) => [a.name, a] as const))(
    '%s raises no default rule',
    async (_, activity) => {
      expect(await rulesFor(activity)).toEqual([]);
    },
  );

  it.each([
    ['kubectl exec into a pod', 'Harrier: Exec or Attach Into Pod'],
    ['terminal shell in a container', 'Harrier: Terminal Shell In Container'],
    ['container contacts the API server', 'Harrier: Unexpected Connection To K8s API Server'],
    ['pod with a sensitive host path', 'Harrier: Pod Mounts Sensitive Host Path'],
    ['privileged pod', 'Harrier: Privileged Pod Created'],
    ['configmap with credentials', 'Harrier: ConfigMap With Private Credentials'],
    ['binding to cluster-admin', 'Harrier: Binding To cluster-admin'],
  ])('%s raises %s', async (name, rule) => {
    const activity = DEMO_ACTIVITIES.find((a) => a.name === name);
    expect(activity).toBeDefined();
    if (activity) expect(await rulesFor(activity)).toEqual([rule]);
  });

  it('paces, counts and replays a seed', async () => {
    const run = async () => {
      const source = new DemoActivitySource({ rate: 1000, count: 50, random: seededRandom(7), clock: instantClock });
      await source.start();
      const events = [];
      for await (const e of source.events()) events.push(e);
      return events;
    };
    const first = await run();
    expect(first).toHaveLength(50);
    expect(new Set(first.map((e) => e.source))).toEqual(new Set(['k8s_audit', 'syscall']));
    expect(await run()).toEqual(first);
  });
});
