import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FIELDS_USAGE, PSP_USAGE, REPLAY_USAGE, runRulesCli, USAGE, VALIDATE_USAGE } from './main.js';

async function run(...argv: string[]) {
  const io = { stdout: '', stderr: '' };
  const status = await runRulesCli(argv, {
    out: (text) => void (io.stdout += text),
    err: (text) => void (io.stderr += text),
  });
  return { status, ...io };
}

async function tempFile(name: string, text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'harrier-cli-')), name);
  await writeFile(file, text);
  return file;
}

const RULES = `- list: verbs
  items: [create]
- rule: Pod created
  desc: d
  condition: ka.verb in (verbs) and ka.target.resource=pods
  output: pod %ka.target.name by %ka.user.name
  priority: NOTICE
  source: k8s_audit
  tags: [k8s]
- rule: Anything
  desc: d
  condition: ka.auditid exists
  output: event %ka.auditid
  priority: DEBUG
  source: k8s_audit
`;

const event = (id: string, verb: string) =>
  JSON.stringify({
    kind: 'Event',
    auditID: id,
    verb,
    user: { username: 'alice' },
    objectRef: { resource: 'pods', name: 'web' },
    stageTimestamp: '2024-05-01T10:00:00.000000001Z',
  });

describe('harrier-rules', () => {
  it.each([
    [[], USAGE],
    [['--help'], USAGE],
    [['help'], USAGE],
    [['validate', '--help'], VALIDATE_USAGE],
    [['replay', '-h'], REPLAY_USAGE],
    [['fields', '--help'], FIELDS_USAGE],
    [['psp', 'convert', '--help'], PSP_USAGE],
  ])('prints usage for %j', async (argv, usage) => {
    expect(await run(...argv)).toEqual({ status: 0, stdout: usage, stderr: '' });
  });

  it.each([
    [['frob'], "unknown command 'frob'", USAGE],
    [['validate'], 'validate needs at least one rules file (-r FILE)', VALIDATE_USAGE],
    [['validate', 'x.yaml'], "unexpected argument 'x.yaml' (rules files are given with -r)", VALIDATE_USAGE],
    [['validate', '--strict', '-r', 'x.yaml'], "Unknown option '--strict'", VALIDATE_USAGE],
    [['replay', '-r', 'x.yaml'], 'replay needs the audit events (-e EVENTS)', REPLAY_USAGE],
    [
      ['replay', '-r', 'x', '-e', 'y', '--rule-matching', 'some'],
      "--rule-matching must be first or all, not 'some'",
      REPLAY_USAGE,
    ],
    [
      ['replay', '-r', 'x', '-e', 'y', '--min-priority', 'loud'],
      "--min-priority: unknown priority 'loud'",
      REPLAY_USAGE,
    ],
    [['fields', '--source', 'okta'], "unknown source 'okta' (known: syscall, k8s_audit)", FIELDS_USAGE],
    [['psp'], "psp needs the subcommand 'convert'", PSP_USAGE],
    [['psp', 'convert'], 'psp convert needs a PodSecurityPolicy file', PSP_USAGE],
  ])('rejects %j with usage on stderr and status 2', async (argv, problem, usage) => {
    const result = await run(...argv);
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr.startsWith(`harrier-rules: ${problem}`)).toBe(true);
    expect(result.stderr.endsWith(usage)).toBe(true);
  });

  describe('validate', () => {
    it('loads clean files with status 0 and a summary', async () => {
      const file = await tempFile('rules.yaml', RULES);
      expect(await run('validate', '-r', file)).toEqual({
        status: 0,
        stdout: '1 file, 2 rules: 0 errors, 0 warnings\n',
        stderr: '',
      });
    });

    it('prints diagnostics in file order with excerpts and exits 1 on an error', async () => {
      const first = await tempFile('a.yaml', '- list: a\n  itms: []\n');
      const second = await tempFile('b.yaml', '- macro: m\n  condition: ka.verb = = x\n');
      const result = await run('validate', '-r', first, '-r', second);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(
        `${first}:2:3: warning LOAD_UNKNOWN_KEY Unknown key 'itms'. The key will be ignored. (list 'a')\n` +
          ' 2 |   itms: []\n   |   ^\n',
      );
      expect(result.stdout).toContain(`${second}:2:24: error LOAD_ERR_COMPILE_CONDITION expected a string value`);
      expect(result.stdout.indexOf(first)).toBeLessThan(result.stdout.indexOf(`${second}:2:24`));
      expect(result.stdout.endsWith('2 files, 0 rules: 2 errors, 2 warnings\n')).toBe(true);
    });

    it('exits 1 when a file cannot be read', async () => {
      const result = await run('validate', '-r', '/nonexistent/rules.yaml');
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(
        /^\/nonexistent\/rules\.yaml: error LOAD_ERR_FILE_READ Could not read rules file: ENOENT/,
      );
    });
  });

  describe('replay', () => {
    it('prints only JSON alerts on stdout; skipped input and the summary go to stderr', async () => {
      const rules = await tempFile('rules.yaml', RULES);
      const events = await tempFile(
        'events.jsonl',
        [event('1', 'create'), '{"kind": 0}', event('2', 'get')].join('\n'),
      );
      const result = await run('replay', '-r', rules, '-e', events, '--hostname', 'h');
      expect(result.status).toBe(0);
      const alerts = result.stdout
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(alerts.map((a) => [a['rule'], a['output']])).toEqual([
        ['Pod created', '10:00:00.000000001: Notice pod web by alice'],
        ['Anything', '10:00:00.000000001: Debug event 2'],
      ]);
      expect(alerts[0]).toMatchObject({ hostname: 'h', priority: 'Notice', source: 'k8s_audit', tags: ['k8s'] });
      expect(result.stdout).toContain('"evt.time":1714557600000000001,');
      expect(result.stderr).toBe(
        `${events}:2: warning: data not recognized as a k8s audit event, skipped\n2 events, 2 alerts, 1 input problem skipped\n`,
      );
    });

    it('matches all rules and honours the minimum priority', async () => {
      const rules = await tempFile('rules.yaml', RULES);
      const events = await tempFile(
        'events.json',
        JSON.stringify({ kind: 'EventList', items: [JSON.parse(event('1', 'create'))] }, null, 2),
      );
      const all = await run('replay', '-r', rules, '-e', events, '--rule-matching', 'all');
      expect(all.stdout.trimEnd().split('\n')).toHaveLength(2);
      const notice = await run(
        'replay',
        '-r',
        rules,
        '-e',
        events,
        '--rule-matching',
        'all',
        '--min-priority',
        'notice',
      );
      expect(
        notice.stdout
          .trimEnd()
          .split('\n')
          .map((l) => (JSON.parse(l) as { rule: string }).rule),
      ).toEqual(['Pod created']);
    });

    it('exits 1 without evaluating when the rules do not load', async () => {
      const rules = await tempFile('rules.yaml', '- rule: r\n  desc: d\n');
      const events = await tempFile('events.jsonl', event('1', 'create'));
      const result = await run('replay', '-r', rules, '-e', events);
      expect(result).toMatchObject({ status: 1, stdout: '' });
      expect(result.stderr).toContain("error LOAD_ERR_YAML_VALIDATE Item has no mapping for key 'condition'");
    });
  });

  describe('fields', () => {
    it('lists the fields of one source with descriptions, marking lists and unproduced fields', async () => {
      const k8s = await run('fields', '--source', 'k8s_audit');
      expect(k8s.status).toBe(0);
      expect(k8s.stdout).toMatch(/^Source k8s_audit \(\d+ fields\)\n/);
      expect(k8s.stdout).toContain(
        'ka.req.pod.containers.image[N]? (string, list)\n    The image of each container.\n',
      );
      expect(k8s.stdout).toContain('jevt.value[key] (string)\n');
      expect(k8s.stdout).not.toContain('proc.name');
      const syscall = await run('fields', '-s', 'syscall');
      expect(syscall.stdout).toContain('proc.name (string)\n');
      expect(syscall.stdout).toContain('evt.is_open_write (bool, not produced)\n');
    });

    it('lists every source by default', async () => {
      const result = await run('fields');
      expect(result.stdout).toMatch(/Source syscall[\s\S]*Source k8s_audit/);
    });
  });

  describe('psp convert', () => {
    const psp = `apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  annotations:
    falco-rules-psp-images: "[nginx]"
  name: no-privileged
spec:
  fsGroup:
    rule: "RunAsAny"
  hostPID: true
  hostIPC: true
  hostNetwork: true
  privileged: false
  readOnlyRootFilesystem: true
`;

    it('writes a rules file that loads, scoped to the annotated images (seed 003)', async () => {
      const file = await tempFile('psp.yaml', psp);
      const result = await run('psp', 'convert', file, '--name-prefix', 'my psp');
      expect(result).toMatchObject({ status: 0, stderr: '' });
      const items = parse(result.stdout) as Array<Record<string, unknown>>;
      expect(items.find((i) => i['list'] === 'my_psp_psp_images')).toEqual({
        list: 'my_psp_psp_images',
        items: ['nginx'],
      });
      expect(items.filter((i) => 'rule' in i).map((i) => i['rule'])).toEqual([
        'PSP my_psp Violation (privileged) K8s Audit',
        'PSP my_psp Violation (privileged) System Activity',
        'PSP my_psp Violation (hostPorts) K8s Audit',
        'PSP my_psp Violation (readOnlyRootFilesystem) K8s Audit',
        'PSP my_psp Violation (allowedCapabilities) K8s Audit',
        'PSP my_psp Violation (allowedProcMountTypes) K8s Audit',
      ]);
      const rules = await tempFile('psp_rules.yaml', result.stdout);
      expect(await run('validate', '-r', rules)).toMatchObject({
        status: 0,
        stdout: '1 file, 6 rules: 0 errors, 0 warnings\n',
      });
    });

    it('fails on something that is not a PodSecurityPolicy', async () => {
      const file = await tempFile('pod.yaml', 'kind: Pod\n');
      expect(await run('psp', 'convert', file)).toEqual({
        status: 1,
        stdout: '',
        stderr: `harrier-rules: ${file}: expected a PodSecurityPolicy (kind: PodSecurityPolicy)\n`,
      });
    });
  });
});
