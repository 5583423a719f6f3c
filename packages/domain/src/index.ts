/**
 * @optout/domain: the pure rules of the product. It knows nothing of NATS, Postgres, Redis or
 * HTTP; services call these functions from their handlers.
 */
export { CHANNELS, CHANNEL_NAMES, isChannel } from "./channels.js";
export { normalizePhone, normalizePhones } from "./phone.js";
export { normalizeEmail } from "./email.js";
export { normalizeIdentifier } from "./identifier.js";
export { resolveScope, parseScope } from "./scope.js";
export {
  createClassifier,
  classifySms,
  classificationReason,
  accountClassifierOptions,
} from "./classifier/classify.js";
export type { AccountClassifierSettings } from "./classifier/classify.js";
export { normalizeText } from "./classifier/normalize-text.js";
export {
  OPT_OUT_KEYWORDS,
  OPT_IN_KEYWORDS,
  HELP_KEYWORDS,
  QUALIFIERS,
  SHORT_CODE_CONNECTORS,
} from "./classifier/keywords.js";
export { MAX_FREE_TEXT_LENGTH } from "./classifier/free-text.js";
export { isAutomaticReply } from "./email-auto-reply.js";
export { createEmailToken, verifyEmailToken } from "./email-token.js";
export { DEFAULT_KEYWORD_FLOWS, keywordFlowFor, renderKeywordFlow, isKeywordFlow } from "./keyword-flows.js";
export { languageForCountry } from "./languages.js";
export { DEFAULT_TAG_TEMPLATES, DEFAULT_TAG_LANGUAGE, linkTagText, planTag } from "./tag-text.js";
export { generateLinkTokens, isLinkToken, LINK_TOKEN_LENGTH, LINK_TOKEN_PATTERN } from "./link-token.js";
export { maskPhoneNumber } from "./mask.js";
export { truncateIp } from "./ip.js";
export {
  erasedIdentifier,
  isErasedIdentifier,
  ERASED_IDENTIFIER_PREFIX,
  ERASED_IDENTIFIER_PATTERN,
  ERASURES_FILTER_MARKER,
  withErasureMarker,
} from "./erasure-hash.js";
export { findTopic, topicName, unsubscribeTopic } from "./topics.js";

export type { Channel, ChannelDefinition } from "./channels.js";
export type { NormalizeResult } from "./normalize-result.js";
export type { ListScope, ScopedAccount, ParsedScope } from "./scope.js";
export type {
  SmsAction,
  MatchRule,
  SmsClassification,
  ClassifierOptions,
  MessageContext,
  SmsClassifier,
} from "./classifier/classify.js";
export type { KeywordTable } from "./classifier/keywords.js";
export type { InboundEmailMeta } from "./email-auto-reply.js";
export type { EmailTokenClaims } from "./email-token.js";
export type { KeywordFlow, KeywordFlowOverrides } from "./keyword-flows.js";
export type { TagPlan, TagTemplateOverrides } from "./tag-text.js";
export type { Topic } from "./topics.js";
