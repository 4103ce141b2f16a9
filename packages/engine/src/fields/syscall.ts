/**
 * `syscall` fields. A syscall event's payload is a record keyed by field name, as Harrier's sensors produce it
 * (`{"evt.type": "execve", "proc.name": "bash", "proc.aname": ["bash", "sshd", "systemd"], "evt.arg": {"res": "0"}}`).
 * The first table lists the fields our sensors produce; the second names (and describes) every other field Falco's
 * syscall rules use, so those rules compile — a rule whose condition needs one of them is never evaluated.
 */
import { genericFields } from './generic.js';
import { FieldRegistry, type EngineEvent, type FieldDef, type FieldType, type FieldValue } from './types.js';

type Record_ = Readonly<Record<string, unknown>>;

const record = (e: EngineEvent): Record_ | undefined =>
  typeof e.payload === 'object' && e.payload !== null ? (e.payload as Record_) : undefined;

function scalarOf(value: unknown): FieldValue | undefined {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'bigint' || type === 'boolean'
    ? (value as FieldValue)
    : undefined;
}

/** A produced field read from the payload under its own name. */
function produced(name: string, type: FieldType, desc: string): FieldDef {
  return { name, type, desc, bind: () => (e) => scalarOf(record(e)?.[name]) };
}

/** `proc.aname[N]`: the Nth ancestor (0 is the process itself); without N, every ancestor from the parent up. */
function ancestorField(name: string, desc: string): FieldDef {
  return {
    name,
    type: 'string',
    arg: { kind: 'index', required: false },
    desc,
    bind: (arg) => (e) => {
      const chain = record(e)?.[name];
      if (!Array.isArray(chain)) return undefined;
      if (arg !== undefined) return scalarOf(chain[Number(arg)]);
      const ancestors = chain
        .slice(1)
        .map(scalarOf)
        .filter((v) => v !== undefined);
      return ancestors.length === 0 ? undefined : ancestors;
    },
  };
}

const PRODUCED: FieldDef[] = [
  produced('evt.type', 'string', 'The name of the event (e.g. open, execve, connect).'),
  produced('evt.dir', 'string', "Event direction: '>' for enter events, '<' for exit events."),
  {
    name: 'evt.arg',
    type: 'string',
    arg: { kind: 'key', required: true },
    dottedArg: true,
    desc: 'One of the event arguments, by name or by number: evt.arg.fd, evt.arg[0].',
    bind:
      (arg = '') =>
      (e) => {
        const args = record(e)?.['evt.arg'];
        if (Array.isArray(args)) return /^[0-9]+$/.test(arg) ? scalarOf(args[Number(arg)]) : undefined;
        if (typeof args !== 'object' || args === null) return undefined;
        const value = scalarOf((args as Record_)[arg]);
        return value === undefined ? undefined : String(value);
      },
  },
  produced('proc.name', 'string', 'Name of the executable generating the event (truncated to 16 characters).'),
  produced('proc.exe', 'string', 'The first command-line argument (usually the executable name or a custom one).'),
  produced('proc.cmdline', 'string', 'Full process command line: proc.name + proc.args.'),
  produced('proc.args', 'string', 'The arguments passed on the command line when starting the process.'),
  produced('proc.pid', 'number', 'The id of the process generating the event.'),
  produced('proc.ppid', 'number', 'The pid of the parent of the process generating the event.'),
  produced('proc.pname', 'string', 'The proc.name of the parent of the process generating the event.'),
  produced('proc.pcmdline', 'string', 'The proc.cmdline of the parent of the process generating the event.'),
  ancestorField(
    'proc.aname',
    'The proc.name of an ancestor: [0] the process, [1] the parent, …; without an index, any ancestor.',
  ),
  produced('proc.tty', 'number', 'The controlling terminal of the process; 0 for processes without a terminal.'),
  produced('proc.cwd', 'string', 'The current working directory of the event.'),
  produced('user.uid', 'number', 'User ID.'),
  produced('user.name', 'string', 'User name.'),
  produced('user.loginuid', 'number', 'Audit user id (auid); -1 when unset.'),
  produced('group.gid', 'number', 'Group ID.'),
  produced('container.id', 'string', "The container id, or 'host' for processes outside containers."),
  produced('container.name', 'string', "The container name, or 'host'."),
  produced('container.image', 'string', 'The container image name (e.g. falcosecurity/falco:latest).'),
  produced('container.image.repository', 'string', 'The container image repository (e.g. falcosecurity/falco).'),
  produced('container.image.tag', 'string', 'The container image tag (e.g. stable, latest).'),
  produced('container.privileged', 'bool', 'true for containers running as privileged, false otherwise.'),
  produced('k8s.ns.name', 'string', 'The Kubernetes namespace of the pod the process runs in.'),
  produced('k8s.pod.name', 'string', 'The Kubernetes pod name.'),
  produced('fd.name', 'string', 'FD full name: a file path, or the connection tuple for sockets.'),
  produced(
    'fd.typechar',
    'string',
    "Type of the FD as one character: 'f' file, '4' IPv4 socket, '6' IPv6 socket, 'u' unix socket, …",
  ),
  produced('fd.sip', 'ipaddr', 'Source IP address.'),
  produced('fd.sport', 'number', 'Source TCP/UDP port.'),
  produced('fd.dip', 'ipaddr', 'Destination IP address.'),
  produced('fd.dport', 'number', 'Destination TCP/UDP port.'),
  produced('fd.l4proto', 'string', "The IP protocol of a socket: 'tcp', 'udp', 'icmp' or 'raw'."),
  produced('fd.sip.name', 'string', 'Domain name associated with the source IP address.'),
];

/** Fields Falco's syscall rules use that Harrier's sensors do not produce: names, types and descriptions only. */
const NOT_PRODUCED: Array<[name: string, type: FieldType, desc: string, extra?: Partial<FieldDef>]> = [];

function notProduced([name, type, desc, extra]: (typeof NOT_PRODUCED)[number]): FieldDef {
  return { name, type, desc, produced: false, bind: () => () => undefined, ...extra };
}

/** Every field of the `syscall` source. Rules are indexed on the event type. */
export const SYSCALL_FIELDS = new FieldRegistry(
  'syscall',
  [...genericFields('syscall', undefined), ...PRODUCED, ...NOT_PRODUCED.map(notProduced)],
  ['evt.type'],
);
