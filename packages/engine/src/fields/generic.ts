/** Event fields every source has (Falco's generic `evt.*` fields for plugin sources). */
import { formatClock, formatDate, formatIso } from './time.js';
import { plain, type FieldDef } from './types.js';

const NS_PER_S = 1_000_000_000n;

/** The generic fields for `source`; `pluginName` is what `evt.pluginname` reports. */
export function genericFields(source: string, pluginName: string | undefined): FieldDef[] {
  return [
    plain('evt.time', 'abstime', 'Event timestamp, printed as HH:MM:SS.nnnnnnnnn (UTC).', (e) => e.timeNs),
    plain('evt.time.s', 'string', 'Event timestamp as HH:MM:SS (UTC).', (e) => formatClock(e.timeNs).slice(0, 8)),
    plain('evt.time.iso8601', 'string', 'Event timestamp in ISO 8601 with nanoseconds (UTC).', (e) =>
      formatIso(e.timeNs),
    ),
    plain(
      'evt.datetime',
      'string',
      'Event timestamp as YYYY-MM-DD HH:MM:SS.nnnnnnnnn (UTC).',
      (e) => `${formatDate(e.timeNs)} ${formatClock(e.timeNs)}`,
    ),
    plain(
      'evt.datetime.s',
      'string',
      'Event timestamp as YYYY-MM-DD HH:MM:SS (UTC).',
      (e) => `${formatDate(e.timeNs)} ${formatClock(e.timeNs).slice(0, 8)}`,
    ),
    plain('evt.rawtime', 'abstime', 'Absolute event timestamp in nanoseconds since the epoch.', (e) => e.timeNs),
    plain('evt.rawtime.s', 'number', 'Integer part of the event timestamp in seconds.', (e) =>
      Number(e.timeNs / NS_PER_S),
    ),
    plain('evt.rawtime.ns', 'number', 'Fractional part of the event timestamp, in nanoseconds.', (e) =>
      Number(e.timeNs % NS_PER_S),
    ),
    plain(
      'evt.reltime',
      'reltime',
      'Nanoseconds since the start of the capture (not tracked: not available).',
      () => undefined,
    ),
    plain(
      'evt.reltime.s',
      'number',
      'Seconds since the start of the capture (not tracked: not available).',
      () => undefined,
    ),
    plain(
      'evt.reltime.ns',
      'number',
      'Fractional nanoseconds since the start of the capture (not available).',
      () => undefined,
    ),
    plain('evt.num', 'number', 'Event sequence number, when the producer numbers events.', (e) => e.num),
    plain('evt.source', 'string', 'Name of the event source.', () => source),
    plain('evt.hostname', 'string', 'Hostname of the machine the event was seen on.', (e) => e.hostname),
    plain(
      'evt.pluginname',
      'string',
      'Name of the plugin that generated the event (Falco); Harrier reports its built-in provider.',
      () => pluginName,
    ),
    plain('evt.plugininfo', 'string', 'Summary of the event from its plugin (not available).', () => undefined),
    plain('evt.is_async', 'bool', 'Whether the event is asynchronous (never, here).', () => false),
    plain('evt.asynctype', 'string', 'Type of an asynchronous event (not available).', () => undefined),
  ];
}
