/**
 * Mail content for one alert (falcosidekick's layout, compat §6) or a digest of several. Alert text is untrusted:
 * the subject is reduced to one line (no header injection), the HTML escapes every value (no attacker markup).
 *
 * Deliberate differences from falcosidekick: the subject is `[Priority] rule` (upstream uses the whole output,
 * unsanitised); no remote logo image; the text part has no trailing space after the tags.
 */
import type { Alert, Priority } from '@harrier/alert';
import { alertTimeMs } from '@harrier/alert';
import { fieldText, formatCounts, summarizeAlerts, type Count } from '../shared/digest.js';
import { goTimeString } from '../shared/go-time.js';
import { singleLine, truncate } from '../shared/text.js';

/** falcosidekick's mail banner colours; they differ from its Slack colours. */
export const MAIL_COLORS: Record<Priority, string> = {
  Emergency: '#e20b0b',
  Alert: '#ff5400',
  Critical: '#ff9000',
  Error: '#ffc700',
  Warning: '#ffff00',
  Notice: '#5bffb5',
  Informational: '#68c2ff',
  Debug: '#ccfff2',
};

export interface MailContent {
  subject: string;
  text: string;
  /** Absent with `outputformat: text`. */
  html?: string;
  date: Date;
}

const MAX_SUBJECT = 200;
/** Rows of the digest's alert table; the counts above it always cover every alert. */
export const DIGEST_TABLE_ROWS = 200;
const TOP_RULES = 10;
const TOP_PLACES = 5;

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function mailSubject(raw: string): string {
  return truncate(singleLine(raw), MAX_SUBJECT);
}

const LABEL = 'background-color:#858585;color:#ffffff;padding:4px 8px;font-weight:bold;vertical-align:top;width:120px';
const VALUE = 'background-color:#d1d6da;padding:4px 8px;font-family:monospace;word-break:break-all';

function page(title: string, body: string): string {
  return (
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n` +
    `<body style="font-family:Helvetica,Arial,sans-serif;font-size:14px">\n${body}</body></html>\n`
  );
}

function banner(color: string, title: string): string {
  return (
    `<table width="700" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin-bottom:8px">` +
    `<tr><td style="background-color:${color};padding:10px;font-size:18px;font-weight:bold">${escapeHtml(title)}</td></tr></table>\n`
  );
}

function rowsTable(rows: ReadonlyArray<readonly [string, string]>, heading?: string): string {
  const head = heading
    ? `<tr><td colspan="2" style="padding:8px 0 4px;font-weight:bold;font-size:16px">${escapeHtml(heading)}</td></tr>`
    : '';
  const body = rows
    .map(
      ([label, value]) =>
        `<tr><td style="${LABEL}">${escapeHtml(label)}</td><td style="${VALUE}">${escapeHtml(value)}</td></tr>`,
    )
    .join('\n');
  return `<table width="700" cellpadding="0" cellspacing="2">${head}\n${body}\n</table>\n`;
}

function sortedFields(alert: Alert): Array<[string, string]> {
  return Object.keys(alert.output_fields)
    .sort()
    .map((key) => [key, fieldText(alert.output_fields[key])]);
}

export function alertMail(alert: Alert, withHtml: boolean): MailContent {
  const time = goTimeString(alert.time);
  const summary: Array<[string, string]> = [
    ['Output', alert.output],
    ['Rule', alert.rule],
    ['Source', alert.source],
    ['Hostname', alert.hostname],
    ['Tags', alert.tags.join(' ')],
    ['Time', time],
  ];
  const fields = sortedFields(alert);
  const text =
    [`Priority: ${alert.priority}`, ...summary.map(([k, v]) => `${k}: ${v}`)].join('\n') +
    `\n\n--Fields--\n${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;
  const subject = mailSubject(`[${alert.priority}] ${alert.rule}`);
  return {
    subject,
    text,
    ...(withHtml
      ? {
          html: page(
            subject,
            banner(MAIL_COLORS[alert.priority], alert.priority) + rowsTable(summary) + rowsTable(fields, 'Fields'),
          ),
        }
      : {}),
    date: new Date(alertTimeMs(alert)),
  };
}

function countLines(counts: readonly Count[], limit: number, noun: string): string[] {
  const lines = counts.slice(0, limit).map((c) => `${c.count}× ${c.name}`);
  const rest = counts.slice(limit);
  if (rest.length > 0) {
    lines.push(`… and ${rest.length} more ${noun} (${rest.reduce((sum, c) => sum + c.count, 0)} alerts)`);
  }
  return lines;
}

export function digestMail(alerts: readonly Alert[], withHtml: boolean, dashboardUrl: string | undefined): MailContent {
  const s = summarizeAlerts(alerts, dashboardUrl);
  const top = s.rules[0]!;
  const others = s.rules.length - 1;
  const subject = mailSubject(
    `[${s.highestPriority}] ${s.total} alerts: ${top.name}${others > 0 ? ` and ${others} other${others === 1 ? '' : 's'}` : ''}`,
  );
  const headline = `${s.total} alerts from ${s.firstTime} to ${s.lastTime}`;
  const overview: Array<[string, string]> = [['Priorities', formatCounts(s.priorities)]];
  if (s.namespaces.length > 0) overview.push(['Namespaces', formatCounts(s.namespaces, TOP_PLACES)]);
  if (s.pods.length > 0) overview.push(['Pods', formatCounts(s.pods, TOP_PLACES)]);
  const rules = countLines(s.rules, TOP_RULES, 'rules');
  const listed = alerts.slice(0, DIGEST_TABLE_ROWS);
  const unlisted = alerts.length - listed.length;

  const text = [
    headline,
    '',
    ...overview.map(([k, v]) => `${k}: ${v}`),
    ...(s.dashboardLink ? [`Dashboard: ${s.dashboardLink}`] : []),
    '',
    '--Rules--',
    ...rules,
    '',
    '--Alerts--',
    ...listed.map((a) => `${a.time} [${a.priority}] ${a.rule}${a.hostname ? ` on ${a.hostname}` : ''}: ${a.output}`),
    ...(unlisted > 0 ? [`… and ${unlisted} more alerts`] : []),
    '',
  ].join('\n');

  let html: string | undefined;
  if (withHtml) {
    const link = s.dashboardLink
      ? `<p><a href="${escapeHtml(s.dashboardLink)}">Open these alerts in the dashboard</a></p>\n`
      : '';
    const ruleRows = rules.map((line) => `<tr><td style="${VALUE}">${escapeHtml(line)}</td></tr>`).join('\n');
    const alertRows = listed
      .map(
        (a) =>
          `<tr>${[a.time, a.priority, a.rule, a.hostname, a.output]
            .map((v) => `<td style="${VALUE}">${escapeHtml(v)}</td>`)
            .join('')}</tr>`,
      )
      .join('\n');
    const headRow = ['Time', 'Priority', 'Rule', 'Hostname', 'Output']
      .map((h) => `<th style="${LABEL};width:auto;text-align:left">${h}</th>`)
      .join('');
    html = page(
      subject,
      banner(MAIL_COLORS[s.highestPriority], headline) +
        rowsTable(overview) +
        link +
        `<table width="700" cellpadding="0" cellspacing="2"><tr><td style="padding:8px 0 4px;font-weight:bold;font-size:16px">Rules</td></tr>\n${ruleRows}\n</table>\n` +
        `<table width="700" cellpadding="0" cellspacing="2"><tr>${headRow}</tr>\n${alertRows}\n</table>\n` +
        (unlisted > 0 ? `<p>… and ${unlisted} more alerts</p>\n` : ''),
    );
  }
  return { subject, text, ...(html !== undefined ? { html } : {}), date: new Date(alertTimeMs({ time: s.lastTime })) };
}
