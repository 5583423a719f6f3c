/**
 * docs/asyncapi.yaml from the JSON Schemas in @optout/schemas: the document cannot drift from
 * what the workers validate. A test renders it and compares with the committed file.
 * Run: npm run docs:render
 */
import { writeFile } from "node:fs/promises";
import { ERROR_TABLE } from "@optout/core";
import { SCHEMAS } from "@optout/schemas";
import { toYaml, type Yaml } from "./lib/yaml.js";

/** What request-reply errors look like, and the codes they come with, from the error registry. */
const REPLY_ERRORS = `Errors: \`{error: {code, message}}\` with headers \`Nats-Service-Error\` (the message) and \`Nats-Service-Error-Code\` (the status): ${ERROR_TABLE.filter(
  (e) => e.surfaces.includes("nats-reply"),
)
  .map((e) => `${e.code} ${e.natsStatus}`)
  .join(", ")}. Every code and what to do about it: docs/errors.md.`;

interface ChannelSpec {
  address: string;
  description: string;
  /** Schema names in SCHEMAS; a name not (yet) there is left out. */
  messages: { name: string; schema: string; summary: string }[];
  kind: "jetstream" | "request-reply" | "core";
  publishedBy: string;
  consumedBy: string;
}

export const CHANNELS: ChannelSpec[] = [
  {
    address: "optout.inbound.sms",
    kind: "jetstream",
    description: [
      "Inbound SMS from gateways. `id` is the gateway's message id and is also sent as `Nats-Msg-Id`. Stream `OPTOUT_INBOUND_SMS`, consumer `optout-sms-inbound`. Unknown properties are accepted.",
      "Classification (spec/keywords.md): an opt-out keyword, a keyword with a qualifier, or a free-text revocation (unless the account set `freeTextOptOut: false`) records an `opt_out` event (source `sms_keyword`, reason `<rule>:<keyword or phrase>`); START-type keywords an `opt_in`; HELP-type keywords publish the account's `helpText` on `optout.outbound.sms`; anything else is acked and ignored (counted, never logged with its text).",
      "`from` is normalized to E.164 with `country`, else the account's default country. Idempotent on (list, `id`). Dead letters on `optout.dlq.inbound.sms`: INVALID_PAYLOAD, UNKNOWN_ACCOUNT, INVALID_RECIPIENT, or max deliveries exhausted.",
    ].join("\n\n"),
    publishedBy: "messaging gateways",
    consumedBy: "sms-inbound",
    messages: [{ name: "InboundSms", schema: "inboundSms", summary: "A text a recipient sent" }],
  },
  {
    address: "optout.inbound.link",
    kind: "jetstream",
    description: [
      "Opt-out link clicks: the POST of the edge's landing page (a GET never opts out: link scanners prefetch). Stream `OPTOUT_INBOUND_LINK`, consumer `optout-link-click`.",
      "`id` is a hash of the token and the form's nonce, so a double click is one event. The token resolves to (account, channel, identifier, campaign); the worker records an `opt_out` with source `link_click`, reason = the picked reason or `link_click`, evidence {token, campaignId, userAgent, ip truncated to /24 or /48}. Unknown tokens are dead-lettered with UNKNOWN_TOKEN.",
    ].join("\n\n"),
    publishedBy: "edge",
    consumedBy: "link-click",
    messages: [
      { name: "InboundLink", schema: "inboundLink", summary: "A confirmed click on an opt-out link" },
    ],
  },
  {
    address: "optout.inbound.email",
    kind: "jetstream",
    description: [
      "Email unsubscribes: RFC 8058 one-click POSTs and link confirmations from the edge, and replies to the List-Unsubscribe mailto address from a mail gateway. Send `id` as `Nats-Msg-Id`. Stream `OPTOUT_INBOUND_EMAIL`, consumer `optout-email-unsubscribe`.",
      "Every method records an `opt_out` (never an opt-in; a mailto body is not interpreted), source `email_one_click`, `email_link` or `email_mailto`, reason = `reason` or the method. A mailto whose subject carries `unsubscribe-<token>` with a valid signature uses the token's account, address and list (the reply may come from another address). A mailto that is an automatic reply (`autoSubmitted` other than `no`, or an out-of-office subject in any supported language) is acked and ignored. The address is normalized (lower case, IDN domain in punycode). Dead letters: INVALID_PAYLOAD, UNKNOWN_ACCOUNT, INVALID_RECIPIENT.",
      "Topics (docs/contract-notes/topics.md): when the account defines `topics` in its settings, an unsubscribe about one of them opts out of that topic only and its event carries `topic`. Which topic: none when `all` is true (the preference page's \"unsubscribe from all\"), else `topic` (the page's topic button), else `listId`, each only if it is one of the account's topic ids. Anything else (no listId, a List-Id that is not a topic id, a topic since removed) opts out of the whole channel, as without topics.",
    ].join("\n\n"),
    publishedBy: "edge, mail gateways",
    consumedBy: "email-unsubscribe",
    messages: [{ name: "InboundEmail", schema: "inboundEmail", summary: "An email unsubscribe" }],
  },
  {
    address: "optout.events.{channel}.{action}",
    kind: "jetstream",
    description:
      "The change feed: one message per state change (`channel`: sms|email, `action`: opt_out|opt_in): a first opt-out, an opt-in after an opt-out, an opt-out after an opt-in. A repeated STOP from someone already opted out (or a repeated START) is kept in the history as evidence but changes nothing, so it is announced neither here nor by webhook; nor is an opt-out carried to an account's new list when its list scope changes (source `scope_change`: the recipient was suppressed before and after). `Nats-Msg-Id` is `event:<eventId>`, so a redelivered inbound message never duplicates it. An event about one of the account's topics carries `topic` and changes that topic's state only (a first topic opt-out is announced even when the channel is already opted out); without `topic` it is the whole channel. Stream `OPTOUT_EVENTS`.",
    publishedBy: "recording workers (sms-inbound, link-click, email-unsubscribe, api)",
    consumedBy: "anyone (ordered consumers, analytics, CRM sync)",
    messages: [{ name: "ChangeEvent", schema: "changeEvent", summary: "An opt-out or opt-in was recorded" }],
  },
  {
    address: "optout.outbound.webhook",
    kind: "jetstream",
    description: [
      "One delivery job per recorded event of an account that has `webhook: {url, secret}`; `Nats-Msg-Id` is `webhook:<eventId>`. Stream `OPTOUT_OUTBOUND`, consumer `optout-webhook-dispatch`.",
      'Delivery: a `POST` of the change-feed event as JSON to the account\'s current webhook URL with `Optout-Event-Id` and `Optout-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (verify with @optout/webhook-signature). Any 2xx is delivered; 408, 429, 5xx, timeouts and connection errors are retried with exponential backoff (Retry-After honoured) and dead-lettered after WEBHOOK_MAX_ATTEMPTS; other 4xx are dead-lettered at once. Order per (account, channel, identifier) is kept: a job waits while an earlier one of the same identifier is retried. URLs on loopback, private, link-local or other non-public addresses are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, and the connection goes to the checked address. Delivery is at least once: receivers de-duplicate on Optout-Event-Id.',
    ].join("\n\n"),
    publishedBy: "recording workers",
    consumedBy: "webhook-dispatch",
    messages: [
      {
        name: "OutboundWebhook",
        schema: "outboundWebhook",
        summary: "Deliver this event to the account's webhook",
      },
    ],
  },
  {
    address: "optout.outbound.sms",
    kind: "jetstream",
    description: [
      "SMS for the gateway to send; de-duplicate on `id` (also the `Nats-Msg-Id`). Never checked against the suppression list: the opt-out a confirmation confirms must not block it. Stream `OPTOUT_OUTBOUND`.",
      "`kind: help`: the account's `helpText` after a HELP keyword, id `help:<inbound id>`. `kind: confirmation`: after a STOP on an account with `confirmationSms.enabled`, id `confirm:<eventId>`, text in the keyword's language (else `default`); once per opt-out: a repeated STOP within `confirmationSms.windowHours` (default 24) sends nothing new; a redelivery republishes the same confirmation. After START only when the account sets `confirmationSms.optInText`.",
    ].join("\n\n"),
    publishedBy: "recording workers",
    consumedBy: "messaging gateways",
    messages: [{ name: "OutboundSms", schema: "outboundSms", summary: "An SMS to send" }],
  },
  {
    address: "optout.dlq.{rest}",
    kind: "jetstream",
    description:
      "Dead letters: the original body and headers plus `Optout-Dlq-Reason`, `Optout-Dlq-Subject`, `Optout-Dlq-Stream`, `Optout-Dlq-Stream-Seq` and `Optout-Dlq-Msg-Id` (the original's Nats-Msg-Id), for messages with invalid JSON, schema violations, unknown accounts or exhausted deliveries; the time of dead-lettering is the dead letter's stream timestamp. `rest` is the original subject without the prefix (e.g. `optout.dlq.inbound.sms`). Stream `OPTOUT_DLQ`, kept 30 days. List, show and replay them with `optout dlq` or `/v1/admin/dead-letters`; a replay publishes the body to the original subject with `Optout-Replay-Of: <dlq seq>` and Nats-Msg-Id `replay:<dlq stream>:<dlq seq>`.",
    publishedBy: "every consuming worker",
    consumedBy: "operators",
    messages: [],
  },
  {
    address: "optout.check",
    kind: "request-reply",
    description: `Is this recipient suppressed? Core NATS request-reply, queue group \`optout-suppression-check\`. 1 to 10,000 recipients; results keep the request's order. ${REPLY_ERRORS} Bypass groups: a recipient who would be opted out but is a contact of the account in any of its bypass groups (\`bypassOptOut: true\`) is answered \`bypass_group\`, not suppressed, whether or not \`groupIds\` names that group (the same rule leaves such members in the opt-out-filtered group lists of the API). Topics: with \`topic\` (one of the account's \`topics\`, else UNKNOWN_TOPIC) a recipient is suppressed when opted out of the channel or of that topic; a result suppressed by the topic alone carries \`topic\` (a channel-wide opt-out wins and has none). Without \`topic\` only the channel counts, exactly as for an account without topics. A reply larger than the server's max_payload (e.g. 10,000 long email addresses) comes in the compact form when that fits: \`"compact": true\`, each result without \`recipient\` (the request's order) and without \`identifier\` where it equals the recipient as sent (\`expandCheckReply\` in @optout/schemas restores the full form). If even that does not fit it is refused with TOO_MANY_RECIPIENTS unless the request has \`"chunked": true\`; then it comes in the full form as several messages in order, each with \`offset\` and \`total\`.`,
    publishedBy: "campaign senders",
    consumedBy: "suppression-check",
    messages: [
      { name: "CheckRequest", schema: "checkRequest", summary: "Recipients to check" },
      { name: "CheckReply", schema: "checkReply", summary: "One result per recipient" },
      { name: "ErrorReply", schema: "errorReply", summary: "A bad request" },
    ],
  },
  {
    address: "optout.check.bulk",
    kind: "request-reply",
    description: [
      "The compact bulk check, for campaigns of millions: the same answers as `optout.check`, in binary. Queue group `optout-suppression-check`. SMS only: numbers are normalized E.164.",
      'Request: `OBQ1` (4 bytes), the header length (u32 little-endian), a JSON header `{accountId, channel: "sms", category?, groupIds?, topic?}` (`topic` as on `optout.check`: the opt-outs of that topic are suppressed too), then 1 to 100,000 numbers as u64 little-endian, each the digits of an E.164 number (+31612345678 -> 31612345678): 8 bytes a recipient, 800 KB for 100,000, under the default max_payload.',
      "Reply: `OBR1`, the header length (u32 LE), a JSON header `{count, exceptions: [[index, reason, since?], ...]}`, then a bitmap of ceil(count / 8) bytes: bit i (byte i >> 3, bit i & 7, least significant first) set = recipient i is suppressed. `exceptions` lists every result that is not a plain `not_opted_out`: `opted_out` with its `since`, `bypass_group`, `transactional`, `invalid_recipient`.",
      "Errors are JSON error replies (first byte `{`), as on `optout.check`. Clients: `encodeBulkCheckRequest` / `decodeBulkCheckReply` in @optout/schemas, and `requestBulkCheck` in @optout/bus, which splits any number of recipients into requests and joins the replies into one bitmap. A hashed-email form is not offered yet.",
    ].join("\n\n"),
    publishedBy: "campaign senders",
    consumedBy: "suppression-check",
    messages: [
      {
        name: "ErrorReply",
        schema: "errorReply",
        summary: "A bad request (the request and reply themselves are binary: see above)",
      },
    ],
  },
  {
    address: "optout.tag",
    kind: "request-reply",
    description: [
      'The opt-out footer for SMS campaigns, one per recipient in request order. Queue group `optout-tag`. Countries with a keyword flow (built in: FR "STOP au 36111"; account `settings.keywordFlows` adds, replaces or, with false or null, switches off flows; a flow without `number` is a "Reply STOP" footer) get the keyword instruction; every other recipient gets a link `<base><token>` (account `settings.linkBaseUrl`, else LINK_BASE_URL) worded in the main language of the number\'s country (`settings.tagTemplates` overrides). Tokens are 8 base62 characters from a CSPRNG, unique, and reused when the same campaign asks again. Invalid recipients get `{recipient, error: "invalid_recipient", detail}`.',
      REPLY_ERRORS,
      'Big replies: a reply larger than the server\'s max_payload (10,000 link tags are about 1.3 MB; the NATS default is 1 MiB) comes in the compact form when that fits (10,000 link tags: ~0.6 MB): `"compact": true`, each tag without `recipient` (the request\'s order) and, when every link is `linkBase` + token, without `link` (`expandTagReply` in @optout/schemas restores the full form). If even that does not fit it is refused with TOO_MANY_RECIPIENTS saying how many fit, unless the request has `"chunked": true`: then the full reply is several messages on the reply subject, in order, each with `offset` and `total`.',
    ].join("\n\n"),
    publishedBy: "campaign senders",
    consumedBy: "tag",
    messages: [
      { name: "TagRequest", schema: "tagRequest", summary: "Recipients of a campaign" },
      { name: "TagReply", schema: "tagReply", summary: "One footer per recipient" },
      { name: "ErrorReply", schema: "errorReply", summary: "A bad request" },
    ],
  },
];

export function renderAsyncApi(): string {
  const schemas = SCHEMAS as Record<string, unknown>;
  const channels: Record<string, Yaml> = {};
  const messages: Record<string, Yaml> = {};
  const operations: Record<string, Yaml> = {};
  for (const c of CHANNELS) {
    const id = c.address.replace(/^optout\./, "").replace(/[.{}]/g, (ch) => (ch === "." ? "_" : ""));
    const present = c.messages.filter((m) => schemas[m.schema] !== undefined);
    for (const m of present) {
      messages[m.name] = {
        name: m.name,
        summary: m.summary,
        contentType: "application/json",
        payload: JSON.parse(JSON.stringify(schemas[m.schema])) as Yaml,
      };
    }
    const params = [...c.address.matchAll(/\{(\w+)\}/g)].map((p) => p[1]!);
    channels[id] = {
      address: c.address,
      description: `${c.description} Published by: ${c.publishedBy}. Consumed by: ${c.consumedBy}.`,
      messages: Object.fromEntries(present.map((m) => [m.name, { $ref: `#/components/messages/${m.name}` }])),
      ...(params.length
        ? { parameters: Object.fromEntries(params.map((p) => [p, { description: p }])) }
        : {}),
    };
    if (c.kind === "request-reply" && present.length > 0) {
      operations[`${id}_request`] = {
        action: "receive",
        channel: { $ref: `#/channels/${id}` },
        summary: `${c.consumedBy} answers`,
        messages: [{ $ref: `#/channels/${id}/messages/${present[0]!.name}` }],
        reply: {
          channel: { $ref: `#/channels/${id}` },
          messages: present.slice(1).map((m) => ({ $ref: `#/channels/${id}/messages/${m.name}` })),
        },
      };
    } else {
      operations[`${id}_receive`] = {
        action: "receive",
        channel: { $ref: `#/channels/${id}` },
        summary: `consumed by ${c.consumedBy}`,
        messages: present.map((m) => ({ $ref: `#/channels/${id}/messages/${m.name}` })),
      };
    }
  }
  const doc: Yaml = {
    asyncapi: "3.0.0",
    info: {
      title: "optout NATS contract",
      version: "1.0.0",
      description:
        "Subjects, payloads and request-reply of the opt-out system. Subjects are shown with the default prefix `optout`; OPTOUT_NAMESPACE replaces it (and prefixes stream names upper-cased). JSON payloads; timestamps are RFC 3339. Generated from packages/schemas by scripts/render-asyncapi.ts.",
    },
    defaultContentType: "application/json",
    servers: {
      local: { host: "127.0.0.1:4222", protocol: "nats", description: "nats-server with JetStream" },
    },
    channels,
    operations,
    components: { messages },
  };
  return `# Generated by scripts/render-asyncapi.ts from packages/schemas: do not edit by hand.\n${toYaml(doc)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await writeFile(new URL("../docs/asyncapi.yaml", import.meta.url), renderAsyncApi());
  process.stdout.write("wrote docs/asyncapi.yaml\n");
}
