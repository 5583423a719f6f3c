/**
 * Opt-out link tokens: short (they go into every SMS), unguessable (anyone holding one can opt
 * its number out), URL-safe. 8 base62 characters = 62^8 ≈ 2.2e14 values, 47.6 bits from the
 * CSPRNG: guessing one live token among a billion takes about 200,000 tries per hit, which the
 * edge's rate limit keeps out of reach.
 */
import { randomBytes } from "node:crypto";

export const LINK_TOKEN_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const LINK_TOKEN_LENGTH = 8;
/** What the contract accepts (6-10 base62 characters): other token generators may be shorter or longer. */
export const LINK_TOKEN_PATTERN = /^[0-9A-Za-z]{6,10}$/;

// 248 = 4 * 62: bytes at or above it are dropped, so every character is equally likely
// (a plain `byte % 62` would favour the first 8 characters).
const ACCEPT_BELOW = 256 - (256 % LINK_TOKEN_ALPHABET.length);

export function isLinkToken(value: string): boolean {
  return LINK_TOKEN_PATTERN.test(value);
}

/** `count` fresh random tokens. Uniqueness is the store's job (primary key, retry on collision). */
export function generateLinkTokens(count: number, length = LINK_TOKEN_LENGTH): string[] {
  const tokens: string[] = [];
  let pool = Buffer.alloc(0);
  let at = 0;
  let current = "";
  while (tokens.length < count) {
    if (at >= pool.length) {
      // 3% of bytes are rejected: draw a little more than needed, in one call per batch.
      pool = randomBytes(Math.ceil((count - tokens.length) * length * 1.05) + 16);
      at = 0;
    }
    const byte = pool[at++]!;
    if (byte >= ACCEPT_BELOW) continue;
    current += LINK_TOKEN_ALPHABET[byte % LINK_TOKEN_ALPHABET.length];
    if (current.length === length) {
      tokens.push(current);
      current = "";
    }
  }
  return tokens;
}
