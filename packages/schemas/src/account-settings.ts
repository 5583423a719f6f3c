/**
 * An account's settings: the one schema of everything the workers read from
 * `accounts.settings`, and what the API accepts in `PUT`/`PATCH /v1/accounts/{id}`. A setting a
 * worker reads must be here, typed; the API refuses anything else (a typo is a 400, not a
 * setting silently ignored). The schema uses `format: uri/email`: it is compiled by the API's
 * ajv (fastify's, with ajv-formats); workers trust what the API stored and read the type.
 */
import { NO_CONTROL_PATTERN } from "./storable.js";
import { ID_PATTERN } from "./json/common.js";

/** Texts per language (`en`, `nl`...) and `default`. */
const LANGUAGE_TEXTS = {
  type: "object",
  propertyNames: { pattern: "^([a-z]{2}|default)$" },
  additionalProperties: { type: "string", minLength: 1, maxLength: 480 },
} as const;

const KEYWORDS_BY_LANGUAGE = {
  type: "object",
  propertyNames: { pattern: "^[a-z]{2}$" },
  additionalProperties: {
    type: "array",
    maxItems: 50,
    items: { type: "string", minLength: 1, maxLength: 40 },
  },
} as const;

const HTTP_URL = { type: "string", format: "uri", pattern: "^https?://", maxLength: 500 } as const;

/** A keyword flow: the footer "STOP au 36111", or "Reply STOP to opt out" (no number: reply to the sender). */
const KEYWORD_FLOW = {
  type: "object",
  additionalProperties: false,
  required: ["keyword", "template"],
  properties: {
    keyword: { type: "string", minLength: 1, maxLength: 40, pattern: NO_CONTROL_PATTERN },
    number: { type: "string", minLength: 1, maxLength: 20, pattern: NO_CONTROL_PATTERN },
    template: { type: "string", minLength: 1, maxLength: 160 },
  },
  // A template that names the number needs one.
  if: { properties: { template: { type: "string", pattern: "\\{number\\}" } } },
  then: { required: ["number"] },
} as const;

/** Most topics an account may define: each is a button on the edge's preference page. */
export const MAX_TOPICS = 50;

/**
 * A topic (a per-list preference): its id is the List-Id an email unsubscribe names and the
 * `topic` a check asks about; its name is shown on the edge's preference page, by language.
 */
const TOPIC = {
  type: "object",
  additionalProperties: false,
  required: ["id", "name"],
  properties: {
    id: { type: "string", pattern: ID_PATTERN },
    name: { ...LANGUAGE_TEXTS, minProperties: 1 },
  },
} as const;

/** The JSON Schema of each setting, by name. */
export const ACCOUNT_SETTINGS_PROPERTIES = {
  /** Who the edge's pages say the messages come from. */
  name: { type: "string", maxLength: 200 },
  /** Webhook of the change feed. `secret` is write-only: never returned, kept when left out. */
  webhook: {
    type: "object",
    additionalProperties: false,
    required: ["url"],
    properties: {
      url: { type: "string", format: "uri", maxLength: 2000 },
      secret: { type: "string", minLength: 16, maxLength: 200 },
    },
  },
  confirmationSms: {
    type: "object",
    additionalProperties: false,
    required: ["enabled", "text"],
    properties: {
      enabled: { type: "boolean" },
      from: { type: "string", maxLength: 32 },
      text: LANGUAGE_TEXTS,
      // Confirmation of a START (opt-in); none is sent when absent.
      optInText: LANGUAGE_TEXTS,
      windowHours: { type: "number", minimum: 0, maximum: 8760 },
    },
  },
  helpText: LANGUAGE_TEXTS,
  freeTextOptOut: { type: "boolean" },
  keywords: {
    type: "object",
    additionalProperties: false,
    properties: { optOut: KEYWORDS_BY_LANGUAGE, optIn: KEYWORDS_BY_LANGUAGE, help: KEYWORDS_BY_LANGUAGE },
  },
  brandNames: { type: "array", maxItems: 20, items: { type: "string", minLength: 1, maxLength: 60 } },
  /**
   * Kept for compatibility, no longer read: membership of any bypass group of the account lets
   * an opted-out recipient through, in checks and filtered lists alike (DESIGN §3).
   */
  bypassAllGroups: { type: "boolean" },
  // List-Unsubscribe: the mailbox of the mailto: URI (none configured = no mailto URI) and the
  // public base of the one-click URI when this account's mail links to its own edge host.
  unsubscribeMailto: { type: "string", format: "email", maxLength: 254 },
  emailUnsubscribeBaseUrl: HTTP_URL,
  // optout.tag: keyword flows per country (ISO 3166-1 alpha-2; false or null switches a built-in
  // one off: a PATCH must use false, a null there removes the override), link footer templates
  // per language (must hold {link}), and the base of its links.
  keywordFlows: {
    type: "object",
    propertyNames: { pattern: "^[A-Z]{2}$" },
    maxProperties: 250,
    additionalProperties: { anyOf: [{ type: "null" }, { const: false }, KEYWORD_FLOW] },
  },
  tagTemplates: {
    type: "object",
    propertyNames: { pattern: "^([a-z]{2}|default)$" },
    additionalProperties: { type: "string", minLength: 1, maxLength: 160, pattern: "\\{link\\}" },
  },
  linkBaseUrl: HTTP_URL,
  /**
   * Topics (per-list preferences, docs/topics.md): an email unsubscribe whose List-Id is a
   * topic's id opts out of that topic only; checks and filtered group lists may name one. Ids
   * are unique (checked by the API: JSON Schema cannot say "unique by id").
   */
  topics: { type: "array", maxItems: MAX_TOPICS, items: TOPIC },
} as const;

export type AccountSettingName = keyof typeof ACCOUNT_SETTINGS_PROPERTIES;

/** Per-account settings as stored (`accounts.settings`) and read by the workers. */
export interface AccountSettings {
  name?: string;
  /** `secret` is set whenever `webhook` is (the API refuses a webhook without one). */
  webhook?: { url: string; secret: string };
  /** Confirmation SMS after a STOP (`text`) and, when `optInText` is set, after a START; by keyword language. */
  confirmationSms?: {
    enabled: boolean;
    from?: string;
    text: Record<string, string>;
    optInText?: Record<string, string>;
    windowHours?: number;
  };
  helpText?: Record<string, string>;
  /** Strict keyword-only classification when false (keywords.md rule 3 switch). */
  freeTextOptOut?: boolean;
  keywords?: {
    optOut?: Record<string, string[]>;
    optIn?: Record<string, string[]>;
    help?: Record<string, string[]>;
  };
  brandNames?: string[];
  /** Accepted, not read (see ACCOUNT_SETTINGS_PROPERTIES.bypassAllGroups). */
  bypassAllGroups?: boolean;
  unsubscribeMailto?: string;
  emailUnsubscribeBaseUrl?: string;
  keywordFlows?: Record<string, { keyword: string; number?: string; template: string } | null | false>;
  tagTemplates?: Record<string, string>;
  linkBaseUrl?: string;
  topics?: AccountTopic[];
}

/** One of an account's topics (`settings.topics`). */
export interface AccountTopic {
  id: string;
  /** By language (`en`, `nl`...) and `default`. */
  name: Record<string, string>;
}

/** The first topic id that appears twice, if any: the API refuses such settings. */
export function duplicateTopicId(topics: readonly AccountTopic[] | undefined): string | undefined {
  const seen = new Set<string>();
  for (const t of topics ?? []) {
    if (seen.has(t.id)) return t.id;
    seen.add(t.id);
  }
  return undefined;
}

/** Every setting, by name; the type makes the schema and the interface list the same names. */
export const ACCOUNT_SETTING_NAMES: readonly AccountSettingName[] = Object.freeze(
  Object.keys(ACCOUNT_SETTINGS_PROPERTIES) as AccountSettingName[],
);
// Compile-time: the interface and the schema name the same settings, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameNames: Same<keyof AccountSettings, AccountSettingName> = true;
void sameNames;

/** Settings (as paths) that are write-only: accepted, stored, never returned, kept when left out. */
export const WRITE_ONLY_SETTINGS: readonly (readonly [AccountSettingName, string])[] = Object.freeze([
  Object.freeze(["webhook", "secret"] as const),
]);

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** The settings without their write-only values: what the API shows. */
export function withoutWriteOnlySettings(settings: AccountSettings): AccountSettings {
  const out: JsonObject = { ...settings };
  for (const [name, field] of WRITE_ONLY_SETTINGS) {
    const value = out[name];
    if (!isObject(value) || !(field in value)) continue;
    const { [field]: _hidden, ...rest } = value;
    out[name] = rest;
  }
  return out as AccountSettings;
}

/**
 * New settings with the stored write-only values filled in where the new ones leave them out
 * (and their object is still there): replacing the settings never loses a secret nobody can
 * read back. Returns the paths still missing one, e.g. ["webhook.secret"] for a first webhook
 * sent without a secret.
 */
export function keepWriteOnlySettings(
  next: JsonObject,
  stored: AccountSettings | undefined,
): { settings: JsonObject; missing: string[] } {
  const settings: JsonObject = { ...next };
  const missing: string[] = [];
  for (const [name, field] of WRITE_ONLY_SETTINGS) {
    const value = settings[name];
    if (!isObject(value) || value[field] !== undefined) continue;
    const previous = (stored as JsonObject | undefined)?.[name];
    const kept = isObject(previous) ? previous[field] : undefined;
    if (kept === undefined) missing.push(`${name}.${field}`);
    else settings[name] = { ...value, [field]: kept };
  }
  return { settings, missing };
}
