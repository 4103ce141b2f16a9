/**
 * What the demo makes happen: upstream Falco rules (falco_rules.yaml, falco-sandbox_rules.yaml,
 * k8s_audit_rules.yaml) with their priorities, tags and output formats, and plausible values for their fields.
 */
import type { Priority } from '@harrier/alert';
import { AUDIT_NODE, DEMO_K8S_USERS, DEMO_NAMESPACES, DEMO_PODS, type DemoPod } from './cluster.js';
import { evtTime, type FalcoInstant, type FieldValue } from './falco-format.js';
import { integer, pick, type Random } from './random.js';

export type DemoEventSource = 'syscall' | 'k8s_audit';

export interface Occurrence {
  hostname: string;
  /** Values keyed by field as the output writes them; a field left out prints `<NA>`. */
  values: Record<string, FieldValue>;
}

export interface Scenario {
  rule: string;
  priority: Priority;
  source: DemoEventSource;
  /** Sorted, as Falco's JSON has them. */
  tags: readonly string[];
  /** How often it happens relative to the others. */
  weight: number;
  /** The rule's `output`, as upstream writes it. */
  output: string;
  occur(random: Random, at: FalcoInstant): Occurrence;
}

/** Where a syscall happened: the pod's node and the fields `APPEND_OUTPUT` names. */
function inPod(pod: DemoPod): Occurrence {
  return {
    hostname: pod.node,
    values: {
      'container.id': pod.container.id,
      'container.name': pod.container.name,
      'container.image.repository': pod.image.repository,
      'container.image.tag': pod.image.tag,
      'k8s.pod.name': pod.name,
      'k8s.ns.name': pod.namespace,
    },
  };
}

/** The user fields every syscall rule prints: processes in these containers run as root. */
const ROOT = { 'user.name': 'root', 'user.uid': 0, 'user.loginuid': -1 };

/** An API request: a random user acting on one of `names` in a random namespace. */
function auditRequest(random: Random, names: readonly string[]) {
  const namespace = pick(random, DEMO_NAMESPACES);
  const name = pick(random, names);
  return {
    name,
    values: {
      'ka.user.name': pick(random, DEMO_K8S_USERS),
      'ka.target.namespace': namespace,
      'ka.target.name': name,
    },
  };
}

const SHELLS = [
  { name: 'bash', exe: '/bin/bash', cmdline: 'bash' },
  { name: 'sh', exe: '/bin/sh', cmdline: 'sh -i' },
  { name: 'ash', exe: '/bin/ash', cmdline: 'ash' },
] as const;

const API_CLIENTS = [
  { name: 'kubectl', exe: '/usr/local/bin/kubectl', cmdline: 'kubectl get secrets -A', parent: 'bash', tty: 34816 },
  {
    name: 'curl',
    exe: '/usr/bin/curl',
    cmdline: 'curl -sk https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets',
    parent: 'sh',
    tty: 34817,
  },
  { name: 'python3', exe: '/usr/bin/python3', cmdline: 'python3 /tmp/enum.py', parent: 'bash', tty: 0 },
] as const;

const BINARY_WRITES = [
  {
    file: '/bin/ps',
    name: 'cp',
    exe: '/bin/cp',
    cmdline: 'cp /tmp/.ps /bin/ps',
    parent: 'sh',
    pcmdline: 'sh -c cp /tmp/.ps /bin/ps',
  },
  {
    file: '/usr/local/bin/kubectl',
    name: 'curl',
    exe: '/usr/bin/curl',
    cmdline: 'curl -sLo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.29.2/bin/linux/amd64/kubectl',
    parent: 'bash',
    pcmdline: 'bash',
  },
  {
    file: '/usr/sbin/nologin',
    name: 'tee',
    exe: '/usr/bin/tee',
    cmdline: 'tee /usr/sbin/nologin',
    parent: 'bash',
    pcmdline: 'bash',
  },
] as const;

const DROPPED_BINARIES = ['/tmp/.cache/kworkerd', '/dev/shm/xmrig', '/var/tmp/.x/dropper'] as const;

const HOST_PATHS = ['/proc', '/var/run/docker.sock', '/etc', '/root', '/var/lib/kubelet'] as const;

const DEBUG_IMAGES = [
  'docker.io/library/busybox:1.36',
  'docker.io/library/ubuntu:22.04',
  'docker.io/nicolaka/netshoot:v0.12',
] as const;

const MINUTE_NS = 60_000_000_000;

export const DEMO_SCENARIOS: readonly Scenario[] = [
  {
    rule: 'Terminal shell in container',
    priority: 'Notice',
    source: 'syscall',
    tags: ['T1059', 'container', 'maturity_stable', 'mitre_execution', 'shell'],
    weight: 30,
    output:
      'A shell was spawned in a container with an attached terminal | evt_type=%evt.type user=%user.name' +
      ' user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath' +
      ' parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags',
    occur(random) {
      const where = inPod(pick(random, DEMO_PODS));
      const shell = pick(random, SHELLS);
      return {
        hostname: where.hostname,
        values: {
          ...where.values,
          ...ROOT,
          'evt.type': 'execve',
          'proc.name': shell.name,
          'proc.exepath': shell.exe,
          'proc.pname': 'runc',
          'proc.cmdline': shell.cmdline,
          'proc.tty': 34816 + integer(random, 0, 3),
          'evt.arg.flags': 'EXE_WRITABLE|EXE_LOWER_LAYER',
        },
      };
    },
  },
  {
    rule: 'Contact K8S API Server From Container',
    priority: 'Notice',
    source: 'syscall',
    tags: ['T1565', 'container', 'k8s', 'maturity_stable', 'mitre_discovery', 'network'],
    weight: 20,
    output:
      'Unexpected connection to K8s API Server from container | connection=%fd.name lport=%fd.lport' +
      ' rport=%fd.rport fd_type=%fd.type fd_proto=%fd.l4proto evt_type=%evt.type user=%user.name user_uid=%user.uid' +
      ' user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname' +
      ' command=%proc.cmdline terminal=%proc.tty',
    occur(random) {
      // The upstream rule exempts known k8s containers, such as those of kube-system.
      const where = inPod(
        pick(
          random,
          DEMO_PODS.filter((p) => p.namespace !== 'kube-system'),
        ),
      );
      const client = pick(random, API_CLIENTS);
      const port = integer(random, 32768, 60999);
      return {
        hostname: where.hostname,
        values: {
          ...where.values,
          ...ROOT,
          'fd.name': `10.32.${integer(random, 0, 3)}.${integer(random, 2, 254)}:${port}->10.96.0.1:443`,
          'fd.lport': port,
          'fd.rport': 443,
          'fd.type': 'ipv4',
          'fd.l4proto': 'tcp',
          'evt.type': 'connect',
          'proc.name': client.name,
          'proc.exepath': client.exe,
          'proc.pname': client.parent,
          'proc.cmdline': client.cmdline,
          'proc.tty': client.tty,
        },
      };
    },
  },
  {
    rule: 'Create Sensitive Mount Pod',
    priority: 'Warning',
    source: 'k8s_audit',
    tags: ['k8s'],
    weight: 12,
    output:
      'Pod started with sensitive mount (user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace' +
      ' resource=%ka.target.resource images=%ka.req.pod.containers.image volumes=%jevt.value[/requestObject/spec/volumes])',
    occur(random) {
      const request = auditRequest(random, ['node-debugger', 'hostpath-inspector', 'log-shipper-x7k2p']);
      const path = pick(random, HOST_PATHS);
      const volume = { hostPath: { path, type: '' }, name: path.split('/').at(-1) ?? 'host' };
      return {
        hostname: AUDIT_NODE,
        values: {
          ...request.values,
          'ka.resp.name': request.name,
          'ka.target.resource': 'pods',
          'ka.req.pod.containers.image': [pick(random, DEBUG_IMAGES)],
          // jevt.value yields JSON text, which Falco prints and reports as a string.
          'jevt.value[/requestObject/spec/volumes]': JSON.stringify([volume]),
        },
      };
    },
  },
  {
    rule: 'Create Privileged Pod',
    priority: 'Warning',
    source: 'k8s_audit',
    tags: ['k8s'],
    weight: 12,
    output:
      'Pod started with privileged container (user=%ka.user.name pod=%ka.resp.name resource=%ka.target.resource' +
      ' ns=%ka.target.namespace images=%ka.req.pod.containers.image init_images=%ka.req.pod.initContainers.image' +
      ' ephemeral_images=%ka.req.pod.ephemeralContainers.image)',
    occur(random) {
      const request = auditRequest(random, ['privileged-debug', 'net-tools-5b7c9', 'gpu-driver-installer-2kq8d']);
      return {
        hostname: AUDIT_NODE,
        values: {
          ...request.values,
          'ka.resp.name': request.name,
          'ka.target.resource': 'pods',
          'ka.req.pod.containers.image': [pick(random, DEBUG_IMAGES)],
          'ka.req.pod.initContainers.image': random() < 0.3 ? ['docker.io/library/busybox:1.36'] : null,
        },
      };
    },
  },
  {
    rule: 'Create/Modify Configmap With Private Credentials',
    priority: 'Warning',
    source: 'k8s_audit',
    tags: ['k8s'],
    weight: 12,
    output:
      'K8s configmap with private credential (user=%ka.user.name verb=%ka.verb resource=%ka.target.resource' +
      ' configmap=%ka.req.configmap.name)',
    occur(random) {
      const request = auditRequest(random, ['app-config', 'db-settings', 'payment-gateway-env', 'aws-credentials']);
      return {
        hostname: AUDIT_NODE,
        values: {
          ...request.values,
          'ka.verb': pick(random, ['create', 'update', 'patch']),
          'ka.target.resource': 'configmaps',
          'ka.req.configmap.name': request.name,
        },
      };
    },
  },
  {
    rule: 'Write below binary dir',
    priority: 'Error',
    source: 'syscall',
    tags: ['T1543', 'container', 'filesystem', 'host', 'maturity_sandbox', 'mitre_persistence'],
    weight: 6,
    output:
      'File below a known binary directory opened for writing | file=%fd.name pcmdline=%proc.pcmdline' +
      ' gparent=%proc.aname[2] evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid' +
      ' process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty',
    occur(random) {
      const where = inPod(pick(random, DEMO_PODS));
      const write = pick(random, BINARY_WRITES);
      return {
        hostname: where.hostname,
        values: {
          ...where.values,
          ...ROOT,
          'fd.name': write.file,
          'proc.pcmdline': write.pcmdline,
          'proc.aname[2]': 'runc',
          'evt.type': 'openat',
          'proc.name': write.name,
          'proc.exepath': write.exe,
          'proc.pname': write.parent,
          'proc.cmdline': write.cmdline,
          'proc.tty': 34816,
        },
      };
    },
  },
  {
    rule: 'Drop and execute new binary in container',
    priority: 'Critical',
    source: 'syscall',
    tags: ['PCI_DSS_11.5.1', 'TA0003', 'container', 'maturity_stable', 'mitre_persistence', 'process'],
    weight: 4,
    output:
      'Executing binary not part of base image | proc_exe=%proc.exe proc_sname=%proc.sname gparent=%proc.aname[2]' +
      ' proc_exe_ino_ctime=%proc.exe_ino.ctime proc_exe_ino_mtime=%proc.exe_ino.mtime' +
      ' proc_exe_ino_ctime_duration_proc_start=%proc.exe_ino.ctime_duration_proc_start proc_cwd=%proc.cwd' +
      ' container_start_ts=%container.start_ts evt_type=%evt.type user=%user.name user_uid=%user.uid' +
      ' user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname' +
      ' command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags',
    occur(random, at) {
      const where = inPod(pick(random, DEMO_PODS));
      const exe = pick(random, DROPPED_BINARIES);
      const name = exe.split('/').at(-1) ?? exe;
      // Dropped a few seconds before it ran, in a container started hours earlier.
      const now = evtTime(at);
      const dropped = now - integer(random, 2, 30) * 1_000_000_000;
      return {
        hostname: where.hostname,
        values: {
          ...where.values,
          ...ROOT,
          'proc.exe': exe,
          'proc.sname': 'bash',
          'proc.aname[2]': 'runc',
          'proc.exe_ino.ctime': dropped,
          'proc.exe_ino.mtime': dropped,
          'proc.exe_ino.ctime_duration_proc_start': now - dropped,
          'proc.cwd': '/tmp/',
          'container.start_ts': now - integer(random, 60, 600) * MINUTE_NS,
          'evt.type': 'execve',
          'proc.name': name,
          'proc.exepath': exe,
          'proc.pname': 'bash',
          'proc.cmdline': name,
          'proc.tty': 34816,
          'evt.arg.flags': 'EXE_WRITABLE|EXE_UPPER_LAYER',
        },
      };
    },
  },
];
