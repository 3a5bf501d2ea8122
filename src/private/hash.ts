import { createHash } from 'crypto';

/** Stable 8-hex-digit digest of a string (first 32 bits of SHA-256), for deterministic name suffixes. */
export function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}
