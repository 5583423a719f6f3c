/**
 * Countries where the opt-out footer of a marketing SMS is a keyword instruction instead of a
 * link: the operators run a shared opt-out short code, and recipients there expect it. France:
 * "STOP au 36111" — the operators' free opt-out number, written in the French operators'
 * code of conduct for SMS marketing (the mention "STOP" + short number). Countries without a
 * flow get a per-recipient opt-out link.
 *
 * Only flows we are sure of are built in; an account adds or replaces flows for its own
 * traffic (settings.keywordFlows: {"<CC>": {keyword, number?, template}}, e.g. US
 * {"keyword": "STOP", "template": "Reply {keyword} to opt out"}), or switches a
 * built-in one off with `null` or `false` (that country then gets links).
 */

export interface KeywordFlow {
  /** What the recipient replies, e.g. "STOP". */
  keyword: string;
  /** Where to send it: a short code or a long number; none for "Reply STOP" (to the sender). */
  number?: string;
  /** The footer text; `{keyword}` and `{number}` are replaced. */
  template: string;
}

export const DEFAULT_KEYWORD_FLOWS: Readonly<Record<string, Readonly<KeywordFlow>>> = Object.freeze({
  FR: Object.freeze({ keyword: "STOP", number: "36111", template: "STOP au {number}" }),
});

/**
 * Account overrides: a flow per country, or null (or false: a JSON merge patch cannot store a
 * null) to switch the built-in flow of that country off.
 */
export type KeywordFlowOverrides = Readonly<Record<string, KeywordFlow | null | false | undefined>>;

/** The flow for a recipient's country (ISO 3166-1 alpha-2), the account's override first; undefined: use a link. */
export function keywordFlowFor(
  country: string | undefined,
  overrides?: KeywordFlowOverrides,
): KeywordFlow | undefined {
  if (!country) return undefined;
  const cc = country.toUpperCase();
  const override = overrides && Object.hasOwn(overrides, cc) ? overrides[cc] : undefined;
  if (override === null || override === false) return undefined;
  if (isKeywordFlow(override)) return override;
  return Object.hasOwn(DEFAULT_KEYWORD_FLOWS, cc) ? DEFAULT_KEYWORD_FLOWS[cc] : undefined;
}

export function renderKeywordFlow(flow: KeywordFlow): string {
  return flow.template.replaceAll("{keyword}", flow.keyword).replaceAll("{number}", flow.number ?? "");
}

/** Account settings are JSON typed by hand: a malformed override is ignored (the built-in flow applies) rather than sent. */
export function isKeywordFlow(value: unknown): value is KeywordFlow {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const number = v.number === undefined || (typeof v.number === "string" && v.number.length > 0);
  return (
    typeof v.keyword === "string" &&
    v.keyword.length > 0 &&
    number &&
    typeof v.template === "string" &&
    v.template.length > 0 &&
    // A template that names the number needs one.
    (v.number !== undefined || !v.template.includes("{number}"))
  );
}
