/**
 * Email addresses to one comparable form: trimmed, lowercased (local part included: senders
 * and mailbox providers treat it case-insensitively in practice, and a suppression list that
 * missed "John@" after "john@" opted out would be worse than a rare false match), Unicode
 * domains as ASCII punycode. Only plain addresses are accepted: no display names, comments,
 * quoted local parts or IP literals, which never appear in a legitimate recipient list.
 */
import { toASCII } from "tr46";
import { invalid } from "./normalize-result.js";
import type { NormalizeResult } from "./normalize-result.js";

// RFC 5321 limits, in octets of the ASCII form.
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

// RFC 5322 dot-atom text, plus any non-ASCII character for internationalized local parts
// (RFC 6531); white space and controls are excluded separately.
const LOCAL_PART =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+)*$/;
const LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const WHITE_SPACE_OR_CONTROL = /[\s\p{Cc}\p{Cf}]/u;
const ALL_DIGITS = /^\d+$/;

export function normalizeEmail(input: string): NormalizeResult {
  if (typeof input !== "string") return invalid("not an email address: expected a string");
  const text = input.trim().normalize("NFC");
  if (text === "") return invalid("empty email address");
  if (WHITE_SPACE_OR_CONTROL.test(text))
    return invalid("not an email address: contains spaces or control characters");
  const at = text.lastIndexOf("@");
  if (at < 0) return invalid("not an email address: no @");
  const local = text.slice(0, at).toLowerCase();
  const domain = text.slice(at + 1);
  if (local === "") return invalid("not an email address: nothing before the @");
  if (domain === "") return invalid("not an email address: nothing after the @");
  if (local.includes("@")) return invalid("not an email address: more than one @");
  if (!LOCAL_PART.test(local))
    return invalid("not an email address: invalid characters or dots before the @");
  if (Buffer.byteLength(local, "utf8") > MAX_LOCAL_PART_LENGTH) {
    return invalid(`not an email address: more than ${MAX_LOCAL_PART_LENGTH} bytes before the @`);
  }

  const asciiDomain = toAsciiDomain(domain);
  if (typeof asciiDomain !== "string") return asciiDomain;
  const identifier = `${local}@${asciiDomain}`;
  if (Buffer.byteLength(identifier, "utf8") > MAX_ADDRESS_LENGTH) {
    return invalid(`not an email address: longer than ${MAX_ADDRESS_LENGTH} bytes`);
  }
  return { ok: true, identifier };
}

function toAsciiDomain(domain: string): string | NormalizeResult {
  if (domain.startsWith("[")) return invalid("not an email address: IP address literals are not accepted");
  // UTS #46 (case folding, full-width dots, punycode) by tr46, not node:url's domainToASCII:
  // that one changed between Node 20 and 24 (24 accepts "xn--zz"), and an identifier must be
  // the same on every supported runtime. Null for a name it cannot encode (forbidden code
  // points, a bad xn-- label, hyphens at the ends).
  const ascii = toASCII(domain, {
    checkBidi: true,
    checkHyphens: true,
    checkJoiners: true,
    useSTD3ASCIIRules: true,
    transitionalProcessing: false,
    verifyDNSLength: false,
  });
  if (!ascii) return invalid(`not an email address: invalid domain "${domain}"`);
  if (ascii.length > MAX_DOMAIN_LENGTH) return invalid("not an email address: domain too long");
  const labels = ascii.split(".");
  if (labels.length < 2) return invalid(`not an email address: domain "${domain}" has no dot`);
  for (const label of labels) {
    if (label.length === 0 || label.length > MAX_LABEL_LENGTH || !LABEL.test(label)) {
      return invalid(`not an email address: invalid domain "${domain}"`);
    }
  }
  if (ALL_DIGITS.test(labels[labels.length - 1] ?? "")) {
    return invalid(`not an email address: domain "${domain}" ends in a number`);
  }
  return ascii;
}
