/** The classifier's public types, shared by classify.ts and vocabulary.ts. */

export type SmsAction = "opt_out" | "opt_in" | "help" | "ignored";
export type MatchRule = "keyword" | "keyword_qualified" | "free_text";

export interface SmsClassification {
  action: SmsAction;
  rule?: MatchRule;
  /** The matched keyword in upper case ("STOP") or the matched free-text phrase. */
  match?: string;
  /** Best guess from the match; undefined when the keyword is shared by languages (STOP). */
  language?: string;
}

export interface ClassifierOptions {
  /** Rule 3 (free-text revocations). Default true; false is strict keyword-only mode. */
  freeText?: boolean;
  /** Per-account keywords by language, added to the built-in tables. */
  extraKeywords?: {
    optOut?: Record<string, string[]>;
    optIn?: Record<string, string[]>;
    help?: Record<string, string[]>;
  };
}

export interface MessageContext {
  /** The number or short code the message was sent to. */
  to?: string;
  /** Sender or brand names a recipient may add ("STOP ACME"). */
  brandNames?: string[];
}

export type SmsClassifier = (text: string, context?: MessageContext) => SmsClassification;

export type KeywordAction = Exclude<SmsAction, "ignored">;
