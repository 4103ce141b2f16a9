/** Auth's errors; HttpExceptionFilter turns them into answers. */

/** Wrong name or password (which one is not said). */
export class LoginFailedError extends Error {
  override readonly name = 'LoginFailedError';
  constructor() {
    super('Wrong user name or password');
  }
}

export class TooManyLoginAttemptsError extends Error {
  override readonly name = 'TooManyLoginAttemptsError';
  constructor(readonly retryAfterMs: number) {
    super(`Too many failed logins; try again in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

export class UnknownTokenError extends Error {
  override readonly name = 'UnknownTokenError';
  constructor(id: string) {
    super(`No API token with id "${id}"`);
  }
}

/** The login state (Redis) cannot be read or written: nobody can be authenticated, so the API answers 503. */
export class AuthUnavailableError extends Error {
  override readonly name = 'AuthUnavailableError';
  constructor(cause: unknown) {
    super(`Login state unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
