/** Time rendering shared by fields and alerts: UTC, nanosecond precision, as Falco prints it. */

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

function parts(ns: bigint): { date: Date; fraction: string } {
  const seconds = ns / NS_PER_S;
  const rest = ns - seconds * NS_PER_S;
  return { date: new Date(Number(seconds * 1000n)), fraction: String(rest).padStart(9, '0') };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `HH:MM:SS.nnnnnnnnn` (Falco's `evt.time`). */
export function formatClock(ns: bigint): string {
  const { date, fraction } = parts(ns);
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${fraction}`;
}

/** `YYYY-MM-DD` of the event, UTC. */
export function formatDate(ns: bigint): string {
  const { date } = parts(ns);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** RFC 3339 in UTC with nine fractional digits: `2023-11-14T22:13:20.123456789Z` (the alert's `time`). */
export function formatIso(ns: bigint): string {
  return `${formatDate(ns)}T${formatClock(ns)}Z`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9})\d*)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch of an RFC 3339 timestamp with up to nanosecond precision; undefined if invalid. */
export function parseRfc3339(text: string): bigint | undefined {
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [, day, clock, fraction = '', zone = 'Z'] = match;
  const ms = Date.parse(`${day}T${clock}${zone.toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * NS_PER_MS + BigInt(fraction.padEnd(9, '0'));
}
