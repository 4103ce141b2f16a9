/** Paths and file reading shared by the deploy checks: everything is read from the repository as committed. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { envSchema } from '../../apps/server/src/config/config.schema.js';
import { CHANNEL_CONFIG_SCHEMAS } from '../../apps/server/src/outputs/channels/channel.factory.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export const repoPath = (...parts: string[]): string => path.join(REPO, ...parts);

export const readRepoFile = (relative: string): string => readFileSync(repoPath(relative), 'utf8');

export const existsInRepo = (relative: string): boolean => existsSync(repoPath(relative));

export function readYaml(relative: string): unknown {
  return parse(readRepoFile(relative));
}

/** Every document of a (multi-document) YAML file, failing on the first syntax error. */
export function readYamlDocuments(relative: string): unknown[] {
  return parseAllDocuments(readRepoFile(relative)).map((doc) => {
    const [error] = doc.errors;
    if (error) throw new Error(`${relative}: ${error.message}`);
    return doc.toJS() as unknown;
  });
}

/** Environment variables the hub reads: its own, CONFIG_FILE, and falcosidekick's per-output names. */
export function hubEnvNames(): Set<string> {
  const names = new Set([...Object.keys(envSchema.shape), 'CONFIG_FILE']);
  for (const [type, spec] of Object.entries(CHANNEL_CONFIG_SCHEMAS)) {
    for (const key of Object.keys(spec.schema.shape)) names.add(`${type}_${key}`.toUpperCase());
  }
  return names;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
