/** `harrier-rules fields [--source S]`: every field with its description. */
import { FIELD_REGISTRIES } from '../fields/index.js';
import type { FieldDef } from '../fields/types.js';
import { FIELDS_USAGE, parseOptions, usageError, type CliIo } from './main.js';

function signature(def: FieldDef): string {
  if (!def.arg) return def.name;
  const arg = def.arg.kind === 'index' ? 'N' : 'key';
  return def.arg.required ? `${def.name}[${arg}]` : `${def.name}[${arg}]?`;
}

function notes(def: FieldDef): string {
  const marks = [
    def.type,
    ...(def.list ? ['list'] : []),
    ...(def.produced === false ? ['not produced'] : []),
    ...(def.extension ? ['Harrier extension'] : []),
    ...(def.deprecated ? [`deprecated: ${def.deprecated}`] : []),
  ];
  return `(${marks.join(', ')})`;
}

export function fieldsCommand(args: readonly string[], io: CliIo): number {
  const parsed = parseOptions(args, { source: { type: 'string', short: 's' } }, io, FIELDS_USAGE);
  if (!parsed) return 2;
  if (parsed.positionals.length > 0)
    return usageError(io, `unexpected argument '${parsed.positionals[0]}'`, FIELDS_USAGE);
  const source = parsed.values.source;
  if (source !== undefined && !FIELD_REGISTRIES.has(source)) {
    return usageError(
      io,
      `unknown source '${source}' (known: ${[...FIELD_REGISTRIES.keys()].join(', ')})`,
      FIELDS_USAGE,
    );
  }
  const registries = [...FIELD_REGISTRIES.values()].filter((r) => source === undefined || r.source === source);
  for (const [i, registry] of registries.entries()) {
    const defs = registry.fields();
    if (i > 0) io.out('\n');
    io.out(`Source ${registry.source} (${defs.length} fields)\n\n`);
    for (const def of defs) io.out(`${signature(def)} ${notes(def)}\n    ${def.desc}\n`);
  }
  return 0;
}
