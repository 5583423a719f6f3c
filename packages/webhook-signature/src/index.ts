export {
  signWebhook,
  verifyWebhookSignature,
  parseSignatureHeader,
  SIGNATURE_HEADER,
  EVENT_ID_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
} from "./signature.js";
export type { ParsedSignature, VerifyOptions } from "./signature.js";
