/**
 * Go's `time.Time.String()` of an alert's RFC 3339 time, as falcosidekick prints it in Slack fields and mails:
 * `2019-05-17 15:31:56.746609046 +0000 UTC`. Built from the text, so nanoseconds survive.
 */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export function goTimeString(time: string): string {
  const m = RFC3339.exec(time);
  if (!m) return time;
  const [, date, clock, fraction = '', zulu, sign, hours, minutes] = m;
  const frac = fraction.slice(0, 9).replace(/0+$/, '');
  const seconds = frac === '' ? clock : `${clock}.${frac}`;
  // A zero offset matches the local zone of a UTC host (a container); any other becomes an unnamed zone,
  // printed as its offset in place of the name.
  if (zulu !== undefined || (hours === '00' && minutes === '00')) return `${date} ${seconds} +0000 UTC`;
  const offset = `${sign}${hours}${minutes}`;
  return `${date} ${seconds} ${offset} ${offset}`;
}

/** RFC 3339 with trailing fractional zeros dropped and a zero offset written `Z`, as Go's `RFC3339Nano` prints it. */
export function goRfc3339Nano(time: string): string {
  const m = RFC3339.exec(time);
  if (!m) return time;
  const [, date, clock, fraction = '', zulu, sign, hours, minutes] = m;
  const frac = fraction.slice(0, 9).replace(/0+$/, '');
  const zone = zulu !== undefined || (hours === '00' && minutes === '00') ? 'Z' : `${sign}${hours}:${minutes}`;
  return `${date}T${clock}${frac === '' ? '' : `.${frac}`}${zone}`;
}
