/** Typed events raised by the auth module; consumers subscribe with `@OnEvent(SESSION_ENDED)`. */
export const SESSION_ENDED = 'auth.session.ended';

/** A session was logged out; `digest` is the SHA-256 of its id, as the store keys it. */
export class SessionEnded {
  constructor(readonly digest: string) {}
}

export const TOKEN_REVOKED = 'auth.token.revoked';

/** An API token was revoked; `id` is its public id (the `hrr_<id>_` part). */
export class TokenRevoked {
  constructor(readonly id: string) {}
}
