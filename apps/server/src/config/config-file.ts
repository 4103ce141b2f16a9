/** Reads the YAML config file (`-c FILE` / CONFIG_FILE); keys are case-insensitive as in falcosidekick. */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from './config.schema.js';

/** Maps whose keys are user data (field names, header names) and keep their case. */
const USER_KEYED_MAPS = new Set(['customfields', 'customheaders']);

function lowerKeys(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => lowerKeys(item));
  if (typeof value !== 'object' || value === null) return value;
  if (parentKey !== undefined && USER_KEYED_MAPS.has(parentKey)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowerKeys(inner, key.toLowerCase())]),
  );
}

export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [first] = doc.errors;
  if (first) {
    const { line, col } = lines.linePos(first.pos[0]);
    throw new ConfigError(`${path}:${line}:${col}: ${first.message.split('\n')[0]}`);
  }
  const content: unknown = doc.toJS();
  if (content === null || content === undefined) return {};
  if (typeof content !== 'object' || Array.isArray(content)) {
    throw new ConfigError(`${path}: must be a YAML map of keys (slack:, smtp:, webhook:, outputs:, …)`);
  }
  return lowerKeys(content) as Record<string, unknown>;
}
