/**
 * PodSecurityPolicy → rules (the former `falcoctl convert psp`, rules-language.md §13), rebuilt for modern engines:
 * rules read k8s audit events of pod creation and flag each property the pod violates; `privileged` and the
 * run-as user/group strategies also get a "System Activity" twin on the container activity Harrier's sensors report. "Missing is allowed" is
 * written with `exists`, never with the legacy `"<NA>"` value; ranges use Harrier's numeric fields and `MIN..MAX`
 * ranges instead of `"min:max"` strings; host path prefixes use `pmatch` over every path. Those `harrier.*`
 * constructs are Harrier extensions: the output loads in Harrier, not in Falco.
 */
import { parse, stringify } from 'yaml';

export class PspConversionError extends Error {
  override readonly name = 'PspConversionError';
}

export interface PspConversion {
  /** The rules file, YAML. */
  rules: string;
  /** The prefix used for list, macro and rule names. */
  prefix: string;
  /** PSP properties that were present but have no rule (e.g. seLinux). */
  notConverted: string[];
}

interface Range {
  min: number;
  max: number;
}

const KNOWN_SPEC_KEYS = new Set([
  'privileged',
  'hostPID',
  'hostIPC',
  'hostNetwork',
  'hostPorts',
  'volumes',
  'allowedHostPaths',
  'allowedFlexVolumes',
  'allowedCSIDrivers',
  'fsGroup',
  'readOnlyRootFilesystem',
  'runAsUser',
  'runAsGroup',
  'supplementalGroups',
  'allowPrivilegeEscalation',
  'defaultAllowPrivilegeEscalation',
  'allowedCapabilities',
  'defaultAddCapabilities',
  'requiredDropCapabilities',
  'allowedProcMountTypes',
  'seLinux',
  'allowedUnsafeSysctls',
  'forbiddenSysctls',
  'runtimeClass',
]);
const NOT_CONVERTED = [
  'allowedCSIDrivers',
  'defaultAddCapabilities',
  'requiredDropCapabilities',
  'seLinux',
  'allowedUnsafeSysctls',
  'forbiddenSysctls',
  'runtimeClass',
];
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value for a condition list: quoted when it is not a plain bare word. */
function value(v: string): string {
  return /^[A-Za-z0-9_./:*@+-]+$/.test(v) ? v : JSON.stringify(v);
}

/** `[a, b]` or `a,b` as written in the falco-rules-psp-* annotations. */
function annotationList(text: string): string[] {
  return text
    .replace(/^\s*\[/, '')
    .replace(/\]\s*$/, '')
    .split(',')
    .map((s) => s.trim().replace(/^["']|["']$/g, ''))
    .filter((s) => s !== '');
}

export function convertPsp(yamlText: string, options: { namePrefix?: string } = {}): PspConversion {
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (error) {
    throw new PspConversionError(`not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(doc) || doc['kind'] !== 'PodSecurityPolicy') {
    throw new PspConversionError('expected a PodSecurityPolicy (kind: PodSecurityPolicy)');
  }
  const metadata = isObject(doc['metadata']) ? doc['metadata'] : {};
  const spec = isObject(doc['spec']) ? doc['spec'] : {};
  const unknown = Object.keys(spec).filter((k) => !KNOWN_SPEC_KEYS.has(k));
  if (unknown.length > 0) throw new PspConversionError(`unknown field(s) in spec: ${unknown.join(', ')}`);
  const pspName = typeof metadata['name'] === 'string' ? metadata['name'] : 'psp';
  const prefix = (options.namePrefix ?? pspName).replace(/[\s-]/g, '_');
  const annotations = isObject(metadata['annotations']) ? metadata['annotations'] : {};
  const images =
    typeof annotations['falco-rules-psp-images'] === 'string'
      ? annotationList(annotations['falco-rules-psp-images'])
      : [];
  const namespaces =
    typeof annotations['falco-rules-psp-namespaces'] === 'string'
      ? annotationList(annotations['falco-rules-psp-namespaces'])
      : [];

  const items: Obj[] = [{ required_engine_version: 15 }];
  if (images.length > 0) items.push({ list: `${prefix}_psp_images`, items: images });
  if (namespaces.length > 0) items.push({ list: `${prefix}_psp_namespaces`, items: namespaces });
  const scope = [
    `${prefix}_psp_ka_enabled`,
    `${prefix}_psp_kevt`,
    `${prefix}_psp_ka_pod`,
    'ka.verb=create',
    ...(images.length > 0 ? [`ka.req.pod.containers.image.repository in (${prefix}_psp_images)`] : []),
    ...(namespaces.length > 0 ? [`ka.target.namespace in (${prefix}_psp_namespaces)`] : []),
  ];
  const syscallScope =
    images.length > 0 ? `container.image.repository in (${prefix}_psp_images)` : 'container.id != host';
  items.push(
    { macro: `${prefix}_psp_ka_always_true`, condition: '(jevt.rawtime exists)' },
    { macro: `${prefix}_psp_ka_enabled`, condition: `(${prefix}_psp_ka_always_true)` },
    { macro: `${prefix}_psp_kevt`, condition: '(jevt.value[/stage] in ("ResponseComplete"))' },
    { macro: `${prefix}_psp_ka_pod`, condition: '(ka.target.resource=pods and not ka.target.subresource exists)' },
    { macro: `${prefix}_psp_ka_container`, condition: `(${scope.join(' and ')})` },
    { macro: `${prefix}_psp_container`, condition: `(container.id exists and ${syscallScope})` },
    { macro: `${prefix}_psp_process_started`, condition: '(evt.type in (execve, execveat) and evt.dir=<)' },
  );

  /** The twin of a rule on the container activity Harrier's sensors report (rules-language.md §13). */
  const systemRule = (property: string, what: string, condition: string): void => {
    items.push({
      rule: `PSP ${prefix} Violation (${property}) System Activity`,
      desc: `Detect container activity that violates the ${property} property of PodSecurityPolicy ${pspName}`,
      condition: `${prefix}_psp_container and ${condition}`,
      output:
        `Pod Security Policy ${pspName} validation failure--${what} ` +
        '(user=%user.name uid=%user.uid gid=%group.gid command=%proc.cmdline container=%container.id ' +
        'image=%container.image.repository:%container.image.tag ns=%k8s.ns.name pod=%k8s.pod.name)',
      priority: 'WARNING',
      source: 'syscall',
      tags: ['k8s-psp'],
    });
  };
  const rule = (property: string, what: string, condition: string): void => {
    items.push({
      rule: `PSP ${prefix} Violation (${property}) K8s Audit`,
      desc: `Detect a pod that violates the ${property} property of PodSecurityPolicy ${pspName}, from k8s audit events`,
      condition: `${prefix}_psp_ka_container and ${condition}`,
      output:
        `Pod Security Policy ${pspName} validation failure--${what} ` +
        '(user=%ka.user.name pod=%ka.resp.name ns=%ka.target.namespace images=%ka.req.pod.containers.image spec=%jevt.value[/requestObject/spec])',
      priority: 'WARNING',
      source: 'k8s_audit',
      tags: ['k8s-psp'],
    });
  };
  const anyContainer = (suffix: string, test: string): string =>
    `(${CONTAINER_LISTS.map((list) => `ka.req.pod.${list}.${suffix} ${test}`).join(' or ')})`;
  /** Some value of a field lies outside the allowed set (a missing field is allowed). */
  const outside = (field: string, allowed: string[]): string =>
    allowed.length === 0 ? `${field} exists` : `${field} exists and not ${field} in (${allowed.join(', ')})`;

  if (spec['privileged'] !== true) {
    rule('privileged', 'pod with privileged=true', anyContainer('privileged', 'intersects (true)'));
    systemRule(
      'privileged',
      'container with privileged=true started',
      'evt.type=container and container.privileged=true',
    );
  }
  for (const [key, field] of [
    ['hostPID', 'host_pid'],
    ['hostIPC', 'host_ipc'],
    ['hostNetwork', 'host_network'],
  ] as const) {
    if (spec[key] !== true) rule(key, `pod with ${key}=true`, `ka.req.pod.${field} intersects (true)`);
  }
  const hostPorts = ranges(spec['hostPorts'], 'hostPorts');
  rule(
    'hostPorts',
    'pod with a host port outside the allowed ranges',
    outside('harrier.ka.pod.host_ports', hostPorts.map(rangeText)),
  );
  const volumes = stringList(spec['volumes'], 'volumes');
  if (volumes !== undefined && !volumes.includes('*')) {
    rule(
      'volumes',
      'pod with a volume type that is not allowed',
      outside('ka.req.pod.volumes.volume_type', volumes.map(value)),
    );
  }
  if (Array.isArray(spec['allowedHostPaths'])) {
    const prefixes = spec['allowedHostPaths'].map((p) =>
      isObject(p) && typeof p['pathPrefix'] === 'string' ? p['pathPrefix'] : undefined,
    );
    if (prefixes.some((p) => p === undefined))
      throw new PspConversionError('allowedHostPaths: every entry needs a pathPrefix');
    const field = 'harrier.ka.pod.host_paths';
    rule(
      'allowedHostPaths',
      'pod with a host path outside the allowed prefixes',
      `${field} exists and not ${field} pmatch (${(prefixes as string[]).map(value).join(', ')})`,
    );
  }
  if (Array.isArray(spec['allowedFlexVolumes'])) {
    const drivers = spec['allowedFlexVolumes'].map((d) =>
      isObject(d) && typeof d['driver'] === 'string' ? d['driver'] : '',
    );
    rule(
      'allowedFlexVolumes',
      'pod with a flexVolume driver that is not allowed',
      outside('ka.req.pod.volumes.flexvolume_driver', drivers.map(value)),
    );
  }
  /** `processField`: the syscall field a process runs with, when the property has a System Activity twin. */
  const idRule = (key: string, field: string, what: string, processField?: string): void => {
    const strategy = spec[key];
    if (!isObject(strategy)) return;
    const kind = strategy['rule'];
    if (kind === 'MustRunAs' || kind === 'MayRunAs') {
      const allowed = ranges(strategy['ranges'], `${key}.ranges`).map(rangeText);
      rule(key, `pod with a ${what} outside the allowed ranges`, outside(field, allowed));
      if (processField && kind === 'MustRunAs' && allowed.length > 0) {
        const condition = `${prefix}_psp_process_started and not ${processField} in (${allowed.join(', ')})`;
        systemRule(key, `process running with a ${what} outside the allowed ranges`, condition);
      }
    } else if (kind === 'MustRunAsNonRoot') {
      rule(key, `pod running as root`, `${field} intersects (0)`);
      if (processField)
        systemRule(key, 'process running as root', `${prefix}_psp_process_started and ${processField}=0`);
    } else if (kind !== 'RunAsAny') {
      throw new PspConversionError(`${key}.rule: unknown strategy '${String(kind)}'`);
    }
  };
  idRule('runAsUser', 'harrier.ka.pod.run_as_user', 'user', 'user.uid');
  idRule('runAsGroup', 'harrier.ka.pod.run_as_group', 'group', 'group.gid');
  idRule('fsGroup', 'harrier.ka.pod.fs_group', 'fsGroup');
  idRule('supplementalGroups', 'harrier.ka.pod.supplemental_groups', 'supplemental group');
  if (spec['readOnlyRootFilesystem'] === true) {
    rule(
      'readOnlyRootFilesystem',
      'pod without readOnlyRootFilesystem=true',
      'harrier.ka.pod.read_only_root_fs intersects (false)',
    );
  }
  if (spec['allowPrivilegeEscalation'] === false) {
    rule(
      'allowPrivilegeEscalation',
      'pod with allowPrivilegeEscalation=true',
      anyContainer('allow_privilege_escalation', 'intersects (true)'),
    );
  }
  const capabilities = stringList(spec['allowedCapabilities'], 'allowedCapabilities') ?? [];
  if (!capabilities.includes('*')) {
    const field = (list: string): string => `ka.req.pod.${list}.add_capabilities`;
    const checks = CONTAINER_LISTS.map((list) => `(${outside(field(list), capabilities.map(value))})`);
    rule('allowedCapabilities', 'pod adding a capability that is not allowed', `(${checks.join(' or ')})`);
  }
  const procMounts = stringList(spec['allowedProcMountTypes'], 'allowedProcMountTypes') ?? ['Default'];
  const procChecks = CONTAINER_LISTS.map(
    (list) => `(${outside(`ka.req.pod.${list}.proc_mount`, procMounts.map(value))})`,
  );
  rule('allowedProcMountTypes', 'pod with a procMount type that is not allowed', `(${procChecks.join(' or ')})`);

  // Keep the file free of unused-macro warnings: drop the syscall macros no System Activity rule needs.
  const used = (macro: string): boolean =>
    items.some(
      (item) =>
        typeof item['condition'] === 'string' && item['macro'] === undefined && item['condition'].includes(macro),
    );
  const unused = [`${prefix}_psp_container`, `${prefix}_psp_process_started`].filter((m) => !used(m));
  items.splice(0, items.length, ...items.filter((item) => !unused.includes(item['macro'] as string)));
  const notConverted = NOT_CONVERTED.filter((k) => k in spec);
  const header = [
    `# Rules generated by harrier-rules psp convert from PodSecurityPolicy ${pspName}.`,
    '# They use Harrier extensions (harrier.* fields, MIN..MAX ranges, pmatch on a list): load them in Harrier.',
    ...(notConverted.length > 0 ? [`# Not converted: ${notConverted.join(', ')}.`] : []),
  ];
  const body = items.map((item) => stringify([item], { lineWidth: 0 })).join('\n');
  return { rules: `${header.join('\n')}\n\n${body}`, prefix, notConverted };
}

function rangeText({ min, max }: Range): string {
  return min === max ? String(min) : `${min}..${max}`;
}

function ranges(raw: unknown, what: string): Range[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PspConversionError(`${what} must be a list of {min, max}`);
  return raw.map((r) => {
    if (
      !isObject(r) ||
      !Number.isInteger(r['min']) ||
      !Number.isInteger(r['max']) ||
      (r['min'] as number) > (r['max'] as number)
    ) {
      throw new PspConversionError(`${what} must be a list of {min, max} with integer min <= max`);
    }
    return { min: r['min'] as number, max: r['max'] as number };
  });
}

function stringList(raw: unknown, what: string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string'))
    throw new PspConversionError(`${what} must be a list of strings`);
  return raw as string[];
}
