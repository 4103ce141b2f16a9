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

/** The last whole second parsed, keyed by its text: audit streams carry many events per second. */
let lastSecond = { key: '', prefix: '', ns: 0n };

/** Nanoseconds since the epoch of an RFC 3339 timestamp with up to nanosecond precision; undefined if invalid. */
export function parseRfc3339(text: string): bigint | undefined {
  // Fast path: `YYYY-MM-DDTHH:MM:SS[.f…]Z` in the second last seen.
  if (lastSecond.key !== '' && text.endsWith('Z') && text.startsWith(lastSecond.prefix)) {
    const rest = text.length - 20;
    if (rest === 0) return lastSecond.ns;
    if (text.charCodeAt(19) === 46 && rest >= 2 && rest <= 10) {
      let fraction = 0;
      for (let i = 20; i < text.length - 1; i++) {
        const digit = text.charCodeAt(i) - 48;
        if (digit < 0 || digit > 9) return undefined;
        fraction = fraction * 10 + digit;
      }
      return lastSecond.ns + BigInt(fraction * 10 ** (10 - rest));
    }
  }
  const match = RFC3339.exec(text);
  if (match === null) return undefined;
  const [, day, clock, fraction = '', zone = 'Z'] = match;
  const key = `${day}T${clock}${zone.toUpperCase()}`;
  let second = lastSecond.key === key ? lastSecond.ns : undefined;
  if (second === undefined) {
    const ms = Date.parse(key);
    if (Number.isNaN(ms)) return undefined;
    second = BigInt(ms) * NS_PER_MS;
    lastSecond = { key, prefix: key.endsWith('Z') ? key.slice(0, -1) : '\u0000', ns: second };
  }
  return fraction === '' ? second : second + BigInt(fraction.padEnd(9, '0'));
}

/** Clock and ISO texts of the last time formatted: one event raises several alerts with the same time. */
let lastTimes = { ns: -1n, clock: '', iso: '' };

/** `HH:MM:SS.nnnnnnnnn` and the RFC 3339 text of a time, computed once per distinct time. */
export function eventTimes(ns: bigint): { clock: string; iso: string } {
  if (lastTimes.ns !== ns) {
    const clock = formatClock(ns);
    lastTimes = { ns, clock, iso: `${formatDate(ns)}T${clock}Z` };
  }
  return lastTimes;
}
