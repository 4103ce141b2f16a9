/**
 * A node sensor that needs no kernel module: it polls `/proc` for processes that started (or exec'd) and for TCP/UDP
 * connections that appeared since the last poll, and reports them as Falco `syscall` events (`execve` and `connect`,
 * exit direction `<`) with the fields Falco's rules read.
 *
 * What polling cannot see (see README): a process that starts and ends between two polls; an exec that keeps the
 * same `comm` (`bash` exec'ing `bash`); every exec but the last of a process exec'ing several times within one
 * interval; a connection opened and closed between two polls; the parent at exec time when it has exited since (the
 * orphan is then reported with its new parent, usually the container's shim or init). Processes and connections
 * already there at start are not reported.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '../clock.js';
import type { EventSource, SensorEvent } from '../source.js';
import type { ContainerLookup } from './kubelet-pods.js';
import { listDirectory, readBytes, readLine, readLink, readText } from './proc-read.js';
import {
  containerIdFromCgroup,
  parseCmdline,
  parsePasswd,
  parseSocketTable,
  parseStat,
  parseStatusIds,
  type L4Proto,
  type SocketEntry,
} from './proc-files.js';

export interface ProcfsSourceOptions {
  /** Default `/proc`; a host's `/proc` mounted elsewhere in a container, or a fixture tree. */
  procRoot?: string;
  /** Where `etc/passwd` is read for `user.name`. Default `/`. */
  etcRoot?: string;
  /** Poll interval. Default 100 ms. */
  intervalMs?: number;
  /**
   * How often processes already known are read again to see an exec (a new `comm`); new processes are seen at every
   * poll. Reading every process is most of a poll's cost. Default 1 s, or every poll when the interval is longer.
   */
  rescanEveryMs?: number;
  /**
   * Names for remote addresses, Falco's `fd.sip.name` (Falco learns them from the DNS answers a process reads; a
   * poller cannot). Map the API server's service address to `kubernetes.default.svc.cluster.local`, for example.
   */
  hostNames?: ReadonlyMap<string, string>;
  /** `evt.hostname` of every event. */
  hostname?: string;
  /** Container name, image and `k8s.*` fields by container id (the kubelet's pod list); none without it. */
  containers?: ContainerLookup;
  clock?: Clock;
}

/** Ancestors followed for `proc.aname`. */
const MAX_ANCESTORS = 16;
const TCP_ESTABLISHED = 1;
const TCP_SYN_SENT = 2;
const TCP_LISTEN = 10;
const UDP_CONNECTED = 1;
const SOCKET_TABLES: ReadonlyArray<[file: string, proto: L4Proto]> = [
  ['tcp', 'tcp'],
  ['tcp6', 'tcp'],
  ['udp', 'udp'],
  ['udp6', 'udp'],
];

/** What is known of a live process. */
interface ProcessEntry {
  pid: number;
  ppid: number;
  comm: string;
  ttyNr: number;
  startTime: string;
  /** Read when first needed after an exec. */
  details?: ProcessDetails | undefined;
  /** `net:[inode]`, or `pid:PID` when the namespace link cannot be read. */
  netns?: string;
}

interface ProcessDetails {
  argv: string[];
  exePath?: string;
  cwd?: string;
  uid?: number;
  gid?: number;
  loginUid?: number;
  containerId: string;
}

type Payload = Record<string, string | number | boolean | readonly string[]>;

export class ProcfsSource implements EventSource<SensorEvent> {
  readonly name = 'procfs';
  private readonly procRoot: string;
  private readonly etcRoot: string;
  private readonly intervalMs: number;
  private readonly clock: Clock;
  private processes = new Map<number, ProcessEntry>();
  /** Connection sockets already reported (or there at start), per network namespace. */
  private connections = new Map<string, Set<string>>();
  private users = new Map<number, string>();
  /** Users of each container's own /etc/passwd, when readable through /proc/PID/root. */
  private containerUsers = new Map<string, Map<number, string>>();
  private running: AbortController | undefined;
  /** Every how many polls known processes are read again. */
  private readonly rescanEvery: number;
  private polls = 0;

  constructor(private readonly options: ProcfsSourceOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.etcRoot = options.etcRoot ?? '/';
    this.intervalMs = options.intervalMs ?? 100;
    if (!(this.intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${this.intervalMs}`);
    this.clock = options.clock ?? systemClock;
    this.rescanEvery = Math.max(1, Math.round((options.rescanEveryMs ?? 1_000) / this.intervalMs));
  }

  /** Takes stock of what is already running, so that only what starts afterwards is reported. */
  async start(): Promise<void> {
    if (this.running) return;
    this.users = await readFile(path.join(this.etcRoot, 'etc/passwd'), 'utf8')
      .then(parsePasswd)
      .catch(() => new Map<number, string>());
    await this.poll();
    this.running = new AbortController();
  }

  stop(): Promise<void> {
    this.running?.abort();
    this.running = undefined;
    return Promise.resolve();
  }

  async *events(): AsyncGenerator<SensorEvent> {
    const signal = this.running?.signal;
    if (signal === undefined) throw new Error('ProcfsSource.events() called before start()');
    let due = this.clock.now();
    while (!signal.aborted) {
      due += this.intervalMs;
      await this.clock.sleep(due - this.clock.now(), signal);
      if (signal.aborted) return;
      // A slow consumer or a slow poll does not make the sensor poll in a burst to catch up.
      due = Math.max(due, this.clock.now() - this.intervalMs);
      for (const payload of await this.poll()) yield this.event(payload);
    }
  }

  /** One look at /proc: the payloads of what started since the last look. */
  async poll(): Promise<Payload[]> {
    const started = this.scanProcesses(this.polls++ % this.rescanEvery === 0);
    const payloads: Payload[] = [];
    // Before start completes, the poll only takes stock.
    if (this.running === undefined) {
      await this.scanConnections(new Set());
      return payloads;
    }
    for (const entry of started) {
      const payload = await this.processPayload(entry);
      if (payload !== undefined) payloads.push({ ...payload, 'evt.type': 'execve', 'evt.dir': '<' });
    }
    payloads.push(...(await this.scanConnections(new Set(started.map((e) => e.pid)))));
    return payloads;
  }

  private event(payload: Payload): SensorEvent {
    const timeNs = BigInt(this.clock.now()) * 1_000_000n;
    const event =
      this.options.hostname === undefined ? { timeNs, payload } : { timeNs, payload, hostname: this.options.hostname };
    return { source: 'syscall', event };
  }

  /**
   * Refreshes the process table; returns the processes that are new or exec'd since, parents first. Without
   * `rescan`, processes already known are kept as they were (a pid reused since is then taken for its old process).
   */
  private scanProcesses(rescan: boolean): ProcessEntry[] {
    const names = listDirectory(this.procRoot);
    const next = new Map<number, ProcessEntry>();
    const started: ProcessEntry[] = [];
    for (const name of names) {
      if (!/^\d+$/.test(name)) continue;
      const kept = rescan ? undefined : this.processes.get(Number(name));
      if (kept !== undefined) {
        next.set(kept.pid, kept);
        continue;
      }
      const stat = parseStat(readLine(this.file(name, 'stat')) ?? '');
      if (stat === undefined) continue;
      const known = this.processes.get(stat.pid);
      const same = known !== undefined && known.startTime === stat.startTime;
      const entry: ProcessEntry = {
        ...stat,
        details: same && known.comm === stat.comm ? known.details : undefined,
        ...(same && known.netns !== undefined ? { netns: known.netns } : {}),
      };
      next.set(stat.pid, entry);
      if (!same || known.comm !== stat.comm) started.push(entry);
    }
    this.processes = next;
    return started.sort((a, b) => Number(BigInt(a.startTime) - BigInt(b.startTime)) || a.pid - b.pid);
  }

  /** The process fields of an event; undefined for kernel threads and processes gone already. */
  private async processPayload(entry: ProcessEntry): Promise<Payload | undefined> {
    const details = this.details(entry);
    if (details === undefined) return undefined;
    const [exe = entry.comm, ...args] = details.argv;
    const payload: Payload = {
      'proc.pid': entry.pid,
      'proc.ppid': entry.ppid,
      'proc.name': entry.comm,
      'proc.exe': exe,
      'proc.args': args.join(' '),
      'proc.cmdline': [entry.comm, ...args].join(' '),
      'proc.tty': entry.ttyNr,
      'proc.aname': this.ancestry(entry),
      'container.id': details.containerId,
    };
    if (details.containerId === 'host') payload['container.name'] = 'host';
    else Object.assign(payload, await this.options.containers?.lookup(details.containerId));
    const parent = this.processes.get(entry.ppid);
    if (parent !== undefined) {
      payload['proc.pname'] = parent.comm;
      const parentDetails = this.details(parent);
      if (parentDetails !== undefined) {
        payload['proc.pcmdline'] = [parent.comm, ...parentDetails.argv.slice(1)].join(' ');
      }
    }
    if (details.exePath !== undefined) payload['proc.exepath'] = details.exePath;
    // Falco ends the working directory with a slash.
    if (details.cwd !== undefined) payload['proc.cwd'] = details.cwd.endsWith('/') ? details.cwd : `${details.cwd}/`;
    if (details.uid !== undefined) {
      payload['user.uid'] = details.uid;
      const name = this.usersOf(entry, details.containerId).get(details.uid);
      if (name !== undefined) payload['user.name'] = name;
    }
    if (details.gid !== undefined) payload['group.gid'] = details.gid;
    if (details.loginUid !== undefined) payload['user.loginuid'] = details.loginUid;
    return payload;
  }

  /** `proc.aname`: the process's name, its parent's, and so on up. */
  private ancestry(entry: ProcessEntry): string[] {
    const names = [entry.comm];
    const visited = new Set([entry.pid]);
    for (let p = this.processes.get(entry.ppid); p && names.length <= MAX_ANCESTORS && !visited.has(p.pid);) {
      names.push(p.comm);
      visited.add(p.pid);
      p = this.processes.get(p.ppid);
    }
    return names;
  }

  private details(entry: ProcessEntry): ProcessDetails | undefined {
    if (entry.details !== undefined) return entry.details;
    const pid = String(entry.pid);
    const argv = parseCmdline(readBytes(this.file(pid, 'cmdline')) ?? Buffer.alloc(0));
    if (argv.length === 0) return undefined;
    const exePath = readLink(this.file(pid, 'exe'));
    const cwd = readLink(this.file(pid, 'cwd'));
    const status = this.read(pid, 'status') ?? '';
    const loginUid = this.read(pid, 'loginuid');
    const cgroup = this.read(pid, 'cgroup') ?? '';
    const details: ProcessDetails = { argv, containerId: containerIdFromCgroup(cgroup), ...parseStatusIds(status) };
    if (exePath !== undefined) details.exePath = exePath.replace(/ \(deleted\)$/, '');
    if (cwd !== undefined) details.cwd = cwd;
    if (loginUid !== undefined && /^\d+$/.test(loginUid.trim())) {
      // 4294967295 is (uint32)-1: never logged in.
      details.loginUid = Number(loginUid) === 0xffffffff ? -1 : Number(loginUid);
    }
    entry.details = details;
    return details;
  }

  /** A container's users come from its own /etc/passwd when it can be read, as Falco does; else the host's. */
  private usersOf(entry: ProcessEntry, containerId: string): Map<number, string> {
    if (containerId === 'host') return this.users;
    const known = this.containerUsers.get(containerId);
    if (known !== undefined) return known;
    // Unreadable without the privilege to enter another root, or when the process has gone: tried again next time.
    const text = readText(this.file(String(entry.pid), 'root/etc/passwd'));
    const own = text === undefined ? undefined : parsePasswd(text);
    if (own !== undefined) this.containerUsers.set(containerId, own);
    return own ?? this.users;
  }

  /** Connections that appeared since the last poll, in every network namespace, with their process's fields. */
  private async scanConnections(startedPids: ReadonlySet<number>): Promise<Payload[]> {
    const byNetns = new Map<string, ProcessEntry[]>();
    for (const entry of this.processes.values()) {
      entry.netns ??= readLink(this.file(String(entry.pid), 'ns/net')) ?? `pid:${entry.pid}`;
      const group = byNetns.get(entry.netns);
      if (group === undefined) byNetns.set(entry.netns, [entry]);
      else group.push(entry);
    }
    const payloads: Payload[] = [];
    const seenNow = new Map<string, Set<string>>();
    for (const [netns, members] of byNetns) {
      const seen = this.connections.get(netns);
      const sockets = this.connectionSockets(members);
      if (sockets === undefined) {
        if (seen !== undefined) seenNow.set(netns, seen);
        continue;
      }
      seenNow.set(netns, new Set(sockets.map((s) => s.inode)));
      // Everything is new in a namespace first seen after start (a new container's); nothing is, at start.
      const fresh = this.running === undefined ? [] : sockets.filter((s) => !seen?.has(s.inode));
      if (fresh.length === 0) continue;
      // Newly started processes first: they are the likeliest owners.
      const candidates = [...members].sort((a, b) => Number(startedPids.has(b.pid)) - Number(startedPids.has(a.pid)));
      const owners = this.socketOwners(candidates, new Set(fresh.map((s) => s.inode)));
      for (const socket of fresh) {
        const owner = owners.get(socket.inode);
        if (owner === undefined) continue;
        const process = await this.processPayload(owner);
        if (process !== undefined) payloads.push({ ...process, ...this.connectionFields(socket) });
      }
    }
    this.connections = seenNow;
    return payloads;
  }

  /** The connected sockets of a namespace (not listening ones, nor those a listening port accepted). */
  private connectionSockets(members: readonly ProcessEntry[]): SocketEntry[] | undefined {
    for (const member of members) {
      const tables = SOCKET_TABLES.map(([file, proto]) => {
        const text = this.read(String(member.pid), `net/${file}`);
        return text === undefined ? undefined : parseSocketTable(text, proto);
      });
      if (tables.every((t) => t === undefined)) continue;
      const all = tables.flatMap((t) => t ?? []);
      const listening = new Set(all.filter((s) => s.proto === 'tcp' && s.state === TCP_LISTEN).map((s) => s.localPort));
      return all.filter(
        (s) =>
          s.inode !== '0' &&
          s.remotePort !== 0 &&
          (s.proto === 'tcp'
            ? (s.state === TCP_ESTABLISHED || s.state === TCP_SYN_SENT) && !listening.has(s.localPort)
            : s.state === UDP_CONNECTED),
      );
    }
    return undefined;
  }

  /** Which process holds each socket inode, from the `socket:[inode]` links in /proc/PID/fd. */
  private socketOwners(candidates: readonly ProcessEntry[], inodes: Set<string>): Map<string, ProcessEntry> {
    const owners = new Map<string, ProcessEntry>();
    for (const entry of candidates) {
      const fdDir = this.file(String(entry.pid), 'fd');
      for (const fd of listDirectory(fdDir)) {
        const target = readLink(path.join(fdDir, fd)) ?? '';
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode !== undefined && inodes.has(inode) && !owners.has(inode)) owners.set(inode, entry);
      }
      if (owners.size === inodes.size) break;
    }
    return owners;
  }

  /** A client's connection as Falco reports `connect`: the server (`fd.sip`) is the remote end. */
  private connectionFields(socket: SocketEntry): Payload {
    const fields: Payload = {
      'evt.type': 'connect',
      'evt.dir': '<',
      'fd.typechar': socket.typechar,
      'fd.l4proto': socket.proto,
      'fd.name': `${socket.localIp}:${socket.localPort}->${socket.remoteIp}:${socket.remotePort}`,
      'fd.sip': socket.remoteIp,
      'fd.sport': socket.remotePort,
      'fd.dip': socket.remoteIp,
      'fd.dport': socket.remotePort,
    };
    const name = this.options.hostNames?.get(socket.remoteIp);
    if (name !== undefined) fields['fd.sip.name'] = name;
    return fields;
  }

  private file(pid: string, name: string): string {
    return path.join(this.procRoot, pid, name);
  }

  private read(pid: string, name: string): string | undefined {
    return readText(this.file(pid, name));
  }
}
