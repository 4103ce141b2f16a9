import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules, RuleSet } from '@harrier/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPEND_OUTPUT } from '../append-output.js';
import type { Clock } from '../clock.js';
import { KubeletPods } from './kubelet-pods.js';
import { ProcfsSource, type ProcfsSourceOptions } from './procfs-source.js';
import { startKubelet } from './testing/kubelet.js';
import {
  CONTAINER,
  containerShell,
  POD_CGROUP,
  POD_NET,
  socketLine,
  writeBaseTree,
  writeProcess,
  type FixtureProcess,
} from './testing/proc-tree.js';

const fixedClock: Clock = { now: () => 1_714_557_600_000, sleep: () => Promise.resolve() };

let root: string;
let proc: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'harrier-procfs-'));
  proc = path.join(root, 'proc');
  writeBaseTree(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function startedSource(options: Pick<ProcfsSourceOptions, 'hostNames' | 'containers' | 'rescanEveryMs'> = {}) {
  const source = new ProcfsSource({ procRoot: proc, etcRoot: root, clock: fixedClock, hostname: 'node-1', ...options });
  await source.start();
  return source;
}

describe('ProcfsSource on a fixture tree', () => {
  it('reports nothing that was running at start', async () => {
    const source = await startedSource();
    expect(await source.poll()).toEqual([]);
  });

  it('reports a new process as an execve with every field Falco rules read', async () => {
    const source = await startedSource();
    writeProcess(proc, containerShell);
    expect(await source.poll()).toEqual([
      {
        'evt.type': 'execve',
        'evt.dir': '<',
        'proc.pid': 4242,
        'proc.ppid': 100,
        'proc.name': 'sh',
        'proc.exe': 'sh',
        'proc.exepath': '/bin/busybox',
        'proc.args': '-i',
        'proc.cmdline': 'sh -i',
        'proc.pname': 'containerd-shim',
        'proc.pcmdline': `containerd-shim -namespace k8s.io -id ${CONTAINER.slice(0, 12)}`,
        'proc.aname': ['sh', 'containerd-shim', 'systemd'],
        'proc.tty': 34816,
        'proc.cwd': '/usr/share/nginx/',
        'user.uid': 0,
        'user.name': 'root',
        'user.loginuid': -1,
        'group.gid': 0,
        'container.id': '3ad7b26ded6d',
      },
    ]);
  });

  it("adds the container's name, image and pod from the kubelet's pod list; 'host' names host processes", async () => {
    const kubelet = await startKubelet();
    try {
      const containers = new KubeletPods({ url: kubelet.url, tokenFile: path.join(root, 'no-token') });
      const source = await startedSource({ containers });
      writeProcess(proc, containerShell);
      writeProcess(proc, { pid: 5000, comm: 'vim', ppid: 1, argv: ['vim'], tty: 34817 });
      const [shell, vim] = await source.poll();
      expect(shell).toMatchObject({
        'container.id': '3ad7b26ded6d',
        'container.name': 'nginx',
        'container.image': 'docker.io/library/nginx:1.25.4',
        'container.image.repository': 'docker.io/library/nginx',
        'container.image.tag': '1.25.4',
        'container.privileged': false,
        'k8s.pod.name': 'web-7c9f8d6b5-x2kqp',
        'k8s.ns.name': 'shop',
      });
      expect(vim).toMatchObject({ 'container.id': 'host', 'container.name': 'host' });
      expect(vim).not.toHaveProperty('k8s.pod.name');
      expect(kubelet.requests).toEqual([undefined]);
    } finally {
      await kubelet.close();
    }
  });

  it("names a container process's user from the container's passwd, else the host's", async () => {
    const source = await startedSource();
    writeProcess(proc, { ...containerShell, uid: 1000, rootPasswd: 'app:x:1000:1000::/app:/bin/sh\n' });
    writeProcess(proc, { pid: 5000, comm: 'vim', ppid: 1, argv: ['vim'], uid: 1000, tty: 34817 });
    const payloads = await source.poll();
    expect(payloads.map((p) => [p['proc.name'], p['user.name'], p['container.id']])).toEqual([
      ['sh', 'app', '3ad7b26ded6d'],
      ['vim', 'alice', 'host'],
    ]);
  });

  it('reports an exec in a known process (its name changed), and a reused pid, but not kernel threads', async () => {
    const source = await startedSource({ rescanEveryMs: 100 });
    writeProcess(proc, { pid: 110, comm: 'bash', ppid: 100, argv: ['bash'], cgroup: POD_CGROUP, netns: POD_NET });
    writeProcess(proc, { pid: 1, comm: 'systemd', ppid: 0, argv: ['/sbin/init'], start: 99_999 });
    writeProcess(proc, { pid: 3, comm: 'kworker/0:1', ppid: 2, argv: [] });
    const payloads = await source.poll();
    expect(payloads.map((p) => [p['proc.pid'], p['proc.name']])).toEqual([
      [110, 'bash'],
      [1, 'systemd'],
    ]);
    expect(await source.poll()).toEqual([]);
  });

  it('sees new processes at every poll, and an exec in a known process at the next rescan', async () => {
    const source = await startedSource({ rescanEveryMs: 300 });
    writeProcess(proc, { pid: 110, comm: 'bash', ppid: 100, argv: ['bash'], cgroup: POD_CGROUP, netns: POD_NET });
    writeProcess(proc, { pid: 7000, comm: 'curl', ppid: 1, argv: ['curl', 'x'] });
    const names = async () => (await source.poll()).map((p) => p['proc.name']);
    expect(await names()).toEqual(['curl']);
    expect(await names()).toEqual([]);
    expect(await names()).toEqual(['bash']);
    expect(await names()).toEqual([]);
  });

  it('reports parents before children, each with its ancestry', async () => {
    const source = await startedSource();
    writeProcess(proc, { pid: 7001, comm: 'curl', ppid: 7000, argv: ['curl', 'x'], start: 600 });
    writeProcess(proc, { pid: 7000, comm: 'bash', ppid: 1, argv: ['bash'], start: 500 });
    const payloads = await source.poll();
    expect(payloads.map((p) => p['proc.aname'])).toEqual([
      ['bash', 'systemd'],
      ['curl', 'bash', 'systemd'],
    ]);
  });

  it('reports a new outgoing connection once, with its process, and not accepted or listening sockets', async () => {
    const source = await startedSource({ hostNames: new Map([['10.96.0.1', 'kubernetes.default.svc.cluster.local']]) });
    writeProcess(proc, {
      ...containerShell,
      pid: 4300,
      comm: 'curl',
      argv: ['curl', '-sk', 'https://kubernetes.default.svc/api'],
      sockets: ['5555', '5556', '5557'],
    });
    writeProcess(proc, {
      pid: 110,
      comm: 'nginx',
      ppid: 100,
      argv: ['nginx: master process nginx', '-g', 'daemon off;'],
      cgroup: POD_CGROUP,
      netns: POD_NET,
      sockets: ['700', '701'],
      net: {
        tcp:
          socketLine('00000000:0050', '00000000:0000', '0A', '700') +
          // Accepted on the listening port 80: a server's connection, not a connect.
          socketLine('1701200A:0050', '0200200A:D000', '01', '701') +
          socketLine('1701200A:C5D6', '0100600A:01BB', '01', '5555'),
        tcp6: socketLine(
          '0000000000000000FFFF00001701200A:C5D7',
          'B80D0120000000000000000001000000:0050',
          '02',
          '5556',
        ),
        udp: socketLine('1701200A:A000', '0A00600A:0035', '01', '5557'),
      },
    });
    const payloads = await source.poll();
    const connects = payloads.filter((p) => p['evt.type'] === 'connect');
    expect(connects.map((p) => p['proc.pid'])).toEqual([4300, 4300, 4300]);
    expect(connects[0]).toMatchObject({
      'evt.dir': '<',
      'proc.name': 'curl',
      'proc.cmdline': 'curl -sk https://kubernetes.default.svc/api',
      'container.id': '3ad7b26ded6d',
      'fd.typechar': '4',
      'fd.l4proto': 'tcp',
      'fd.name': '10.32.1.23:50646->10.96.0.1:443',
      'fd.sip': '10.96.0.1',
      'fd.sport': 443,
      'fd.dip': '10.96.0.1',
      'fd.dport': 443,
      'fd.sip.name': 'kubernetes.default.svc.cluster.local',
    });
    expect(connects[1]).toMatchObject({ 'fd.typechar': '6', 'fd.sip': '2001:db8::1', 'fd.sport': 80 });
    expect(connects[1]).not.toHaveProperty('fd.sip.name');
    expect(connects[2]).toMatchObject({
      'fd.typechar': '4',
      'fd.l4proto': 'udp',
      'fd.sip': '10.96.0.10',
      'fd.sport': 53,
    });
    expect(await source.poll()).toEqual([]);
  });
});

describe("Falco's unmodified rules on the fixture tree's events", () => {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
  const shared = process.env['HARRIER_SHARED'] ?? path.resolve(repoRoot, '../shared');
  const loadedRules = loadRules([path.join(shared, 'reference/falco/falco_rules.yaml')]).then((loaded) => {
    expect(loaded.errors).toEqual([]);
    return loaded.rules;
  });
  const ruleSet = loadedRules.then((rules) => new RuleSet(rules, { ruleMatching: 'all' }));

  /** The rules that fire on the events of one poll after `fixture` appeared, read through `events()`. */
  async function rulesFired(
    fixtures: readonly FixtureProcess[],
    options: Pick<ProcfsSourceOptions, 'hostNames' | 'containers'> = {},
  ) {
    let sleeps = 0;
    const clock: Clock = {
      now: () => fixedClock.now(),
      sleep: async () => {
        if (++sleeps > 1) await source.stop();
      },
    };
    const source = new ProcfsSource({ procRoot: proc, etcRoot: root, clock, ...options });
    await source.start();
    for (const fixture of fixtures) writeProcess(proc, fixture);
    const rules = await ruleSet;
    const fired: string[] = [];
    for await (const { source: kind, event } of source.events()) {
      fired.push(...rules.evaluate(event, kind).map((a) => a.rule));
    }
    return fired;
  }

  it('"Terminal shell in container" fires on a container shell with a terminal', async () => {
    expect(await rulesFired([containerShell])).toEqual(['Terminal shell in container']);
  });

  it('"Terminal shell in container" fires with the kubelet lookup in place, its alert naming pod and image', async () => {
    const kubelet = await startKubelet();
    try {
      const containers = new KubeletPods({ url: kubelet.url, tokenFile: path.join(root, 'no-token') });
      expect(await rulesFired([containerShell], { containers })).toEqual(['Terminal shell in container']);
      expect(kubelet.requests).toHaveLength(1);
      // As the sensor runs them: with append_output's container and Kubernetes fields.
      rmSync(path.join(proc, '4242'), { recursive: true });
      const source = await startedSource({ containers });
      writeProcess(proc, containerShell);
      const [payload] = await source.poll();
      const appended = new RuleSet(await loadedRules, { ruleMatching: 'all', appendOutput: APPEND_OUTPUT });
      const [alert] = appended.evaluate({ timeNs: 1n, payload: payload! }, 'syscall');
      expect(alert?.rule).toBe('Terminal shell in container');
      expect(alert?.output).toMatch(/container_image_repository=docker\.io\/library\/nginx .*k8s_ns_name=shop$/);
      expect(alert?.output_fields).toMatchObject({ 'k8s.pod.name': 'web-7c9f8d6b5-x2kqp', 'k8s.ns.name': 'shop' });
    } finally {
      await kubelet.close();
    }
  });

  it('and not on the same shell without a terminal, nor on a host shell', async () => {
    expect(await rulesFired([{ ...containerShell, tty: 0 }])).toEqual([]);
    rmSync(path.join(proc, '4242'), { recursive: true });
    expect(await rulesFired([{ ...containerShell, cgroup: '0::/user.slice/session-1.scope\n' }])).toEqual([]);
  });

  it('"Contact K8S API Server From Container" fires on a connection to the API server\'s service address', async () => {
    const curl: FixtureProcess = {
      ...containerShell,
      comm: 'curl',
      argv: ['curl', 'https://kubernetes.default.svc/api'],
      tty: 0,
      sockets: ['5555'],
    };
    // The pod's network namespace, as every process in it sees it.
    const nginx: FixtureProcess = {
      pid: 110,
      comm: 'nginx',
      ppid: 100,
      argv: ['nginx'],
      cgroup: POD_CGROUP,
      netns: POD_NET,
      net: { tcp: socketLine('1701200A:C5D6', '0100600A:01BB', '01', '5555') },
    };
    const hostNames = new Map([['10.96.0.1', 'kubernetes.default.svc.cluster.local']]);
    expect(await rulesFired([curl, nginx], { hostNames })).toEqual(['Contact K8S API Server From Container']);
  });
});
