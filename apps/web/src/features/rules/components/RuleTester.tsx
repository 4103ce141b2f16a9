import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { PriorityBadge } from '../../alerts/components/PriorityBadge';
import type { RuleTestResult } from '../api/rules-api';
import { useRuleTest } from '../hooks/use-rules';

/** A pod mounting the Docker socket: fires the default sensitive-mount rule, to show what an answer looks like. */
export const EXAMPLE_EVENT = JSON.stringify(
  {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: 'example-1',
    stage: 'ResponseComplete',
    verb: 'create',
    user: { username: 'alice@example.com' },
    objectRef: { resource: 'pods', namespace: 'payments', name: 'sock-reader', apiVersion: 'v1' },
    responseStatus: { code: 201 },
    requestObject: {
      kind: 'Pod',
      spec: {
        containers: [{ name: 'main', image: 'ubuntu:22.04' }],
        volumes: [{ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }],
      },
    },
    stageTimestamp: '2026-01-01T12:00:00.000000Z',
  },
  null,
  2,
);

/** Paste audit events (an Event, an EventList, an array or JSON lines); see which rules fire and their output. */
export function RuleTester() {
  const [text, setText] = useState('');
  const test = useRuleTest();
  const inputId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    test.mutate(text);
  };

  return (
    <section className="rules-section" aria-labelledby="rule-tester-title">
      <h2 id="rule-tester-title">Rule tester</h2>
      <form className="rule-tester" onSubmit={submit}>
        <label htmlFor={inputId}>
          Kubernetes audit event JSON (an Event, an EventList, an array or JSON lines). Nothing is stored or sent.
        </label>
        <textarea
          id={inputId}
          data-testid="rule-test-input"
          rows={10}
          spellCheck={false}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <div className="rule-tester-actions">
          <button
            type="submit"
            className="button button-primary"
            data-testid="rule-test-run"
            disabled={text.trim() === '' || test.isPending}
          >
            {test.isPending ? 'Testing…' : 'Test against the rules'}
          </button>
          <button type="button" className="button" onClick={() => setText(EXAMPLE_EVENT)}>
            Insert an example
          </button>
        </div>
      </form>
      {test.isError && <ErrorMessage title="The event could not be tested" error={test.error} />}
      {test.data && <RuleTestResults result={test.data} />}
    </section>
  );
}

export function RuleTestResults({ result }: { result: RuleTestResult }) {
  return (
    <div className="rule-test-results" data-testid="rule-test-results" role="status">
      <p className="muted">
        {result.events.length} event{result.events.length === 1 ? '' : 's'} tested; rule matching{' '}
        <code>{result.ruleMatching}</code>
        {result.ruleMatching === 'first' ? ' (the first rule that matches an event wins)' : ''}.
      </p>
      <ol className="rule-test-events">
        {result.events.map((event) => (
          <li key={event.index} data-testid="rule-test-event">
            <p className="rule-test-event-title">
              Event {event.index + 1}
              {event.verb && event.resource ? `: ${event.verb} ${event.resource}` : ''}
              {event.auditId && <span className="muted"> ({event.auditId})</span>}
            </p>
            {event.alerts.length === 0 ? (
              <p className="muted">No rule fires.</p>
            ) : (
              <ul className="rule-test-alerts">
                {event.alerts.map((alert) => (
                  <li key={alert.rule} data-testid="rule-test-alert" data-rule={alert.rule}>
                    <PriorityBadge priority={alert.priority} /> <strong>{alert.rule}</strong>
                    <pre className="code-block">{alert.output}</pre>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {result.skipped.length > 0 && (
        <>
          <h3>Skipped</h3>
          <ul>
            {result.skipped.map((problem, index) => (
              <li key={index}>
                {problem.line !== undefined && `line ${problem.line}: `}
                {problem.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
