/**
 * The rule tester: audit events pasted in the dashboard run through the rules in force, and the answer says which
 * rules fire and with what output. Nothing is stored, streamed or delivered.
 */
import type { RuleTestEventResult, RuleTestResult } from '@harrier/alert';
import { parseAuditInput } from '@harrier/engine';
import { Inject, Injectable } from '@nestjs/common';
import { ValidationFailedError } from '../alerts/alerts.errors.js';
import { NoAuditEventsError, RulesService } from './rules.service.js';

/** A pasted test, not a feed: kept small so one request cannot tie up the engine. */
export const MAX_TEST_CHARS = 1_000_000;
export const MAX_TEST_EVENTS = 500;

/** `{ "event": text or JSON }`: the text as kube-apiserver would send it (Event, EventList, array or JSON lines). */
function eventText(body: unknown): string {
  const event = (body as { event?: unknown } | null)?.event;
  const text = typeof event === 'string' ? event : event !== undefined && event !== null ? JSON.stringify(event) : '';
  if (text.trim() === '') {
    throw new ValidationFailedError('query', [
      { field: 'event', message: 'required: an audit event as JSON text or a JSON value' },
    ]);
  }
  if (text.length > MAX_TEST_CHARS) {
    throw new ValidationFailedError('query', [
      { field: 'event', message: `must be at most ${MAX_TEST_CHARS} characters` },
    ]);
  }
  return text;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function describeEvent(payload: unknown): Pick<RuleTestEventResult, 'auditId' | 'verb' | 'resource'> {
  const event = (payload ?? {}) as Record<string, unknown>;
  const ref = (event['objectRef'] ?? {}) as Record<string, unknown>;
  const resource = text(ref['resource']);
  const subresource = text(ref['subresource']);
  const auditId = text(event['auditID']);
  const verb = text(event['verb']);
  return {
    ...(auditId ? { auditId } : {}),
    ...(verb ? { verb } : {}),
    ...(resource ? { resource: subresource ? `${resource}/${subresource}` : resource } : {}),
  };
}

@Injectable()
export class RuleTester {
  constructor(@Inject(RulesService) private readonly rules: RulesService) {}

  test(body: unknown): RuleTestResult {
    const { events, problems } = parseAuditInput(eventText(body));
    if (events.length === 0) throw new NoAuditEventsError(problems);
    if (events.length > MAX_TEST_EVENTS) {
      throw new ValidationFailedError('query', [
        { field: 'event', message: `holds ${events.length} audit events; test at most ${MAX_TEST_EVENTS} at once` },
      ]);
    }
    const ruleSet = this.rules.ruleSetInForce();
    return {
      ruleMatching: ruleSet.ruleMatching,
      events: events.map((event, index) => ({
        index,
        ...describeEvent(event.payload),
        alerts: ruleSet.evaluate(event, 'k8s_audit'),
      })),
      skipped: problems.slice(0, 100),
    };
  }
}
