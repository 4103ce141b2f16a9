/** Typed events raised by the auth module; consumers subscribe with `@OnEvent(SESSION_ENDED)`. */
export const SESSION_ENDED = 'auth.session.ended';

/** A session was logged out; `digest` is the SHA-256 of its id, as the store keys it. */
export class SessionEnded {
  constructor(readonly digest: string) {}
}
