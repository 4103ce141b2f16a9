/** Loading rules files: read, collect and compile each file in order, as Falco does with `-r a -r b`. */
import { readFile } from 'node:fs/promises';
import { createDiagnostic, type LoadError, type LoadWarning } from './errors.js';
import { collectFile, RuleCollection, type PluginRequirement } from './rules/collector.js';
import { compileCollection, type CompiledRule } from './rules/compiler.js';
import { readRulesFile } from './rules/reader.js';

export interface LoadResult {
  /** Compiled rules of every known source, in load order (disabled and unevaluable ones included). */
  rules: CompiledRule[];
  errors: LoadError[];
  warnings: LoadWarning[];
  /** The highest `required_engine_version` seen, as x.y.z. */
  requiredEngineVersion: string;
  /** Every `required_plugin_versions` entry, as written (Harrier maps them to its built-in fields). */
  pluginRequirements: PluginRequirement[];
}

export interface RulesText {
  file: string;
  text: string;
}

const key = (d: LoadError | LoadWarning): string => `${d.code}\0${d.file}\0${d.line}\0${d.column}\0${d.message}`;

/**
 * Loads rules from texts, in order. The whole set is compiled again after each file (so a file may not use a macro
 * that only a later file defines); errors are kept from every pass, warnings about compilation from the last.
 */
export function loadRulesText(files: readonly RulesText[]): LoadResult {
  const collection = new RuleCollection();
  const errors = new Map<string, LoadError>();
  const fileWarnings: LoadWarning[] = [];
  let compiled: ReturnType<typeof compileCollection> = { rules: [], errors: [], warnings: [] };
  for (const { file, text } of files) {
    const read = readRulesFile(text, file);
    fileWarnings.push(...read.warnings);
    for (const e of read.errors) errors.set(key(e), e);
    const collected = collectFile(collection, read);
    fileWarnings.push(...collected.warnings);
    for (const e of collected.errors) errors.set(key(e), e);
    compiled = compileCollection(collection);
    for (const e of compiled.errors) errors.set(key(e), e);
  }
  return {
    rules: compiled.rules,
    errors: [...errors.values()],
    warnings: [...fileWarnings, ...compiled.warnings],
    requiredEngineVersion: collection.requiredEngineVersion,
    pluginRequirements: [...collection.pluginRequirements],
  };
}

/** Loads rules files from disk, in the order given. A file that cannot be read is an error. */
export async function loadRules(paths: readonly string[]): Promise<LoadResult> {
  const texts: RulesText[] = [];
  const unreadable: LoadError[] = [];
  for (const file of paths) {
    try {
      texts.push({ file, text: await readFile(file, 'utf8') });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      unreadable.push(
        createDiagnostic(
          'LOAD_ERR_FILE_READ',
          `Could not read rules file: ${reason}`,
          { file, line: 0, column: 0 },
          '',
        ),
      );
    }
  }
  const result = loadRulesText(texts);
  return { ...result, errors: [...unreadable, ...result.errors] };
}
