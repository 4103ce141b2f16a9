import { ApiError } from '../lib/api-client';

interface ErrorMessageProps {
  title: string;
  error: Error;
}

/** An error as text; a validation error lists its field issues, which its message only repeats. */
export function ErrorMessage({ title, error }: ErrorMessageProps) {
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div className="error-message" role="alert">
      <strong>{title}:</strong> {issues.length === 0 && error.message}
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => (
            <li key={`${issue.field}:${issue.message}`}>
              <code>{issue.field}</code> {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
