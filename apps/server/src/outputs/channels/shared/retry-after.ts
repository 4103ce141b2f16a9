/** `Retry-After` (RFC 9110 §10.2.3): delta-seconds or an HTTP-date, as milliseconds from now. */

const IMF_FIXDATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850 = /^[A-Za-z]+, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}:\d{2}:\d{2}) GMT$/;

function parseHttpDate(value: string): number | undefined {
  if (IMF_FIXDATE.test(value)) return Date.parse(value);
  const old = RFC_850.exec(value);
  if (old) {
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
    const [, day, month, yy, time] = old;
    const thisYear = new Date().getUTCFullYear();
    let year = 2000 + Number(yy);
    if (year > thisYear + 50) year -= 100;
    return Date.parse(`${day} ${month} ${year} ${time} GMT`);
  }
  return undefined;
}

/** `undefined` when absent or unparseable; never negative (a date in the past means "now"). */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = parseHttpDate(value);
  if (at === undefined || Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
