import { describe, expect, it } from 'vitest';
import { RuleSet } from '../evaluate.js';
import { loadRulesText } from '../load.js';
import { caseEvent } from '../testing/cases.js';
import { convertPsp, PspConversionError } from './convert.js';

const PSP = `apiVersion: policy/v1beta1
kind: PodSecurityPolicy
metadata:
  name: restricted
  annotations:
    falco-rules-psp-namespaces: "[apps]"
spec:
  privileged: false
  allowPrivilegeEscalation: false
  hostPorts: [{ min: 8000, max: 8010 }, { min: 9090, max: 9090 }]
  volumes: [configMap, secret, hostPath]
  allowedHostPaths: [{ pathPrefix: /var/log }]
  runAsUser: { rule: MustRunAs, ranges: [{ min: 1000, max: 65535 }] }
  runAsGroup: { rule: MayRunAs, ranges: [{ min: 1000, max: 2000 }] }
  fsGroup: { rule: MustRunAs, ranges: [{ min: 2000, max: 3000 }] }
  supplementalGroups: { rule: RunAsAny }
  allowedCapabilities: [NET_BIND_SERVICE]
  seLinux: { rule: RunAsAny }
`;

const converted = convertPsp(PSP);
const loaded = loadRulesText([{ file: 'psp.yaml', text: converted.rules }]);
const ruleSet = new RuleSet(loaded.rules, { ruleMatching: 'all' });

/** The properties whose rules fire for a pod created in `apps` with this spec. */
function violations(spec: Record<string, unknown>, namespace = 'apps'): string[] {
  const event = caseEvent({
    auditID: 'a',
    stage: 'ResponseComplete',
    verb: 'create',
    objectRef: { resource: 'pods', namespace, name: 'p' },
    requestObject: { spec },
  });
  return ruleSet.match(event, 'k8s_audit').map((r) => /\((\w+)\)/.exec(r.name)?.[1] ?? r.name);
}

const good = {
  securityContext: { runAsUser: 1500, fsGroup: 2500, runAsGroup: 1500 },
  volumes: [
    { name: 'logs', hostPath: { path: '/var/log/app' } },
    { name: 'c', configMap: { name: 'c' } },
  ],
  containers: [
    {
      name: 'app',
      image: 'app:1',
      ports: [{ containerPort: 80, hostPort: 8005 }, { containerPort: 9090 }],
      securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] }, allowPrivilegeEscalation: false },
    },
  ],
};

describe('convertPsp', () => {
  it('produces rules that load cleanly and notes what it did not convert', () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings).toEqual([]);
    expect(converted.notConverted).toEqual(['seLinux']);
    expect(converted.rules).not.toContain('<NA>');
  });

  it('lets a compliant pod through', () => {
    expect(violations(good)).toEqual([]);
  });

  it('only looks at the annotated namespaces', () => {
    expect(violations({ ...good, hostPID: true }, 'default')).toEqual([]);
  });

  it.each([
    [
      'a privileged init container',
      { initContainers: [{ name: 'i', securityContext: { privileged: true } }] },
      ['privileged'],
    ],
    ['host pid', { hostPID: true }, ['hostPID']],
    ['a host port outside the ranges', { containers: [{ name: 'a', ports: [{ hostPort: 8011 }] }] }, ['hostPorts']],
    ['a host port inside the second range', { containers: [{ name: 'a', ports: [{ hostPort: 9090 }] }] }, []],
    ['an emptyDir volume', { volumes: [{ name: 'e', emptyDir: {} }] }, ['volumes']],
    [
      'a host path outside the prefixes',
      { volumes: [{ name: 'h', hostPath: { path: '/var/lib' } }] },
      ['allowedHostPaths'],
    ],
    [
      'a host path on a prefix boundary',
      { volumes: [{ name: 'h', hostPath: { path: '/var/logs' } }] },
      ['allowedHostPaths'],
    ],
    ['a container running as root', { containers: [{ name: 'a', securityContext: { runAsUser: 0 } }] }, ['runAsUser']],
    ['a run-as user inherited from the pod', { securityContext: { runAsUser: 70000 } }, ['runAsUser']],
    ['a group outside the range', { securityContext: { runAsGroup: 5 } }, ['runAsGroup']],
    ['an fsGroup outside the range', { securityContext: { fsGroup: 10 } }, ['fsGroup']],
    ['no fsGroup at all', { securityContext: {} }, []],
    [
      'an added capability',
      { containers: [{ name: 'a', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] },
      ['allowedCapabilities'],
    ],
    [
      'privilege escalation',
      { containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: true } }] },
      ['allowPrivilegeEscalation'],
    ],
    [
      'an unmasked proc mount',
      { containers: [{ name: 'a', securityContext: { procMount: 'Unmasked' } }] },
      ['allowedProcMountTypes'],
    ],
  ])('flags %s', (_name, change, expected) => {
    expect(violations({ ...good, ...change })).toEqual(expected);
  });

  it.each([
    ['a process running as root', { 'user.uid': 0 }, ['runAsUser']],
    ['a process running as an allowed user', { 'user.uid': 1500 }, []],
    ['a process on the host', { 'user.uid': 0, 'container.id': 'host' }, []],
    ['a privileged container starting', { 'evt.type': 'container', 'container.privileged': true }, ['privileged']],
    ['an unprivileged container starting', { 'evt.type': 'container', 'container.privileged': false }, []],
  ])('flags container activity: %s', (_name, change, expected) => {
    const payload = { 'evt.type': 'execve', 'evt.dir': '<', 'container.id': 'c0ffee', 'user.uid': 1500, ...change };
    const names = ruleSet.match(caseEvent(payload), 'syscall').map((r) => r.name);
    expect(names).toEqual(expected.map((p) => `PSP restricted Violation (${p}) System Activity`));
  });

  it('names everything with the prefix, spaces and dashes as underscores', () => {
    expect(convertPsp(PSP, { namePrefix: 'team-a psp' }).prefix).toBe('team_a_psp');
    expect(convertPsp(PSP.replace('name: restricted', 'name: my-policy')).rules).toContain(
      '- macro: my_policy_psp_kevt',
    );
  });

  it('refuses unknown spec fields, as a strict decode does', () => {
    expect(() => convertPsp(PSP.replace('  privileged: false', '  privileged: false\n  priviledged: true'))).toThrow(
      new PspConversionError('unknown field(s) in spec: priviledged'),
    );
  });
});
