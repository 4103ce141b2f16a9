import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { HarrierConfig } from '../config/config.schema.js';

const LEVELS: Record<HarrierConfig['log']['level'], LogLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** Structured JSON lines by default (one object per line, for log collectors); `LOG_FORMAT=text` for people. */
export function createLogger(config: HarrierConfig['log']): ConsoleLogger {
  return new ConsoleLogger('Harrier', {
    json: config.format === 'json',
    colors: config.format === 'text' && process.stdout.isTTY === true,
    logLevels: LEVELS[config.level],
  });
}
