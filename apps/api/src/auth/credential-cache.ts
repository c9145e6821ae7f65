import type { Credential } from '../types.js';

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
 */
export class CredentialCache {
  private readonly entries = new Map<string, Entry>();

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

  /** Evicts every entry of this credential (by API-key or session id). */
  evict(credentialId: string): void {
    for (const [hash, entry] of this.entries) {
      if (entry.credential.id === credentialId) this.entries.delete(hash);
    }
  }
}
