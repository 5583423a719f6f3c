export { classifyAddress, isPublicAddress } from "./address.js";
export type { AddressClass } from "./address.js";
export {
  resolveTarget,
  parseHttpUrl,
  pinnedLookup,
  checkWebhookUrl,
  systemResolver,
  UrlRefusedError,
} from "./target.js";
export type { RefusalReason, Resolver, ResolveOptions, ResolvedTarget } from "./target.js";
