import type { CheckReply } from "@optout/schemas";

/**
 * The compact form of a check reply (`"compact": true`): results in the request's order without
 * `recipient`, and without `identifier` where it is the recipient as sent (already normalized).
 * 10,000 results for 320-character addresses take ~7 MB in full and ~0.5 MB compact.
 */
export function compactCheckReply(reply: Record<string, unknown>): Record<string, unknown> {
  const { results } = reply as unknown as CheckReply;
  return {
    compact: true,
    results: results.map(({ recipient, identifier, ...rest }) =>
      identifier === undefined || identifier === recipient ? rest : { identifier, ...rest },
    ),
  };
}
