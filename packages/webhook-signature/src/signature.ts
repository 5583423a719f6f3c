import { createHmac, timingSafeEqual } from "node:crypto";

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export const SIGNATURE_HEADER = "Optout-Signature";
/** Header carrying the event id: receivers de-duplicate on it (delivery is at least once). */
export const EVENT_ID_HEADER = "Optout-Event-Id";
/** How far a signature's timestamp may be from the receiver's clock, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

function hmacHex(secret: string, timestampSeconds: number, rawBody: string | Uint8Array): string {
  const body = typeof rawBody === "string" ? encoder.encode(rawBody) : rawBody;
  return createHmac("sha256", secret).update(`${timestampSeconds}.`).update(body).digest("hex");
}

/** The Optout-Signature header value for a body sent at `timestampSeconds` (unix seconds). */
export function signWebhook(secret: string, rawBody: string | Uint8Array, timestampSeconds: number): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError(
      `timestampSeconds must be a non-negative integer (unix seconds), got ${timestampSeconds}`,
    );
  }
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, rawBody)}`;
}

export interface ParsedSignature {
  timestamp: number;
  /** Every v1 value (more than one while a secret is being rotated). */
  signatures: string[];
}

/** Parse `t=...,v1=...[,v1=...]`; null when malformed. Unknown schemes are ignored. */
export function parseSignatureHeader(header: string): ParsedSignature | null {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      if (!/^\d{1,15}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === "v1") {
      if (/^[0-9a-f]{64}$/.test(value)) signatures.push(value);
    }
  }
  return timestamp === undefined || signatures.length === 0 ? null : { timestamp, signatures };
}

export interface VerifyOptions {
  /** Largest accepted distance between the header's timestamp and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Now, in unix seconds (default: the clock). */
  now?: number;
}

/**
 * True when the header signs exactly this raw body with this secret and its timestamp is
 * within the tolerance (replay protection). Verify the raw bytes as received, before any JSON
 * parsing. Compares in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  options: VerifyOptions = {},
): boolean {
  if (!header) return false;
  const parsed = parseSignatureHeader(header);
  if (!parsed) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - parsed.timestamp) > tolerance) return false;
  const expected = Buffer.from(hmacHex(secret, parsed.timestamp, rawBody), "hex");
  let ok = false;
  for (const candidate of parsed.signatures) {
    // Lengths are equal (64 hex chars checked by the parser): timingSafeEqual cannot throw.
    if (timingSafeEqual(expected, Buffer.from(candidate, "hex"))) ok = true;
  }
  return ok;
}
