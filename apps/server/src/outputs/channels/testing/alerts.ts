/** Alerts for channel tests: falcosidekick's documented example, and a hostile one. */
import type { Alert } from '@harrier/alert';

export function testAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: '01J0000000000000000000000A',
    output:
      '16:31:56.746609046: Error File below a known binary directory opened for writing (user=root command=touch /bin/hack file=/bin/hack)',
    priority: 'Error',
    rule: 'Write below binary dir',
    time: '2019-05-17T15:31:56.746609046Z',
    source: 'syscall',
    hostname: 'localhost',
    tags: ['filesystem', 'mitre_persistence'],
    output_fields: { 'user.name': 'root', 'fd.name': '/bin/hack', 'proc.cmdline': 'touch /bin/hack' },
    ...overrides,
  };
}

/** Text an attacker controls, aimed at Slack mentions, HTML and mail headers. */
export const HOSTILE = '<!channel> <@U123> <script>alert(1)</script> & <https://evil.example|click>';
