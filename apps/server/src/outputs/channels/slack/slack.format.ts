/**
 * Slack incoming-webhook payloads: falcosidekick's attachment layout for one alert (compat §5), a digest for
 * several. Every piece of alert text is escaped (`&`, `<`, `>`), so an alert cannot mention `<!channel>`,
 * `<@U…>` or smuggle a link; operator-written text (footer, the template's own text) is sent as written.
 *
 * Deliberate differences from falcosidekick:
 * - non-string output fields (numbers, booleans, objects, null) are shown as compact JSON, not dropped;
 * - `outputformat` does exactly what it says: `text` sends the text without fields (no `"fields": null`),
 *   `fields` the fields without text.
 */
import type { Alert, Priority } from '@harrier/alert';
import { formatCounts, summarizeAlerts, fieldText, type DigestSummary } from '../shared/digest.js';
import { goTimeString } from '../shared/go-time.js';
import type { SlackConfig } from './slack.config.js';
import type { MessageTemplate } from './message-template.js';

export const SLACK_COLORS: Record<Priority, string> = {
  Emergency: '#e20b0b',
  Alert: '#ff5400',
  Critical: '#ff5400',
  Error: '#e20b0b',
  Warning: '#ffc700',
  Notice: '#5bffb5',
  Informational: '#68c2ff',
  Debug: '#ccfff2',
};

/** Slack's three control characters (api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface SlackField {
  title: string;
  value: string;
  short: boolean;
}

export interface SlackAttachment {
  fallback: string;
  color: string;
  text?: string;
  fields?: SlackField[];
  footer?: string;
}

export interface SlackPayload {
  text?: string;
  username: string;
  icon_url: string;
  channel?: string;
  attachments: SlackAttachment[];
}

/** falcosidekick marks a field `short` (two per row) when its value has fewer than 36 characters. */
function field(title: string, value: string, short = value.length < 36): SlackField {
  return { title: escapeSlack(title), value: escapeSlack(value), short };
}

function alertFields(alert: Alert): SlackField[] {
  const fields = [field('rule', alert.rule, true), field('priority', alert.priority, true)];
  fields.push(field('source', alert.source, true));
  if (alert.hostname !== '') fields.push(field('hostname', alert.hostname, true));
  if (alert.tags.length > 0) fields.push(field('tags', [...alert.tags].sort().join(', '), true));
  for (const key of Object.keys(alert.output_fields).sort()) {
    fields.push(field(key, fieldText(alert.output_fields[key])));
  }
  fields.push(field('time', goTimeString(alert.time), false));
  return fields;
}

type PayloadHead = Pick<SlackPayload, 'username' | 'icon_url' | 'channel'>;

function head(config: SlackConfig): PayloadHead {
  return {
    username: config.username,
    icon_url: config.icon,
    ...(config.channel !== '' ? { channel: config.channel } : {}),
  };
}

export function slackAlertPayload(
  alert: Alert,
  config: SlackConfig,
  template: MessageTemplate | undefined,
): SlackPayload {
  const text = template?.render(alert, escapeSlack) ?? '';
  const showText = config.outputformat !== 'fields';
  const showFields = config.outputformat !== 'text';
  const attachment: SlackAttachment = {
    fallback: escapeSlack(alert.output),
    color: SLACK_COLORS[alert.priority],
    ...(showText && alert.output !== '' ? { text: escapeSlack(alert.output) } : {}),
    ...(showFields ? { fields: alertFields(alert) } : {}),
    ...(showFields && config.footer !== '' ? { footer: config.footer } : {}),
  };
  return { ...(text !== '' ? { text } : {}), ...head(config), attachments: [attachment] };
}

export const DIGEST_TOP_RULES = 10;
const DIGEST_TOP_PLACES = 5;

function ruleLines(summary: DigestSummary): string {
  const lines = summary.rules.slice(0, DIGEST_TOP_RULES).map((r) => `${r.count}× ${escapeSlack(r.name)}`);
  const rest = summary.rules.slice(DIGEST_TOP_RULES);
  if (rest.length > 0) {
    const alerts = rest.reduce((sum, r) => sum + r.count, 0);
    lines.push(`… and ${rest.length} more rules (${alerts} alerts)`);
  }
  return lines.join('\n');
}

/** One message for a burst: counts per rule, priority, namespace and pod, and a dashboard link for the range. */
export function slackDigestPayload(
  alerts: readonly Alert[],
  config: SlackConfig,
  dashboardUrl: string | undefined,
): SlackPayload {
  const summary = summarizeAlerts(alerts, dashboardUrl);
  const headline = `${summary.total} alerts from ${summary.firstTime} to ${summary.lastTime}`;
  const fields: SlackField[] = [
    { title: 'priorities', value: escapeSlack(formatCounts(summary.priorities)), short: false },
  ];
  if (summary.namespaces.length > 0) {
    fields.push({
      title: 'namespaces',
      value: escapeSlack(formatCounts(summary.namespaces, DIGEST_TOP_PLACES)),
      short: true,
    });
  }
  if (summary.pods.length > 0) {
    fields.push({ title: 'pods', value: escapeSlack(formatCounts(summary.pods, DIGEST_TOP_PLACES)), short: true });
  }
  if (summary.dashboardLink !== undefined) {
    fields.push({
      title: 'dashboard',
      value: `<${escapeSlack(summary.dashboardLink)}|Open these alerts>`,
      short: false,
    });
  }
  return {
    text: escapeSlack(headline),
    ...head(config),
    attachments: [
      {
        fallback: escapeSlack(headline),
        color: SLACK_COLORS[summary.highestPriority],
        text: ruleLines(summary),
        fields,
        ...(config.footer !== '' ? { footer: config.footer } : {}),
      },
    ],
  };
}
