import type { FieldIssue } from '@harrier/alert';

/** A request whose alert or query fails validation; answered with 400 and the issues. */
export class ValidationFailedError extends Error {
  override readonly name = 'ValidationFailedError';
  constructor(
    readonly subject: 'alert' | 'query' | 'subscription',
    readonly issues: FieldIssue[],
  ) {
    super(`Invalid ${subject}: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
  }
}

export class AlertNotFoundError extends Error {
  override readonly name = 'AlertNotFoundError';
  constructor(readonly id: string) {
    super(`No alert with id ${id}`);
  }
}
