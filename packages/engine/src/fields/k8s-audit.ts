/**
 * `k8s_audit` fields: every `ka.*` field of the k8saudit plugin (`pkg/k8saudit/extract.go`) and the json plugin's
 * `jevt.*`/`json.*`, read from the audit event's JSON object as rules-language.md §12 describes. All are strings.
 */
import { genericFields } from './generic.js';
import { FieldRegistry, type EngineEvent, type Extracted, type Extractor, type FieldDef } from './types.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON string yields its text; anything else its compact JSON (`201`, `true`, `{"a":"b"}`). */
export function renderJson(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Walks object keys. Paths hold no numeric or `length` keys, so an array met on the way yields undefined. */
function get(value: Json, path: readonly string[]): Json {
  let current = value;
  for (let i = 0; i < path.length; i++) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, Json>)[path[i] as string];
  }
  return current;
}

/** The audit payload, or undefined for events that are not audit events (no `auditID`): `ka.*` is then unavailable. */
function audit(event: EngineEvent): JsonObject | undefined {
  const payload = event.payload as JsonObject | null;
  return typeof payload === 'object' && payload !== null && payload['auditID'] !== undefined ? payload : undefined;
}

const nonEmpty = (values: string[]): Extracted => (values.length === 0 ? undefined : values);

/** A scalar field at a fixed path. */
function scalar(path: readonly string[]): Extractor {
  return (e) => {
    const value = get(audit(e), path);
    return value === undefined ? undefined : renderJson(value);
  };
}

interface FanOut {
  /** Path to the array that is walked. */
  array: readonly string[];
  /** Path inside each element. */
  item: readonly string[];
  /** A missing key in any selected element makes the whole field unavailable. */
  strict?: boolean;
  /** An array at the item path contributes its elements (otherwise it is rendered whole). */
  flatten?: boolean;
  /** Turns the item's value into the field's text; undefined skips it (or, when strict, fails the field). */
  map?: (value: Json) => string | undefined;
}

/** A list field over the elements of an array, optionally only element `index` (§12.2). */
function fanOut(spec: FanOut, index: number | undefined): Extractor {
  return (e) => {
    const array = get(audit(e), spec.array);
    if (!Array.isArray(array)) return undefined;
    let elements: readonly Json[] = array;
    if (index !== undefined) {
      if (index >= array.length) return undefined;
      elements = [array[index]];
    }
    const out: string[] = [];
    for (const element of elements) {
      const value = get(element, spec.item);
      const text = value === undefined ? undefined : spec.map ? spec.map(value) : undefined;
      if (value === undefined || (spec.map && text === undefined)) {
        if (spec.strict) return undefined;
        continue;
      }
      if (text !== undefined) out.push(text);
      else if (spec.flatten && Array.isArray(value)) for (const v of value as Json[]) out.push(renderJson(v));
      else out.push(renderJson(value));
    }
    return nonEmpty(out);
  };
}

const INDEX = { kind: 'index', required: false } as const;
const KEY = { kind: 'key', required: true } as const;

function field(name: string, desc: string, extract: Extractor, extra: Partial<FieldDef> = {}): FieldDef {
  return { name, type: 'string', desc, bind: () => extract, ...extra };
}

function listField(name: string, desc: string, spec: FanOut, withIndex = true): FieldDef {
  return {
    name,
    type: 'string',
    list: true,
    desc,
    ...(withIndex ? { arg: INDEX } : {}),
    bind: (arg) => fanOut(spec, arg === undefined ? undefined : Number(arg)),
  };
}

const SPEC = ['requestObject', 'spec'];

/** `reg:5000/x:tag` → `reg`, `nginx@sha256:…` → `nginx`: cut at the first `:`, then the first `@` (upstream's cut). */
function imageRepository(image: Json): string | undefined {
  if (typeof image !== 'string') return undefined;
  return image.split(':')[0]?.split('@')[0];
}

/** The per-container fields of `ka.req.pod.<list>.*`. */
function containerFields(list: 'containers' | 'initContainers' | 'ephemeralContainers'): FieldDef[] {
  const prefix = `ka.req.pod.${list}`;
  const array = [...SPEC, list];
  const what =
    list === 'containers' ? 'container' : list === 'initContainers' ? 'init container' : 'ephemeral container';
  const securityContext = (key: string, desc: string): FieldDef =>
    listField(`${prefix}.${key}`, desc, { array, item: ['securityContext', SECURITY_KEYS[key] ?? key] });
  const fields: FieldDef[] = [
    listField(`${prefix}.name`, `The name of each ${what}.`, { array, item: ['name'], strict: true }),
    listField(`${prefix}.image`, `The image of each ${what}.`, { array, item: ['image'], strict: true }),
    listField(
      `${prefix}.image.repository`,
      `The repository of each ${what}'s image: the image cut at the first ':' then at the first '@'.`,
      { array, item: ['image'], strict: true, map: imageRepository },
    ),
    listField(`${prefix}.command`, `The command of each ${what}, its words joined by spaces.`, {
      array,
      item: ['command'],
      map: joinWords,
    }),
    listField(`${prefix}.args`, `The args of each ${what}, joined by spaces.`, {
      array,
      item: ['args'],
      map: joinWords,
    }),
    securityContext('privileged', `The securityContext.privileged value of each ${what} that sets it.`),
    securityContext(
      'allow_privilege_escalation',
      `The securityContext.allowPrivilegeEscalation of each ${what} that sets it.`,
    ),
    securityContext('read_only_fs', `The securityContext.readOnlyRootFilesystem of each ${what} that sets it.`),
    securityContext('run_as_user', `The securityContext.runAsUser of each ${what} that sets it.`),
    securityContext('run_as_group', `The securityContext.runAsGroup of each ${what} that sets it.`),
    securityContext('proc_mount', `The securityContext.procMount of each ${what} that sets it.`),
    listField(`${prefix}.add_capabilities`, `The capabilities added by each ${what}, flattened.`, {
      array,
      item: ['securityContext', 'capabilities', 'add'],
      flatten: true,
    }),
    effective(prefix, array, 'runAsUser', 'user', what),
    effective(prefix, array, 'runAsGroup', 'group', what),
  ];
  if (list !== 'ephemeralContainers') {
    fields.push({
      name: `${prefix}.host_port`,
      type: 'string',
      list: true,
      arg: INDEX,
      desc: `For every port of each ${what}: its hostPort, else its containerPort.`,
      bind: (arg) => hostPorts(array, arg === undefined ? undefined : Number(arg)),
    });
  }
  return fields;
}

const SECURITY_KEYS: Readonly<Record<string, string>> = {
  privileged: 'privileged',
  allow_privilege_escalation: 'allowPrivilegeEscalation',
  read_only_fs: 'readOnlyRootFilesystem',
  run_as_user: 'runAsUser',
  run_as_group: 'runAsGroup',
  proc_mount: 'procMount',
};

function joinWords(value: Json): string | undefined {
  return Array.isArray(value) ? value.map(renderJson).join(' ') : undefined;
}

/**
 * `eff_run_as_user`/`eff_run_as_group`: the container's value, else the pod's, else "0". Kept as upstream reads
 * them — `<container>/runAsUser` and `/requestObject/spec/runAsUser`, without `securityContext` — so rules fire
 * where Falco fires; the PSP converter reads the `securityContext` paths itself.
 */
function effective(prefix: string, array: string[], key: string, what: string, container: string): FieldDef {
  return {
    name: `${prefix}.eff_run_as_${what}`,
    type: 'string',
    list: true,
    arg: INDEX,
    desc: `The effective run-as ${what} of each ${container}: its own ${key}, else the pod's, else 0 (upstream paths, without securityContext).`,
    bind: (arg) => {
      const index = arg === undefined ? undefined : Number(arg);
      return (e) => {
        const root = audit(e);
        const containers = get(root, array);
        if (!Array.isArray(containers)) return undefined;
        if (index !== undefined && index >= containers.length) return undefined;
        const selected = index === undefined ? containers : [containers[index]];
        const pod = get(root, [...SPEC, key]);
        return nonEmpty(selected.map((c) => renderJson(get(c, [key]) ?? pod ?? '0')));
      };
    },
  };
}

function hostPorts(array: string[], index: number | undefined): Extractor {
  return (e) => {
    const containers = get(audit(e), array);
    if (!Array.isArray(containers)) return undefined;
    if (index !== undefined && index >= containers.length) return undefined;
    const out: string[] = [];
    for (const container of index === undefined ? containers : [containers[index]]) {
      const ports = get(container, ['ports']);
      if (!Array.isArray(ports)) continue;
      for (const port of ports) {
        const value = get(port, ['hostPort']) ?? get(port, ['containerPort']);
        if (value !== undefined) out.push(renderJson(value));
      }
    }
    return nonEmpty(out);
  };
}

/** Names of the binding's subjects of one kind (`ka.req.binding.subjects.user_names`, …). */
function subjectNames(kind: string, render: (subject: JsonObject) => string | undefined): Extractor {
  return (e) => {
    const subjects = get(audit(e), ['requestObject', 'subjects']);
    if (!Array.isArray(subjects)) return undefined;
    const out: string[] = [];
    for (const subject of subjects) {
      if (!isObject(subject) || subject['kind'] !== kind || typeof subject['name'] !== 'string') continue;
      const text = render(subject);
      if (text !== undefined) out.push(text);
    }
    return nonEmpty(out);
  };
}

/** `"true"`/`"false"` from a boolean (or any value) at a path; absent: not available. */
const boolAt = scalar;

const ANNOTATIONS = ['annotations'];

function firstContainer(e: EngineEvent): Json {
  const containers = get(audit(e), [...SPEC, 'containers']);
  return Array.isArray(containers) ? (containers[0] as Json) : undefined;
}

function auditFields(): FieldDef[] {
  return [
    field('ka.auditid', 'The unique id of the audit event.', scalar(['auditID'])),
    field('ka.stage', 'Stage of the request (e.g. RequestReceived, ResponseComplete, etc.).', scalar(['stage'])),
    field('ka.auth.decision', 'The authorization decision.', scalar([...ANNOTATIONS, 'authorization.k8s.io/decision'])),
    field('ka.auth.reason', 'The authorization reason.', scalar([...ANNOTATIONS, 'authorization.k8s.io/reason'])),
    field(
      'ka.auth.openshift.decision',
      'The authentication decision of the openshift authentication plugin.',
      scalar([...ANNOTATIONS, 'authentication.openshift.io/decision']),
    ),
    field(
      'ka.auth.openshift.username',
      'The user name of the openshift authentication plugin.',
      scalar([...ANNOTATIONS, 'authentication.openshift.io/username']),
    ),
    field(
      'ka.validations.admission.policy.failure',
      'The validation failure reported by a validating admission policy.',
      scalar([...ANNOTATIONS, 'validation.policy.admission.k8s.io/validation_failure']),
    ),
    field(
      'ka.security.pod.violations',
      'The pod security admission audit violations.',
      scalar([...ANNOTATIONS, 'pod-security.kubernetes.io/audit-violations']),
    ),
    field('ka.cluster.name', 'The name of the k8s cluster.', scalar([...ANNOTATIONS, 'cluster_name'])),
    field('ka.user.name', 'The user name performing the request.', scalar(['user', 'username'])),
    {
      name: 'ka.user.groups',
      type: 'string',
      list: true,
      desc: 'The groups to which the user belongs.',
      bind: () => (e) => {
        const groups = get(audit(e), ['user', 'groups']);
        return Array.isArray(groups) ? nonEmpty(groups.map(renderJson)) : undefined;
      },
    },
    field('ka.impuser.name', 'The impersonated user name.', scalar(['impersonatedUser', 'username'])),
    field('ka.verb', 'The action being performed.', scalar(['verb'])),
    field('ka.uri', 'The request URI as sent from client to server.', scalar(['requestURI'])),
    {
      name: 'ka.uri.param',
      type: 'string',
      arg: KEY,
      desc: 'The value of a given query parameter in the uri (e.g. when uri=/foo?key=val, ka.uri.param[key] is val).',
      bind:
        (key = '') =>
        (e) => {
          const uri = get(audit(e), ['requestURI']);
          if (typeof uri !== 'string') return undefined;
          const query = uri.indexOf('?');
          if (query < 0) return undefined;
          return new URLSearchParams(uri.slice(query + 1)).get(key) ?? undefined;
        },
    },
    field('ka.useragent', 'The user agent of the client.', scalar(['userAgent'])),
    {
      name: 'ka.sourceips',
      type: 'string',
      list: true,
      arg: INDEX,
      desc: 'The IP addresses of the client who made the request (read from /sourceIPs; upstream reads a path that never exists).',
      bind: (arg) => (e) => {
        const ips = get(audit(e), ['sourceIPs']);
        if (!Array.isArray(ips)) return undefined;
        const selected = arg === undefined ? ips : ips.slice(Number(arg), Number(arg) + 1);
        return nonEmpty(selected.map(renderJson));
      },
    },
    field('ka.target.name', 'The target object name.', scalar(['objectRef', 'name'])),
    field('ka.target.namespace', 'The target object namespace.', scalar(['objectRef', 'namespace'])),
    field('ka.target.resource', 'The target object resource.', scalar(['objectRef', 'resource'])),
    field('ka.target.subresource', 'The target object subresource.', scalar(['objectRef', 'subresource'])),
    field('ka.target.pod.name', 'The name of the pod created, when the target is a pod (no subresource).', (e) => {
      const root = audit(e);
      const ref = get(root, ['objectRef']);
      if (!isObject(ref) || ref['resource'] !== 'pods' || ref['subresource'] !== undefined) return undefined;
      const name = get(root, ['responseObject', 'metadata', 'name']);
      return name === undefined ? undefined : renderJson(name);
    }),
    field(
      'ka.req.binding.subjects',
      'When the request object refers to a cluster role binding, the subject (e.g. account/users) being linked by the binding.',
      (e) => {
        const subjects = get(audit(e), ['requestObject', 'subjects']);
        return Array.isArray(subjects) ? nonEmpty(subjects.map(renderJson)) : undefined;
      },
      { list: true },
    ),
    field(
      'ka.req.binding.subjects.user_names',
      'When the request object refers to a cluster role binding, the names of its User subjects.',
      subjectNames('User', (s) => s['name'] as string),
      { list: true },
    ),
    field(
      'ka.req.binding.subjects.group_names',
      'When the request object refers to a cluster role binding, the names of its Group subjects.',
      subjectNames('Group', (s) => s['name'] as string),
      { list: true },
    ),
    field(
      'ka.req.binding.subjects.serviceaccount_names',
      'When the request object refers to a cluster role binding, the names of its ServiceAccount subjects.',
      subjectNames('ServiceAccount', (s) => s['name'] as string),
      { list: true },
    ),
    field(
      'ka.req.binding.subjects.serviceaccount_ns_names',
      'When the request object refers to a cluster role binding, namespace:name of each ServiceAccount subject that has a namespace.',
      subjectNames('ServiceAccount', (s) =>
        typeof s['namespace'] === 'string' ? `${s['namespace']}:${s['name'] as string}` : undefined,
      ),
      { list: true },
    ),
    field(
      'ka.req.binding.role',
      'When the request object refers to a cluster role binding, the role being linked by the binding.',
      scalar(['requestObject', 'roleRef', 'name']),
    ),
    {
      name: 'ka.req.binding.subject.has_name',
      type: 'string',
      arg: KEY,
      desc: 'Deprecated, always returns "true".',
      deprecated: 'always "true"',
      bind: () => (e) => (audit(e) ? 'true' : undefined),
    },
    field(
      'ka.req.configmap.name',
      'If the request object refers to a configmap, the configmap name.',
      scalar(['objectRef', 'name']),
    ),
    field(
      'ka.req.configmap.obj',
      'If the request object refers to a configmap, the entire configmap object.',
      scalar(['requestObject', 'data']),
    ),
    listField(
      'ka.req.pod.volumes.hostpath',
      'If the request object refers to a pod, all hostPath paths specified for all volumes.',
      {
        array: [...SPEC, 'volumes'],
        item: ['hostPath', 'path'],
      },
    ),
    listField(
      'ka.req.pod.volumes.flexvolume_driver',
      'If the request object refers to a pod, all flexvolume drivers specified for all volumes.',
      {
        array: [...SPEC, 'volumes'],
        item: ['flexVolume', 'driver'],
      },
    ),
    {
      name: 'ka.req.pod.volumes.volume_type',
      type: 'string',
      list: true,
      arg: INDEX,
      desc: 'If the request object refers to a pod, all volume types for all volumes (every key of a volume except name).',
      bind: (arg) => (e) => {
        const volumes = get(audit(e), [...SPEC, 'volumes']);
        if (!Array.isArray(volumes)) return undefined;
        const index = arg === undefined ? undefined : Number(arg);
        if (index !== undefined && index >= volumes.length) return undefined;
        const out: string[] = [];
        for (const volume of index === undefined ? volumes : [volumes[index]]) {
          if (isObject(volume)) out.push(...Object.keys(volume).filter((k) => k !== 'name'));
        }
        return nonEmpty(out);
      },
    },
    {
      name: 'ka.req.volume.hostpath',
      type: 'string',
      arg: KEY,
      desc: 'Deprecated: "true" if a hostPath volume has this path (a trailing * matches a prefix), otherwise "false".',
      deprecated: 'use ka.req.pod.volumes.hostpath',
      bind: (key = '') => {
        const prefix = key.endsWith('*') ? key.slice(0, -1) : undefined;
        return (e) => {
          const volumes = get(audit(e), [...SPEC, 'volumes']);
          if (!Array.isArray(volumes)) return undefined;
          const hit = volumes.some((v) => {
            const path = get(v, ['hostPath', 'path']);
            return typeof path === 'string' && (prefix === undefined ? path === key : path.startsWith(prefix));
          });
          return hit ? 'true' : 'false';
        };
      },
    },
    field(
      'ka.req.pod.host_ipc',
      'When the request object refers to a pod, the value of the hostIPC flag.',
      boolAt([...SPEC, 'hostIPC']),
    ),
    field(
      'ka.req.pod.host_network',
      'When the request object refers to a pod, the value of the hostNetwork flag.',
      boolAt([...SPEC, 'hostNetwork']),
    ),
    field(
      'ka.req.container.host_network',
      'Deprecated alias of ka.req.pod.host_network.',
      boolAt([...SPEC, 'hostNetwork']),
      {
        deprecated: 'use ka.req.pod.host_network',
      },
    ),
    field(
      'ka.req.pod.host_pid',
      'When the request object refers to a pod, the value of the hostPID flag.',
      boolAt([...SPEC, 'hostPID']),
    ),
    field(
      'ka.req.pod.run_as_user',
      "When the request object refers to a pod, the pod's securityContext.runAsUser.",
      scalar([...SPEC, 'securityContext', 'runAsUser']),
    ),
    field(
      'ka.req.pod.run_as_group',
      "When the request object refers to a pod, the pod's securityContext.runAsGroup.",
      scalar([...SPEC, 'securityContext', 'runAsGroup']),
    ),
    field(
      'ka.req.pod.fs_group',
      "When the request object refers to a pod, the pod's securityContext.fsGroup.",
      scalar([...SPEC, 'securityContext', 'fsGroup']),
    ),
    {
      name: 'ka.req.pod.supplemental_groups',
      type: 'string',
      list: true,
      desc: "When the request object refers to a pod, the pod's securityContext.supplementalGroups.",
      bind: () => (e) => {
        const groups = get(audit(e), [...SPEC, 'securityContext', 'supplementalGroups']);
        return Array.isArray(groups) ? nonEmpty(groups.map(renderJson)) : undefined;
      },
    },
    field(
      'ka.req.container.image',
      'Deprecated: the image of the first container.',
      (e) => {
        const image = get(firstContainer(e), ['image']);
        return image === undefined ? undefined : renderJson(image);
      },
      { deprecated: 'use ka.req.pod.containers.image' },
    ),
    field(
      'ka.req.container.image.repository',
      'Deprecated: the image repository of the first container.',
      (e) => imageRepository(get(firstContainer(e), ['image'])),
      { deprecated: 'use ka.req.pod.containers.image.repository' },
    ),
    field(
      'ka.req.container.privileged',
      'Deprecated: "true" if any container is privileged, otherwise "false".',
      (e) => {
        const containers = get(audit(e), [...SPEC, 'containers']);
        if (!Array.isArray(containers)) return undefined;
        return containers.some((c) => get(c, ['securityContext', 'privileged']) === true) ? 'true' : 'false';
      },
      { deprecated: 'use ka.req.pod.containers.privileged' },
    ),
    field(
      'ka.req.role.rules',
      'If the request object refers to a role/cluster role, the rules associated with the role.',
      (e) => {
        const rules = get(audit(e), ['requestObject', 'rules']);
        return Array.isArray(rules) ? nonEmpty(rules.map(renderJson)) : undefined;
      },
      { list: true },
    ),
    ...(['apiGroups', 'nonResourceURLs', 'verbs', 'resources'] as const).map((key) =>
      listField(
        `ka.req.role.rules.${key}`,
        `If the request object refers to a role/cluster role, the ${key} of its rules (or of rule N), flattened.`,
        {
          array: ['requestObject', 'rules'],
          item: [key],
          flatten: true,
        },
      ),
    ),
    field(
      'ka.req.service.type',
      'When the request object refers to a service, the service type.',
      scalar([...SPEC, 'type']),
    ),
    {
      name: 'ka.req.service.ports',
      type: 'string',
      list: true,
      arg: INDEX,
      desc: 'When the request object refers to a service, the service ports (one element: the whole array, as upstream).',
      bind: () => (e) => {
        const ports = get(audit(e), [...SPEC, 'ports']);
        return ports === undefined ? undefined : [renderJson(ports)];
      },
    },
    ...containerFields('containers'),
    ...containerFields('initContainers'),
    ...containerFields('ephemeralContainers'),
    field('ka.resp.name', 'The response object name.', scalar(['responseObject', 'metadata', 'name'])),
    field('ka.response.code', 'The response code.', scalar(['responseStatus', 'code'])),
    field(
      'ka.response.reason',
      'The response reason (usually present only for failures).',
      scalar(['responseStatus', 'reason']),
    ),
  ];
}

/** Splits an RFC 6901 pointer (leading `/` optional) into keys: `~1` is `/`, `~0` is `~`. */
function pointerKeys(pointer: string): string[] {
  const body = pointer.startsWith('/') ? pointer.slice(1) : pointer;
  if (body === '') return [];
  return body.split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Walks objects by key and arrays by numeric segment. */
function walk(value: Json, keys: readonly string[]): Json {
  let current = value;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (typeof current !== 'object' || current === null) return undefined;
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
      current = current[Number(key)] as Json;
    } else {
      current = (current as JsonObject)[key];
    }
  }
  return current;
}

/** The last time rendered: Falco's always-true/never-true macros read `jevt.rawtime` for every event. */
let lastRawtime = { ns: -1n, text: '' };

function rawtime(e: EngineEvent): string {
  if (lastRawtime.ns !== e.timeNs) lastRawtime = { ns: e.timeNs, text: String(e.timeNs) };
  return lastRawtime.text;
}

/** The json plugin's fields under `prefix` (`json` and its alias `jevt`). */
function jsonFields(prefix: 'json' | 'jevt'): FieldDef[] {
  return [
    {
      name: `${prefix}.value`,
      type: 'string',
      arg: KEY,
      desc: 'Extracts a value from the event with a JSON pointer (RFC 6901), e.g. [/user/username]; strings as text, other values as compact JSON.',
      bind: (pointer = '') => {
        const keys = pointerKeys(pointer);
        return (e) => {
          const value = walk(e.payload, keys);
          return value === undefined ? undefined : renderJson(value);
        };
      },
    },
    field(`${prefix}.obj`, 'The whole event, pretty-printed with a two-space indent.', (e) =>
      JSON.stringify(e.payload, null, 2),
    ),
    field(`${prefix}.rawtime`, 'The event time in nanoseconds, as a decimal string.', rawtime),
  ];
}

const POD_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** Every container of the pod in the request, regular, init and ephemeral. */
function allContainers(e: EngineEvent): Json[] {
  const spec = get(audit(e), SPEC);
  const out: Json[] = [];
  for (const list of POD_LISTS) {
    const containers = get(spec, [list]);
    if (Array.isArray(containers)) out.push(...(containers as Json[]));
  }
  return out;
}

const asNumber = (v: Json): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function numbers(values: Array<number | undefined>): Extracted {
  const out = values.filter((v): v is number => v !== undefined);
  return out.length === 0 ? undefined : out;
}

/**
 * Harrier extensions for PodSecurityPolicy checks (rules-language.md §13): numeric values read from the
 * `securityContext` paths, over every container list, so ranges can be expressed properly (`in (1000..2000)`).
 */
function harrierFields(): FieldDef[] {
  const ext = { extension: true, produced: true } as const;
  const effective =
    (key: 'runAsUser' | 'runAsGroup'): Extractor =>
    (e) => {
      const pod = asNumber(get(audit(e), [...SPEC, 'securityContext', key]));
      return numbers(allContainers(e).map((c) => asNumber(get(c, ['securityContext', key])) ?? pod));
    };
  return [
    {
      name: 'harrier.ka.pod.run_as_user',
      type: 'number',
      list: true,
      desc: "Harrier: the effective securityContext.runAsUser of each container (its own, else the pod's); containers with neither are skipped.",
      ...ext,
      bind: () => effective('runAsUser'),
    },
    {
      name: 'harrier.ka.pod.run_as_group',
      type: 'number',
      list: true,
      desc: "Harrier: the effective securityContext.runAsGroup of each container (its own, else the pod's); containers with neither are skipped.",
      ...ext,
      bind: () => effective('runAsGroup'),
    },
    {
      name: 'harrier.ka.pod.fs_group',
      type: 'number',
      desc: "Harrier: the pod's securityContext.fsGroup, as a number.",
      ...ext,
      bind: () => (e) => asNumber(get(audit(e), [...SPEC, 'securityContext', 'fsGroup'])),
    },
    {
      name: 'harrier.ka.pod.supplemental_groups',
      type: 'number',
      list: true,
      desc: "Harrier: the pod's securityContext.supplementalGroups, as numbers.",
      ...ext,
      bind: () => (e) => {
        const groups = get(audit(e), [...SPEC, 'securityContext', 'supplementalGroups']);
        return Array.isArray(groups) ? numbers(groups.map(asNumber)) : undefined;
      },
    },
    {
      name: 'harrier.ka.pod.host_ports',
      type: 'number',
      list: true,
      desc: 'Harrier: every hostPort requested by any container (ports without a hostPort are not host ports).',
      ...ext,
      bind: () => (e) =>
        numbers(
          allContainers(e).flatMap((c) => {
            const ports = get(c, ['ports']);
            return Array.isArray(ports) ? ports.map((p) => asNumber(get(p, ['hostPort']))) : [];
          }),
        ),
    },
    {
      name: 'harrier.ka.pod.host_paths',
      type: 'string',
      list: true,
      desc: 'Harrier: every hostPath volume path; `pmatch` on it holds when every path lies under one of the prefixes.',
      ...ext,
      bind: () => fanOut({ array: [...SPEC, 'volumes'], item: ['hostPath', 'path'] }, undefined),
    },
    {
      name: 'harrier.ka.pod.read_only_root_fs',
      type: 'string',
      list: true,
      desc: 'Harrier: securityContext.readOnlyRootFilesystem of every container, "false" when a container does not set it.',
      ...ext,
      bind: () => (e) => {
        const values = allContainers(e).map((c) =>
          get(c, ['securityContext', 'readOnlyRootFilesystem']) === true ? 'true' : 'false',
        );
        return values.length === 0 ? undefined : values;
      },
    },
  ];
}

/** Every field of the `k8s_audit` source. Rules are indexed on the target resource, the verb and the stage. */
export const K8S_AUDIT_FIELDS = new FieldRegistry(
  'k8s_audit',
  [
    ...genericFields('k8s_audit', 'k8saudit'),
    ...auditFields(),
    ...jsonFields('jevt'),
    ...jsonFields('json'),
    ...harrierFields(),
  ],
  ['ka.target.resource', 'ka.verb', 'jevt.value[/stage]'],
);
