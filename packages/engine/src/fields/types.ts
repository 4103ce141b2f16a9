/** Field registries: what a field is called, what it holds, and how it is read from an event of its source. */

/** Value types (Falco's `PT_*` families, reduced to what comparisons need). */
export type FieldType = 'string' | 'number' | 'bool' | 'bytes' | 'ipaddr' | 'ipnet' | 'abstime' | 'reltime';

/** One extracted value. Times (`abstime`, `reltime`) are nanoseconds as bigint, so they stay exact. */
export type FieldValue = string | number | bigint | boolean;

/** What an extractor returns: one value, several (list fields), or `undefined` when the field is not available. */
export type Extracted = FieldValue | readonly FieldValue[] | undefined;

/** An event of any source as the engine sees it. */
export interface EngineEvent {
  /** Event time in nanoseconds since the epoch (k8s audit: `stageTimestamp`). */
  readonly timeNs: bigint;
  /** The source's payload: the audit event's JSON object, or a syscall event's field record. */
  readonly payload: unknown;
  /** Sequence number, if the producer counts events (`evt.num`). */
  readonly num?: number;
  /** Host the event was seen on (`evt.hostname`). */
  readonly hostname?: string;
}

export type Extractor = (event: EngineEvent) => Extracted;

/** How a field takes its `[argument]`. */
export interface FieldArgSpec {
  kind: 'key' | 'index';
  required: boolean;
}

export interface FieldDef {
  name: string;
  type: FieldType;
  /** List-valued: only `exists`, `in` and `intersects` apply. */
  list?: boolean;
  arg?: FieldArgSpec;
  /** `evt.arg.flags` is `evt.arg[flags]`: the argument may follow the name after a dot. */
  dottedArg?: boolean;
  desc: string;
  /** False for fields no Harrier sensor produces: rules reading them are reported and never evaluated. */
  produced?: boolean;
  /**
   * A Harrier extension Falco does not have (`harrier.*` fields): numeric ranges `MIN..MAX` in `in` lists, and
   * `pmatch` on a list field (true when every element matches).
   */
  extension?: boolean;
  /** Set on deprecated fields: the replacement, or why. */
  deprecated?: string;
  /** Builds the extractor for one argument (already validated against `arg`). */
  bind(arg: string | undefined): Extractor;
}

/** A field found by name, with the argument carried in a dotted name (`evt.arg.flags`). */
export interface FieldLookup {
  def: FieldDef;
  dottedArg?: string;
}

/** The fields of one event source. */
export class FieldRegistry {
  private readonly byName = new Map<string, FieldDef>();
  private readonly dotted: FieldDef[] = [];

  constructor(
    readonly source: string,
    defs: readonly FieldDef[],
    /** Fields whose value partitions events, used to index rules (see `evaluate.ts`). */
    readonly indexFields: readonly string[] = [],
  ) {
    for (const def of defs) {
      if (this.byName.has(def.name)) throw new Error(`duplicate field ${def.name} in ${source}`);
      this.byName.set(def.name, def);
      if (def.dottedArg) this.dotted.push(def);
    }
  }

  private readonly bound = new Map<FieldDef, Map<string | undefined, Extractor>>();

  /**
   * The extractor of a field with an argument, shared by every check that reads it and remembering the value for
   * the last event, so a field many rules read is extracted once per event. Events must not change once
   * evaluated (the engine never changes them).
   */
  extractor(def: FieldDef, arg: string | undefined): Extractor {
    let byArg = this.bound.get(def);
    if (!byArg) this.bound.set(def, (byArg = new Map<string | undefined, Extractor>()));
    let extractor = byArg.get(arg);
    if (!extractor) {
      const extract = def.bind(arg);
      let last: EngineEvent | undefined;
      let value: Extracted;
      extractor = (e) => {
        if (e !== last) {
          value = extract(e);
          last = e;
        }
        return value;
      };
      byArg.set(arg, extractor);
    }
    return extractor;
  }

  lookup(name: string): FieldLookup | undefined {
    const def = this.byName.get(name);
    if (def) return { def };
    for (const candidate of this.dotted) {
      if (name.startsWith(`${candidate.name}.`) && name.length > candidate.name.length + 1) {
        return { def: candidate, dottedArg: name.slice(candidate.name.length + 1) };
      }
    }
    return undefined;
  }

  fields(): FieldDef[] {
    return [...this.byName.values()];
  }
}

/** Builds a definition for a field that ignores its argument. */
export function plain(
  name: string,
  type: FieldType,
  desc: string,
  extract: Extractor,
  extra: Partial<FieldDef> = {},
): FieldDef {
  return { name, type, desc, bind: () => extract, ...extra };
}
