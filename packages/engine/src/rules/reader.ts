/**
 * Rules loading, stage 1 (Falco `rule_loader_reader.cpp`): YAML text → items with positions.
 * This stage checks the file's shape, each item's kind and name, and unknown keys; the values of
 * other keys, append/override and versions are the collector's business.
 */
import { readFile } from 'node:fs/promises';
import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type YAMLMap,
} from 'yaml';
import {
  createDiagnostic,
  type LoadError,
  type LoadErrorCode,
  type LoadWarning,
  type LoadWarningCode,
  type SourcePosition,
} from '../errors.js';

/** Item kinds in Falco's precedence order: the first of these keys present in an item decides its kind. */
export const ITEM_KINDS = ['required_engine_version', 'required_plugin_versions', 'list', 'macro', 'rule'] as const;

export type ItemKind = (typeof ITEM_KINDS)[number];

/** The keys each kind understands (rules-language.md §2–§6); any other key is warned about and ignored. */
const KNOWN_KEYS: Record<ItemKind, ReadonlySet<string>> = {
  required_engine_version: new Set(['required_engine_version']),
  required_plugin_versions: new Set(['required_plugin_versions']),
  list: new Set(['list', 'items', 'append', 'override']),
  macro: new Set(['macro', 'condition', 'append', 'override']),
  rule: new Set([
    'rule',
    'condition',
    'output',
    'desc',
    'priority',
    'source',
    'enabled',
    'tags',
    'exceptions',
    'warn_evttypes',
    'skip-if-unknown-filter',
    'capture',
    'capture_duration',
    'append',
    'override',
  ]),
};

/** Kinds whose key holds the item's name. */
const NAMED_KINDS: ReadonlySet<ItemKind> = new Set(['list', 'macro', 'rule']);

/** Where a key's value lies in the file, for diagnostics about that value. */
export interface ValueSite {
  position: SourcePosition;
  /** The value's text as written in the file (quotes and block indicators included). */
  source: string;
  /** The YAML scalar style: `PLAIN`, `QUOTE_DOUBLE`, `QUOTE_SINGLE`, `BLOCK_FOLDED`, `BLOCK_LITERAL`; absent for collections. */
  style?: string;
}

export interface RulesItem {
  kind: ItemKind;
  /** Lists, macros and rules only. */
  name?: string;
  /** The item as plain JavaScript (anchors resolved), unknown keys included. */
  body: Record<string, unknown>;
  position: SourcePosition;
  /** The position of each top-level key's value. */
  values: Record<string, ValueSite>;
}

export interface RulesFileRead {
  file: string;
  /** The file's text, for excerpts in later stages' diagnostics. */
  text: string;
  /** Items in file order; when there is an error, the items before it. */
  items: RulesItem[];
  /** At most one: reading stops at a file's first error, as Falco does. */
  errors: LoadError[];
  warnings: LoadWarning[];
}

/** Thrown inside this module to stop the file at its first error. */
class StopReading extends Error {
  constructor(readonly diagnostic: LoadError) {
    super(diagnostic.message);
  }
}

/** Reads one rules file's text; `fileName` is only used in positions. */
export function readRulesFile(text: string, fileName: string): RulesFileRead {
  return new FileReader(text, fileName).read();
}

class FileReader {
  private readonly lineCounter = new LineCounter();
  private readonly result: RulesFileRead;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.result = { file, text, items: [], errors: [], warnings: [] };
  }

  read(): RulesFileRead {
    // Duplicate keys are a YAML error here, though yaml-cpp lets Falco keep one silently:
    // a rule with two `condition:` keys is a mistake worth stopping for.
    const docs = parseAllDocuments(this.text, { lineCounter: this.lineCounter, prettyErrors: false });
    try {
      // Like yaml-cpp's LoadAll, a syntax error anywhere rejects the whole file before any item is read.
      const syntaxError = docs.flatMap((doc) => doc.errors)[0];
      if (syntaxError) throw this.fail('LOAD_ERR_YAML_PARSE', syntaxError.message, syntaxError.pos[0]);
      for (const doc of docs) this.readDocument(doc);
    } catch (error) {
      if (!(error instanceof StopReading)) throw error;
      this.result.errors.push(error.diagnostic);
    }
    return this.result;
  }

  private readDocument(doc: Document): void {
    const contents = doc.contents;
    if (isNull(contents)) return;
    if (!isSeq(contents)) {
      const message = isMap(contents) ? 'Rules content is not yaml array of objects' : 'Rules content is not yaml';
      throw this.fail('LOAD_ERR_YAML_VALIDATE', message, offsetOf(contents));
    }
    for (const element of contents.items) {
      const node = isAlias(element) ? element.resolve(doc) : element;
      if (isNull(node)) continue;
      if (!isMap(node)) {
        throw this.fail(
          'LOAD_ERR_YAML_VALIDATE',
          'Unexpected element type. Each element should be a yaml associative array.',
          offsetOf(element),
        );
      }
      this.readItem(node, offsetOf(element), doc);
    }
  }

  private readItem(node: YAMLMap, offset: number, doc: Document): void {
    const kind = ITEM_KINDS.find((k) => node.has(k));
    if (kind === undefined) {
      this.warn('LOAD_UNKNOWN_ITEM', 'Unknown top level item', offset);
      return;
    }
    const name = NAMED_KINDS.has(kind) ? this.readName(node, kind, offset) : undefined;
    const label = name === undefined ? kind : `${kind} '${name}'`;
    const values: Record<string, ValueSite> = {};
    for (const { key, value } of node.items) {
      const text = isScalar(key) ? String(key.value) : String(key);
      if (!KNOWN_KEYS[kind].has(text)) {
        const message = `Unknown key '${text}'. The key will be ignored.`;
        this.warn('LOAD_UNKNOWN_KEY', message, offsetOf(key, offset), label);
      }
      values[text] = this.site(value, offsetOf(key, offset));
    }
    this.result.items.push({
      kind,
      ...(name === undefined ? {} : { name }),
      body: this.toBody(node, doc, offset, label),
      position: this.at(offset),
      values,
    });
  }

  /** The item as plain JavaScript; yaml refuses to expand an alias bomb, and so do we, as a load error. */
  private toBody(node: YAMLMap, doc: Document, offset: number, label: string): Record<string, unknown> {
    try {
      return node.toJS(doc) as Record<string, unknown>;
    } catch (error) {
      if (!(error instanceof ReferenceError)) throw error;
      throw this.fail('LOAD_ERR_YAML_PARSE', error.message, offset, label);
    }
  }

  /** The name of a list, macro or rule must be a non-empty scalar; Falco's messages and positions. */
  private readName(item: YAMLMap, kind: ItemKind, itemOffset: number): string {
    const value = item.get(kind, true);
    if (isNull(value)) {
      throw this.fail('LOAD_ERR_YAML_VALIDATE', `Mapping for key '${kind}' is empty`, itemOffset, kind);
    }
    if (!isScalar(value)) {
      throw this.fail('LOAD_ERR_YAML_VALIDATE', 'Value is not a scalar value', offsetOf(value), kind);
    }
    const name = String(value.value);
    if (name === '') {
      throw this.fail('LOAD_ERR_YAML_VALIDATE', 'Value must be non-empty', offsetOf(value), kind);
    }
    return name;
  }

  private site(value: unknown, fallback: number): ValueSite {
    if (!isNode(value) || !value.range) return { position: this.at(fallback), source: '' };
    const [start, end] = value.range;
    const style = isScalar(value) && typeof value.type === 'string' ? value.type : undefined;
    return {
      position: this.at(start),
      source: this.text.slice(start, end),
      ...(style === undefined ? {} : { style }),
    };
  }

  private at(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  private fail(code: LoadErrorCode, message: string, offset: number, item?: string): StopReading {
    return new StopReading(createDiagnostic(code, message, this.at(offset), this.text, item));
  }

  private warn(code: LoadWarningCode, message: string, offset: number, item?: string): void {
    this.result.warnings.push(createDiagnostic(code, message, this.at(offset), this.text, item));
  }
}

/** Reads rules files from disk, in the order given (later files may change items of earlier ones). */
export async function readRulesFiles(paths: readonly string[]): Promise<RulesFileRead[]> {
  return Promise.all(
    paths.map(async (file): Promise<RulesFileRead> => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const diagnostic = createDiagnostic(
          'LOAD_ERR_FILE_READ',
          `Could not read rules file: ${reason}`,
          { file, line: 0, column: 0 },
          '',
        );
        return { file, text: '', items: [], errors: [diagnostic], warnings: [] };
      }
      return readRulesFile(text, file);
    }),
  );
}

/** Empty YAML (`~`, `null`, nothing) and absent nodes alike. */
function isNull(node: unknown): boolean {
  return node === undefined || node === null || (isScalar(node) && node.value === null);
}

/** Where a node starts, or `fallback` for nodes without a source range. */
function offsetOf(node: unknown, fallback = 0): number {
  return isNode(node) ? (node.range?.[0] ?? fallback) : fallback;
}
