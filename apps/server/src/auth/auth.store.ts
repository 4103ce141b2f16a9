/**
 * Login state behind one port: sessions, API tokens, login failure counters and the generated admin's hash.
 * Redis (shared by every replica, survives restarts) and the memory twin pass one contract suite
 * (auth-store.contract.ts). Secrets are stored only as digests: a session under the SHA-256 of its id, a token
 * with the SHA-256 of its secret, the admin password as a bcrypt hash.
 */

export type Scope = 'read' | 'admin';

export interface Session {
  user: string;
  scope: Scope;
  createdAt: number;
  expiresAt: number;
}

export interface StoredToken {
  id: string;
  name: string;
  scope: Scope;
  /** SHA-256 (hex) of the token's secret part. */
  secretDigest: string;
  createdAt: number;
  createdBy: string;
}

export interface FailureCount {
  count: number;
  /** Until the window that holds them ends; 0 when there are none. */
  retryAfterMs: number;
}

export interface AuthStore {
  saveSession(digest: string, session: Session): Promise<void>;
  /** Undefined when unknown or expired. */
  getSession(digest: string): Promise<Session | undefined>;
  deleteSession(digest: string): Promise<void>;
  saveToken(token: StoredToken): Promise<void>;
  getToken(id: string): Promise<StoredToken | undefined>;
  listTokens(): Promise<StoredToken[]>;
  /** True when it existed. */
  deleteToken(id: string): Promise<boolean>;
  failures(key: string): Promise<FailureCount>;
  /** Counts one failed login under `key`; the window starts with the first failure. */
  recordFailure(key: string, windowMs: number): Promise<void>;
  /** Stores the generated admin's hash unless one is stored already; returns the one in force. */
  initAdminHash(hash: string): Promise<string>;
  close(): Promise<void>;
}

export const AUTH_STORE = Symbol('AuthStore');
