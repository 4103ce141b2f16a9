import { describe, expect, it } from 'vitest';
import {
  containerIdFromCgroup,
  parseCmdline,
  parsePasswd,
  parseSocketTable,
  parseStat,
  parseStatusIds,
} from './proc-files.js';

const ID = '3ad7b26ded6d1f5e8d1b1c7a0b9e4f2a6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f';

describe('parseStat', () => {
  it('reads a name with spaces and parentheses up to the last parenthesis', () => {
    const text = '4242 (tmux: (server) x) S 1 4242 4242 34817 -1 4194560 0 0 0 0 1 2 0 0 20 0 1 0 987654 123 45\n';
    expect(parseStat(text)).toEqual({
      pid: 4242,
      comm: 'tmux: (server) x',
      ppid: 1,
      ttyNr: 34817,
      startTime: '987654',
    });
  });

  it('rejects a truncated line', () => {
    expect(parseStat('12 (sh) S 1 12')).toBeUndefined();
  });
});

describe('parseStatusIds', () => {
  it('takes the effective ids', () => {
    expect(parseStatusIds('Name:\tsu\nUid:\t1000\t0\t0\t0\nGid:\t1000\t27\t27\t27\n')).toEqual({ uid: 0, gid: 27 });
  });
});

describe('parseCmdline', () => {
  it('splits on NUL and drops the final one', () => {
    expect(parseCmdline(Buffer.from('sh\0-c\0echo hi\0'))).toEqual(['sh', '-c', 'echo hi']);
    expect(parseCmdline(Buffer.alloc(0))).toEqual([]);
  });
});

describe('containerIdFromCgroup', () => {
  it.each([
    ['docker, cgroup v1 (cgroupfs)', `12:pids:/docker/${ID}\n11:memory:/docker/${ID}\n`],
    ['docker, systemd driver', `0::/system.slice/docker-${ID}.scope\n`],
    [
      'containerd in kubepods, systemd driver',
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0a1b2c3d_4e5f.slice/cri-containerd-${ID}.scope\n`,
    ],
    ['kubepods, cgroupfs driver', `4:cpu,cpuacct:/kubepods/besteffort/pod0a1b2c3d-4e5f-6789/${ID}\n`],
    ['cri-o', `0::/kubepods.slice/kubepods-pod1.slice/crio-${ID}.scope\n`],
    ['podman', `0::/machine.slice/libpod-${ID}.scope/container\n`],
  ])('finds the id for %s', (_, cgroup) => {
    expect(containerIdFromCgroup(cgroup)).toBe('3ad7b26ded6d');
  });

  it.each([
    ['a login session', '0::/user.slice/user-1000.slice/session-2.scope\n'],
    ['a system service', '0::/system.slice/containerd.service\n'],
    ["cri-o's conmon", `0::/kubepods.slice/crio-conmon-${ID}.scope\n`],
    ['a pod without container', '4:cpu:/kubepods/besteffort/pod0a1b2c3d-4e5f-6789\n'],
  ])('says host for %s', (_, cgroup) => {
    expect(containerIdFromCgroup(cgroup)).toBe('host');
  });
});

describe('parsePasswd', () => {
  it('maps uids to the first name given them', () => {
    const users = parsePasswd(
      '# comment\nroot:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\ntoor:x:0:0::/:/bin/sh\n',
    );
    expect([...users]).toEqual([
      [0, 'root'],
      [1000, 'alice'],
    ]);
  });
});

describe('parseSocketTable', () => {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

  it('reads IPv4 addresses, ports, states and inodes', () => {
    const text =
      header +
      '   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 11111 1 0 100 0 0 10 0\n' +
      '   1: 1701200A:C5D6 0100600A:01BB 01 00000000:00000000 00:00000000 00000000     0        0 22222 1 0 20 4 30 10 -1\n';
    expect(parseSocketTable(text, 'tcp')).toEqual([
      {
        proto: 'tcp',
        typechar: '4',
        localIp: '127.0.0.1',
        localPort: 8080,
        remoteIp: '0.0.0.0',
        remotePort: 0,
        state: 10,
        inode: '11111',
      },
      {
        proto: 'tcp',
        typechar: '4',
        localIp: '10.32.1.23',
        localPort: 50646,
        remoteIp: '10.96.0.1',
        remotePort: 443,
        state: 1,
        inode: '22222',
      },
    ]);
  });

  it('reads IPv6 addresses in RFC 5952 form, and IPv4-mapped ones as IPv4', () => {
    const text =
      header +
      '   0: 00000000000000000000000001000000:D431 B80D0120000000000000000001000000:0050 01 00000000:00000000 00:00000000 00000000     0        0 33333 1\n' +
      '   1: 0000000000000000FFFF00001701200A:D432 0000000000000000FFFF00000100600A:01BB 02 00000000:00000000 00:00000000 00000000     0        0 44444 1\n';
    const [v6, mapped] = parseSocketTable(text, 'tcp');
    expect(v6).toMatchObject({ typechar: '6', localIp: '::1', remoteIp: '2001:db8::1', remotePort: 80 });
    expect(mapped).toMatchObject({ typechar: '4', localIp: '10.32.1.23', remoteIp: '10.96.0.1', state: 2 });
  });
});
