import { alertNamespace, alertPod, PRIORITIES, validateFalcoAlert, type FalcoAlert } from '@harrier/alert';
import { describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../clock.js';
import { DEMO_NAMESPACES } from './cluster.js';
import { DemoSource, type DemoSourceOptions } from './demo-source.js';
import { seededRandom } from './random.js';
import { DEMO_SCENARIOS } from './scenarios.js';

/** A clock whose sleeps pass at once, moving time forward by exactly what was asked. */
function fakeClock(start = Date.UTC(2024, 4, 17, 15, 31, 56)): Clock {
  let now = start;
  return {
    now: () => now,
    sleep: (ms) => {
      now += Math.max(ms, 0);
      return Promise.resolve();
    },
  };
}

async function run(options: DemoSourceOptions): Promise<FalcoAlert[]> {
  const source = new DemoSource({ clock: fakeClock(), ...options });
  await source.start();
  const alerts: FalcoAlert[] = [];
  for await (const alert of source.events()) alerts.push(alert);
  return alerts;
}

const seeded = (seed: number, count: number) => run({ random: seededRandom(seed), count });

describe('DemoSource', () => {
  it('produces the same alerts for the same seed, and others for another', async () => {
    const first = await seeded(42, 50);
    expect(await seeded(42, 50)).toEqual(first);
    expect((await seeded(43, 50)).map((a) => a.output)).not.toEqual(first.map((a) => a.output));
  });

  it('produces alerts that validate unchanged, in Falco text and time formats', async () => {
    for (const alert of await seeded(1, 300)) {
      expect(validateFalcoAlert(alert)).toEqual({ ok: true, value: alert });
      expect(alert.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(alert.output.startsWith(`${alert.time.slice(11, 29)}: ${alert.priority} `)).toBe(true);
      expect(alert.output_fields['evt.time']).toBeTypeOf('number');
    }
  });

  it('spreads a run over every scenario, namespace and several hosts and priorities', async () => {
    const alerts = await seeded(7, 500);
    const seen = (f: (a: FalcoAlert) => string | undefined) => new Set(alerts.map(f));
    expect(seen((a) => a.rule)).toEqual(new Set(DEMO_SCENARIOS.map((s) => s.rule)));
    expect(seen(alertNamespace)).toEqual(new Set(DEMO_NAMESPACES));
    expect(seen((a) => a.hostname).size).toBeGreaterThanOrEqual(3);
    expect([...seen((a) => a.priority)].sort()).toEqual(['Critical', 'Error', 'Notice', 'Warning']);
    expect(seen((a) => a.source)).toEqual(new Set(['syscall', 'k8s_audit']));
    // Notices and warnings are the bulk; errors and criticals stay occasional.
    const severe = alerts.filter((a) => PRIORITIES.indexOf(a.priority) >= PRIORITIES.indexOf('Error'));
    expect(severe.length / alerts.length).toBeGreaterThan(0.02);
    expect(severe.length / alerts.length).toBeLessThan(0.2);
  });

  it('says where each alert happened in the fields the hub indexes', async () => {
    for (const alert of await seeded(3, 200)) {
      expect(alertNamespace(alert)).toBeDefined();
      const fields = alert.output_fields;
      if (alert.source === 'syscall') {
        for (const field of [
          'k8s.ns.name',
          'k8s.pod.name',
          'container.image.repository',
          'proc.cmdline',
          'user.name',
        ]) {
          expect(typeof fields[field], `${alert.rule}: ${field}`).toBe('string');
        }
      } else {
        for (const field of ['ka.target.namespace', 'ka.target.resource', 'ka.target.name']) {
          expect(typeof fields[field], `${alert.rule}: ${field}`).toBe('string');
        }
      }
      if (fields['ka.target.resource'] === 'pods') expect(alertPod(alert)).toBe(fields['ka.resp.name']);
    }
  });

  it('paces alerts at the rate', async () => {
    const alerts = await run({ rate: 4, count: 5, random: seededRandom(1) });
    const gaps = alerts.slice(1).map((a, i) => Date.parse(a.time) - Date.parse(alerts[i]!.time));
    expect(gaps).toEqual([250, 250, 250, 250]);
  });

  it('stops at once when stopped while waiting for the next alert', async () => {
    const source = new DemoSource({ rate: 0.001, clock: systemClock, random: seededRandom(1) });
    await source.start();
    const alerts: FalcoAlert[] = [];
    const started = Date.now();
    for await (const alert of source.events()) {
      alerts.push(alert);
      setTimeout(() => void source.stop(), 10);
    }
    expect(alerts).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses to produce before start() and rejects a bad rate', async () => {
    await expect(new DemoSource().events().next()).rejects.toThrow(/before start/);
    expect(() => new DemoSource({ rate: 0 })).toThrow(RangeError);
  });
});
