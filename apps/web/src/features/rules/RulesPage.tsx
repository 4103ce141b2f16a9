import { ErrorMessage } from '../../components/ErrorMessage';
import { DiagnosticList } from './components/DiagnosticList';
import { RulesTable } from './components/RulesTable';
import { RuleTester } from './components/RuleTester';
import { SourceLocation } from './components/SourceLocation';
import { useReloadRules, useRules } from './hooks/use-rules';
import './rules.css';

/** The rules in force: files, load problems with file:line, every rule, and a tester for pasted audit events. */
export function RulesPage() {
  const query = useRules();
  const reload = useReloadRules();
  const status = query.data;

  return (
    <div className="rules-page">
      <div className="outputs-toolbar">
        <h1>Rules</h1>
        <button
          type="button"
          className="button"
          data-testid="rules-reload"
          disabled={reload.isPending}
          onClick={() => reload.mutate()}
        >
          {reload.isPending ? 'Reloading…' : 'Reload rules files'}
        </button>
      </div>
      {query.isError && <ErrorMessage title="Could not load the rules" error={query.error} />}
      {query.isPending && (
        <p className="page-status" role="status">
          Loading rules…
        </p>
      )}
      {status && (
        <>
          <section className="rules-section" aria-labelledby="rules-files-title">
            <h2 id="rules-files-title">Files</h2>
            <ul className="rules-files" data-testid="rules-files">
              {status.files.map((file) => (
                <li key={file}>
                  <code title={file}>{file}</code>
                </li>
              ))}
            </ul>
            <p className="muted">
              {status.rules.length} rules loaded at <time dateTime={status.loadedAt}>{status.loadedAt}</time>.
            </p>
            {status.failedReload && (
              <div className="error-message" role="alert">
                <p>
                  The reload at <time dateTime={status.failedReload.at}>{status.failedReload.at}</time> failed; the
                  rules above stay in force.
                </p>
                <DiagnosticList diagnostics={status.failedReload.errors} severity="error" />
              </div>
            )}
            {status.warnings.length > 0 && (
              <details className="rules-warnings">
                <summary>
                  {status.warnings.length} load warning{status.warnings.length === 1 ? '' : 's'} (first at{' '}
                  <SourceLocation file={status.warnings[0]!.file} line={status.warnings[0]!.line} />)
                </summary>
                <DiagnosticList diagnostics={status.warnings} severity="warning" />
              </details>
            )}
          </section>
          <section className="rules-section" aria-labelledby="rules-list-title">
            <h2 id="rules-list-title">Rules</h2>
            <RulesTable rules={status.rules} />
          </section>
        </>
      )}
      <RuleTester />
    </div>
  );
}
