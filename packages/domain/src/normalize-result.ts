/**
 * The outcome of normalizing a recipient. A failure carries a short human reason because the
 * API reports invalid recipients back to the caller instead of silently dropping them.
 */
export type NormalizeResult =
  { ok: true; identifier: string; country?: string } | { ok: false; reason: string };

export function invalid(reason: string): NormalizeResult {
  return { ok: false, reason };
}
