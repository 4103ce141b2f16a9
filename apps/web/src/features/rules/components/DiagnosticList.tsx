import type { RuleDiagnostic } from '@harrier/alert';
import { SourceLocation } from './SourceLocation';

interface DiagnosticListProps {
  diagnostics: readonly RuleDiagnostic[];
  severity: 'error' | 'warning';
}

/** Load errors or warnings as a compiler prints them: where, which code, what, and the line with a caret. */
export function DiagnosticList({ diagnostics, severity }: DiagnosticListProps) {
  return (
    <ul className="diagnostic-list" data-testid={`rules-${severity}s`}>
      {diagnostics.map((diagnostic, index) => (
        <li key={index} className="diagnostic" data-severity={severity}>
          <p>
            <span className="diagnostic-severity">{severity}</span>{' '}
            <SourceLocation file={diagnostic.file} line={diagnostic.line} column={diagnostic.column} />{' '}
            <code>{diagnostic.code}</code> {diagnostic.item && <strong>{diagnostic.item}: </strong>}
            {diagnostic.message}
          </p>
          {diagnostic.excerpt !== '' && <pre className="code-block">{diagnostic.excerpt}</pre>}
        </li>
      ))}
    </ul>
  );
}
