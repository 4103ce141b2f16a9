/** A fixture /proc tree (and etc/passwd) for tests: a node with systemd, a containerd shim and an nginx pod. */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One process of a fixture /proc tree. */
export interface FixtureProcess {
  pid: number;
  comm: string;
  ppid: number;
  argv: string[];
  tty?: number;
  start?: number;
  uid?: number;
  cgroup?: string;
  cwd?: string;
  exe?: string;
  netns?: string;
  /** Socket inodes it holds, as fds 3, 4, … */
  sockets?: string[];
  /** Its own socket tables (those of its network namespace). */
  net?: { tcp?: string; tcp6?: string; udp?: string };
  /** The container's /etc/passwd, seen through /proc/PID/root. */
  rootPasswd?: string;
}

export const HOST_NET = 'net:[4026531840]';
export const POD_NET = 'net:[4026532501]';
export const CONTAINER = '3ad7b26ded6d1f5e8d1b1c7a0b9e4f2a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f';
export const POD_CGROUP = `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1a2b.slice/cri-containerd-${CONTAINER}.scope\n`;
const TABLE_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
export const socketLine = (local: string, remote: string, state: string, inode: string) =>
  `   0: ${local} ${remote} ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1\n`;

export function writeProcess(root: string, p: FixtureProcess): void {
  const dir = path.join(root, String(p.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'fd'), { recursive: true });
  mkdirSync(path.join(dir, 'ns'));
  const stat = `${p.pid} (${p.comm}) S ${p.ppid} ${p.pid} ${p.pid} ${p.tty ?? 0} -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 ${p.start ?? 100 + p.pid} 1000 200\n`;
  writeFileSync(path.join(dir, 'stat'), stat);
  writeFileSync(path.join(dir, 'cmdline'), p.argv.map((a) => `${a}\0`).join(''));
  const uid = p.uid ?? 0;
  writeFileSync(
    path.join(dir, 'status'),
    `Name:\t${p.comm}\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\nGid:\t${uid}\t${uid}\t${uid}\t${uid}\n`,
  );
  writeFileSync(path.join(dir, 'loginuid'), '4294967295');
  writeFileSync(path.join(dir, 'cgroup'), p.cgroup ?? '0::/system.slice/ssh.service\n');
  symlinkSync(p.cwd ?? '/', path.join(dir, 'cwd'));
  if (p.exe !== undefined) symlinkSync(p.exe, path.join(dir, 'exe'));
  symlinkSync(p.netns ?? HOST_NET, path.join(dir, 'ns', 'net'));
  (p.sockets ?? []).forEach((inode, i) => symlinkSync(`socket:[${inode}]`, path.join(dir, 'fd', String(i + 3))));
  if (p.net !== undefined) {
    mkdirSync(path.join(dir, 'net'));
    for (const [file, rows] of Object.entries(p.net)) writeFileSync(path.join(dir, 'net', file), TABLE_HEADER + rows);
  }
  if (p.rootPasswd !== undefined) {
    mkdirSync(path.join(dir, 'root', 'etc'), { recursive: true });
    writeFileSync(path.join(dir, 'root', 'etc', 'passwd'), p.rootPasswd);
  }
}

/** The node as it is when the sensor starts: `ROOT/proc` and `ROOT/etc/passwd`. */
export function writeBaseTree(root: string): void {
  const proc = path.join(root, 'proc');
  mkdirSync(path.join(root, 'etc'), { recursive: true });
  writeFileSync(
    path.join(root, 'etc', 'passwd'),
    'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
  );
  const hostNet = { tcp: socketLine('00000000:0016', '00000000:0000', '0A', '900') };
  writeProcess(proc, {
    pid: 1,
    comm: 'systemd',
    ppid: 0,
    argv: ['/sbin/init'],
    exe: '/usr/lib/systemd/systemd',
    net: hostNet,
  });
  writeProcess(proc, { pid: 2, comm: 'kthreadd', ppid: 0, argv: [] });
  writeProcess(proc, {
    pid: 100,
    comm: 'containerd-shim',
    ppid: 1,
    argv: ['/usr/bin/containerd-shim-runc-v2', '-namespace', 'k8s.io', '-id', CONTAINER.slice(0, 12)],
  });
  writeProcess(proc, {
    pid: 110,
    comm: 'nginx',
    ppid: 100,
    argv: ['nginx: master process nginx', '-g', 'daemon off;'],
    cgroup: POD_CGROUP,
    netns: POD_NET,
    net: { tcp: socketLine('00000000:0050', '00000000:0000', '0A', '700') },
  });
}

/** `kubectl exec -it nginx -- sh` as the node sees it: a shell on a pseudo-terminal, child of the container's shim. */
export const containerShell: FixtureProcess = {
  pid: 4242,
  comm: 'sh',
  ppid: 100,
  argv: ['sh', '-i'],
  tty: 34816,
  cgroup: POD_CGROUP,
  cwd: '/usr/share/nginx',
  exe: '/bin/busybox',
  netns: POD_NET,
  rootPasswd: 'root:x:0:0:root:/root:/bin/sh\n',
};
