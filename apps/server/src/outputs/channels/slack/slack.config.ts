/** `slack.*`: falcosidekick's keys and defaults (compat §5), plus the common HTTP client keys. */
import { z } from 'zod';
import { configSection, httpClientKeys, httpUrl, text } from '../shared/config-fields.js';
import { TemplateError, compileMessageTemplate } from './message-template.js';

export const SLACK_OUTPUT_FORMATS = ['all', 'text', 'fields'] as const;
export type SlackOutputFormat = (typeof SLACK_OUTPUT_FORMATS)[number];

export const slackConfigSchema = configSection({
  webhookurl: httpUrl,
  channel: text(),
  username: text('Falcosidekick'),
  icon: text('https://raw.githubusercontent.com/falcosecurity/falcosidekick/master/imgs/falcosidekick_color.png'),
  footer: text('https://github.com/falcosecurity/falcosidekick'),
  outputformat: z
    .string({ error: 'must be a string' })
    .transform((value, ctx): SlackOutputFormat => {
      const lower = value.trim().toLowerCase();
      if (lower === '') return 'all';
      // falcosidekick's docs say `field`; upstream then sends neither text nor fields. We take the docs' word.
      if (lower === 'field') return 'fields';
      if ((SLACK_OUTPUT_FORMATS as readonly string[]).includes(lower)) return lower as SlackOutputFormat;
      ctx.addIssue({ code: 'custom', message: 'must be all, text or fields' });
      return z.NEVER;
    })
    .default('all'),
  messageformat: z
    .string({ error: 'must be a string' })
    .superRefine((value, ctx) => {
      try {
        compileMessageTemplate(value);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        ctx.addIssue({ code: 'custom', message: `invalid template: ${error.message}` });
      }
    })
    .default(''),
  ...httpClientKeys,
});

export type SlackConfig = z.output<typeof slackConfigSchema>;
