/** Parsers for the /proc and /etc files the procfs sensor reads; pure, so each is tested on fixture text. */

export interface ProcStat {
  pid: number;
  /** The kernel's name of the task (`comm`, at most 15 characters): Falco's `proc.name`. */
  comm: string;
  ppid: number;
  /** The controlling terminal's device number, 0 for none: Falco's `proc.tty`. */
  ttyNr: number;
  /** Clock ticks after boot; with the pid, tells a new process from a reused pid. */
  startTime: string;
}

/** `/proc/PID/stat`. The name is in parentheses and may itself hold spaces and parentheses, so read from the last `)`. */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // Fields from the third (state) on; see proc(5).
  const rest = text.slice(close + 2).split(' ');
  const ppid = Number(rest[1]);
  const ttyNr = Number(rest[4]);
  const startTime = rest[19];
  if (!Number.isInteger(ppid) || !Number.isInteger(ttyNr) || startTime === undefined) return undefined;
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), ppid, ttyNr, startTime };
}

/** The effective user and group ids from `/proc/PID/status` (`Uid:  real effective saved fs`), as Falco reports. */
export function parseStatusIds(text: string): { uid?: number; gid?: number } {
  const effective = (key: string) => {
    const match = new RegExp(`^${key}:\\s+\\d+\\s+(\\d+)`, 'm').exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]);
  };
  const ids: { uid?: number; gid?: number } = {};
  const uid = effective('Uid');
  const gid = effective('Gid');
  if (uid !== undefined) ids.uid = uid;
  if (gid !== undefined) ids.gid = gid;
  return ids;
}

/** `/proc/PID/cmdline`: arguments separated (and ended) by NUL. Empty for kernel threads and zombies. */
export function parseCmdline(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  const args = text.split('\0');
  if (args.at(-1) === '') args.pop();
  return args;
}

/**
 * The container a process runs in, from `/proc/PID/cgroup`: the 64-hex id in a path segment, bare (cgroupfs:
 * `/docker/ID`, `/kubepods/burstable/podUID/ID`) or in a systemd scope (`docker-ID.scope`, `cri-containerd-ID.scope`,
 * `crio-ID.scope`, `libpod-ID.scope`). Shortened to 12 characters, as Falco's `container.id`; `host` when none.
 */
export function containerIdFromCgroup(text: string): string {
  const segment = /^(?:docker-|cri-containerd-|crio-|libpod-)?([0-9a-f]{64})(?:\.scope)?$/;
  let found: string | undefined;
  for (const line of text.split('\n')) {
    const cgroupPath = line.split(':').slice(2).join(':');
    for (const part of cgroupPath.split('/')) {
      const id = segment.exec(part)?.[1];
      if (id !== undefined) found = id;
    }
    if (found !== undefined) break;
  }
  return found === undefined ? 'host' : found.slice(0, 12);
}

/** User names by uid from an `/etc/passwd`. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name === undefined || uid === undefined || name.startsWith('#') || !/^\d+$/.test(uid)) continue;
    if (!users.has(Number(uid))) users.set(Number(uid), name);
  }
  return users;
}

export type L4Proto = 'tcp' | 'udp';

export interface SocketEntry {
  proto: L4Proto;
  /** `4` or `6`, Falco's `fd.typechar`; an IPv4-mapped IPv6 socket counts as IPv4, as Falco reports it. */
  typechar: '4' | '6';
  localIp: string;
  localPort: number;
  remoteIp: string;
  remotePort: number;
  /** The kernel's state number: 1 established, 2 SYN sent, 10 listening (TCP); 1 connected, 7 unconnected (UDP). */
  state: number;
  inode: string;
}

/** `/proc/PID/net/{tcp,tcp6,udp,udp6}`. */
export function parseSocketTable(text: string, proto: L4Proto): SocketEntry[] {
  const entries: SocketEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [local, remote, state, inode] = [fields[1], fields[2], fields[3], fields[9]];
    if (local === undefined || remote === undefined || state === undefined || inode === undefined) continue;
    const l = parseEndpoint(local);
    const r = parseEndpoint(remote);
    if (l === undefined || r === undefined) continue;
    entries.push({
      proto,
      typechar: l.v4 && r.v4 ? '4' : '6',
      localIp: l.ip,
      localPort: l.port,
      remoteIp: r.ip,
      remotePort: r.port,
      state: parseInt(state, 16),
      inode,
    });
  }
  return entries;
}

/** `0100007F:0016` → 127.0.0.1, 22. Addresses are 32-bit words in host (little-endian) order. */
function parseEndpoint(text: string): { ip: string; port: number; v4: boolean } | undefined {
  const [hex, portHex] = text.split(':');
  if (hex === undefined || portHex === undefined || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  const port = parseInt(portHex, 16);
  if (hex.length === 8) return { ip: ipv4(word(hex, 0)), port, v4: true };
  if (hex.length !== 32) return undefined;
  const words = [0, 1, 2, 3].map((i) => word(hex, i));
  if (words[0] === 0 && words[1] === 0 && words[2] === 0xffff) return { ip: ipv4(words[3] ?? 0), port, v4: true };
  return { ip: ipv6(words), port, v4: false };
}

/** The `i`th 32-bit word, read little-endian, as a number in network order. */
function word(hex: string, i: number): number {
  return Buffer.from(hex.slice(i * 8, i * 8 + 8), 'hex').readUInt32LE(0);
}

function ipv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** RFC 5952 text: lower case, leading zeros dropped, the longest run of two or more zero groups as `::`. */
function ipv6(words: readonly number[]): string {
  const groups = words.flatMap((w) => [w >>> 16, w & 0xffff]);
  let best = { at: -1, length: 1 };
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}
