/** The embedded twin of RedisAuthStore: this process only, lost on restart. */
import type { AuthStore, FailureCount, Session, StoredToken } from './auth.store.js';

export class MemoryAuthStore implements AuthStore {
  private readonly sessions = new Map<string, Session>();
  private readonly tokens = new Map<string, StoredToken>();
  private readonly failureCounts = new Map<string, { count: number; endsAt: number }>();
  private adminHash: string | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  saveSession(digest: string, session: Session): Promise<void> {
    this.sweep();
    this.sessions.set(digest, { ...session });
    return Promise.resolve();
  }

  getSession(digest: string): Promise<Session | undefined> {
    const session = this.sessions.get(digest);
    return Promise.resolve(session && session.expiresAt > this.now() ? { ...session } : undefined);
  }

  deleteSession(digest: string): Promise<void> {
    this.sessions.delete(digest);
    return Promise.resolve();
  }

  saveToken(token: StoredToken): Promise<void> {
    this.tokens.set(token.id, { ...token });
    return Promise.resolve();
  }

  getToken(id: string): Promise<StoredToken | undefined> {
    const token = this.tokens.get(id);
    return Promise.resolve(token && { ...token });
  }

  listTokens(): Promise<StoredToken[]> {
    return Promise.resolve([...this.tokens.values()].map((t) => ({ ...t })).sort((a, b) => a.createdAt - b.createdAt));
  }

  deleteToken(id: string): Promise<boolean> {
    return Promise.resolve(this.tokens.delete(id));
  }

  failures(key: string): Promise<FailureCount> {
    const entry = this.failureCounts.get(key);
    const left = entry ? entry.endsAt - this.now() : 0;
    return Promise.resolve(
      entry && left > 0 ? { count: entry.count, retryAfterMs: left } : { count: 0, retryAfterMs: 0 },
    );
  }

  recordFailure(key: string, windowMs: number): Promise<void> {
    this.sweep();
    const entry = this.failureCounts.get(key);
    if (entry && entry.endsAt > this.now()) entry.count += 1;
    else this.failureCounts.set(key, { count: 1, endsAt: this.now() + windowMs });
    return Promise.resolve();
  }

  initAdminHash(hash: string): Promise<string> {
    this.adminHash ??= hash;
    return Promise.resolve(this.adminHash);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Expired entries go when new ones arrive, so neither map grows without bound. */
  private sweep(): void {
    const now = this.now();
    for (const [digest, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(digest);
    for (const [key, entry] of this.failureCounts) if (entry.endsAt <= now) this.failureCounts.delete(key);
  }
}
