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
const NOT_PRODUCED: Array<[name: string, type: FieldType, desc: string, extra?: Partial<FieldDef>]> = [
  ['evt.args', 'string', 'All the event arguments, aggregated into a single string.'],
  ['evt.res', 'string', "Event return value, as a string: 'SUCCESS' or an error code such as 'ENOENT'."],
  ['evt.rawres', 'number', 'Event return value, as a number (e.g. -2).'],
  ['evt.buffer', 'bytes', 'The binary data buffer of I/O events (read, write, send, recv, …).'],
  [
    'evt.is_open_read',
    'bool',
    'true for open/openat/openat2/open_by_handle_at events where the path was opened for reading.',
  ],
  [
    'evt.is_open_write',
    'bool',
    'true for open/openat/openat2/open_by_handle_at events where the path was opened for writing.',
  ],
  [
    'evt.is_open_exec',
    'bool',
    'true for open/openat/openat2/open_by_handle_at or creat events where a file is created with execute permissions.',
  ],
  ['fd.num', 'number', 'The unique number identifying the file descriptor.'],
  [
    'fd.type',
    'string',
    "Type of FD: 'file', 'directory', 'ipv4', 'ipv6', 'unix', 'pipe', 'event', 'signalfd', 'eventpoll', 'inotify', 'signalfd' or 'memfd'.",
  ],
  ['fd.directory', 'string', 'If the fd is a file, the directory that contains it.'],
  ['fd.filename', 'string', 'If the fd is a file, the filename without the path.'],
  ['fd.nameraw', 'string', 'FD full name raw: like fd.name, without path resolution.'],
  ['fd.name_changed', 'bool', 'True when an event changes the name of an fd used by this event (e.g. rename, linkat).'],
  ['fd.ip', 'ipaddr', 'Matches the ip address (client or server) of the fd.'],
  ['fd.cip', 'ipaddr', 'Client IP address.'],
  ['fd.lip.name', 'string', 'Domain name associated with the local IP address.'],
  ['fd.rip', 'ipaddr', 'Remote IP address.'],
  ['fd.cip.name', 'string', 'Domain name associated with the client IP address.'],
  ['fd.rip.name', 'string', 'Domain name associated with the remote IP address.'],
  ['fd.port', 'number', 'Matches the port (client or server) of the fd.'],
  ['fd.lport', 'number', 'Local TCP/UDP port.'],
  ['fd.rport', 'number', 'Remote TCP/UDP port.'],
  ['fd.net', 'ipnet', 'Matches the IP network (client or server) of the fd.'],
  ['fd.cnet', 'ipnet', 'Matches the client IP network of the fd.'],
  ['fd.snet', 'ipnet', 'Matches the server IP network of the fd.'],
  ['fd.rnet', 'ipnet', 'Matches the remote IP network of the fd.'],
  ['fd.connected', 'bool', 'For TCP/UDP FDs, true if the socket is connected.'],
  ['fd.sockfamily', 'string', "The socket family for socket events: 'ip' or 'unix'."],
  ['proc.exepath', 'string', 'The full executable path of the process.'],
  ['proc.pexe', 'string', 'The proc.exe (first command-line argument) of the parent process.'],
  ['proc.pexepath', 'string', 'The proc.exepath (full executable path) of the parent process.'],
  [
    'proc.aexe',
    'string',
    'The proc.exe of an ancestor, by index ([1] the parent, …).',
    { arg: { kind: 'index', required: false } },
  ],
  [
    'proc.aexepath',
    'string',
    'The proc.exepath of an ancestor, by index.',
    { arg: { kind: 'index', required: false } },
  ],
  ['proc.sname', 'string', "The name of the current process's session leader."],
  ['proc.vpid', 'number', 'The id of the process generating the event as seen from its current PID namespace.'],
  ['proc.is_vpgid_leader', 'bool', 'true if the process is the leader of its process group in its PID namespace.'],
  [
    'proc.env',
    'string',
    'The environment variables of the process, or with [NAME] the value of one of them.',
    { arg: { kind: 'key', required: false } },
  ],
  ['proc.duration', 'reltime', 'Number of nanoseconds since the process started.'],
  [
    'proc.exe_ino.ctime',
    'abstime',
    'Last status change time of the executable file (inode->ctime), in ns since the epoch.',
  ],
  [
    'proc.exe_ino.mtime',
    'abstime',
    'Last modification time of the executable file (inode->mtime), in ns since the epoch.',
  ],
  [
    'proc.exe_ino.ctime_duration_proc_start',
    'reltime',
    "Nanoseconds between the executable file's last status change and the process start.",
  ],
  [
    'proc.is_exe_upper_layer',
    'bool',
    'true if the executable file is in the upper layer of an overlayfs (written in the container).',
  ],
  ['proc.is_exe_from_memfd', 'bool', 'true if the executable file lives in a memfd (fileless execution).'],
  ['thread.cap_permitted', 'string', 'The permitted capabilities set.'],
  ['thread.cap_effective', 'string', 'The effective capabilities set.'],
  ['user.loginname', 'string', 'Audit user name (auid).'],
  ['group.name', 'string', 'Group name.'],
  ['container.start_ts', 'abstime', 'Container start as a unix timestamp in ns.'],
  ['container.mounts', 'string', 'A space-separated list of mount information for the container.'],
  [
    'container.mount.dest',
    'string',
    'Information about the container mount with the given destination (a glob is allowed).',
    { arg: { kind: 'key', required: true } },
  ],
];

function notProduced([name, type, desc, extra]: (typeof NOT_PRODUCED)[number]): FieldDef {
  return { name, type, desc, produced: false, bind: () => () => undefined, ...extra };
}

/** Every field of the `syscall` source. Rules are indexed on the event type. */
export const SYSCALL_FIELDS = new FieldRegistry(
  'syscall',
  [...genericFields('syscall', undefined), ...PRODUCED, ...NOT_PRODUCED.map(notProduced)],
  ['evt.type'],
);
