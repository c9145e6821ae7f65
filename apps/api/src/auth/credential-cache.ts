import type { Credential } from '../types.js';

/** What a lookup of a presented credential found: the entry to keep, and when the credential expires. */
export interface Looked {
  merchantId: string;
  credential: Credential;
  expiresAt: Date | null;
}

interface Entry {
  merchantId: string;
  credential: Credential;
  /** When this cache entry stops being trusted (ms). */
  until: number;
}

/**
 * Successful credential lookups, kept for a few seconds so a client's burst of requests costs
 * one database round trip, not one per request. A revocation, roll or sign-out through this
 * process evicts the entry at once; other replicas notice within `ttlMs` (documented in the
 * README next to key rolling). Entries never outlive the credential's own expiry.
 *
 * Concurrent requests with the same uncached credential share one lookup (`lookUp`): when an
 * entry expires under load, every request in flight with that key missed it at once, and each
 * went to the database (bench/README.md, "API: where the time goes").
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();
  /** Lookups in flight, by token hash: at most one per credential, gone once settled. */
  private readonly loading = new Map<string, Promise<Looked>>();
  /** Bumped by every eviction: a lookup that began before one is neither joined nor kept. */
  private generation = 0;

  constructor(
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(tokenHash: string): Entry | undefined {
    const entry = this.entries.get(tokenHash);
    if (entry && entry.until > this.now()) return entry;
    if (entry) this.entries.delete(tokenHash);
    return undefined;
  }

  set(tokenHash: string, merchantId: string, credential: Credential, expiresAt: Date | null): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size > 10_000) this.entries.clear();
    const until = Math.min(
      this.now() + this.ttlMs,
      expiresAt ? expiresAt.getTime() : Number.POSITIVE_INFINITY,
    );
    this.entries.set(tokenHash, { merchantId, credential, until });
  }

  /**
   * The lookup in flight for this token hash, or `load()` started (and its result kept for
   * `ttlMs`). A refusal is shared too: the same presented credential gets the same answer.
   */
  lookUp(tokenHash: string, load: () => Promise<Looked>): Promise<Looked> {
    const pending = this.loading.get(tokenHash);
    if (pending) return pending;
    const generation = this.generation;
    const settled = () => {
      if (this.loading.get(tokenHash) === looking) this.loading.delete(tokenHash);
    };
    const looking = load().then(
      (looked) => {
        settled();
        if (generation === this.generation) {
          this.set(tokenHash, looked.merchantId, looked.credential, looked.expiresAt);
        }
        return looked;
      },
      (error: unknown) => {
        settled();
        throw error;
      },
    );
    this.loading.set(tokenHash, looking);
    return looking;
  }

  /**
   * Evicts every entry of this credential (by API-key or session id). Lookups in flight are
   * keyed by token hash, not credential id, so all of them are forgotten: requests that arrive
   * after this look the credential up afresh.
   */
  evict(credentialId: string): void {
    this.generation += 1;
    this.loading.clear();
    for (const [hash, entry] of this.entries) {
      if (entry.credential.id === credentialId) this.entries.delete(hash);
    }
  }
}
