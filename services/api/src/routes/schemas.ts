/** Route schema fragments shared by the API's routes. */

export const ID_PARAM = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$" } as const;

export const CHANNEL_PARAM = { type: "string", enum: ["sms", "email"] } as const;

const LANGUAGE_TEXTS = {
  type: "object",
  propertyNames: { pattern: "^([a-z]{2}|default)$" },
  additionalProperties: { type: "string", minLength: 1, maxLength: 480 },
} as const;

const KEYWORDS_BY_LANGUAGE = {
  type: "object",
  propertyNames: { pattern: "^[a-z]{2}$" },
  additionalProperties: { type: "array", maxItems: 50, items: { type: "string", minLength: 1, maxLength: 40 } },
} as const;

export const ACCOUNT_BODY = {
  type: "object",
  additionalProperties: false,
  required: ["organizationId"],
  properties: {
    organizationId: ID_PARAM,
    name: { type: "string", maxLength: 200 },
    listScope: { type: "string", enum: ["organization", "account"] },
    defaultCountry: { type: "string", pattern: "^[A-Z]{2}$" },
    webhook: {
      type: "object",
      additionalProperties: false,
      required: ["url", "secret"],
      properties: { url: { type: "string", format: "uri", maxLength: 2000 }, secret: { type: "string", minLength: 16, maxLength: 200 } },
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
    // Address book: let opted-out members of ANY bypass group through `optout.check`, not only
    // members of the bypass groups a request names in `groupIds`.
    bypassAllGroups: { type: "boolean" },
    // List-Unsubscribe: the mailbox of the mailto: URI (none configured = no mailto URI) and the
    // public base of the one-click URI when this account's mail links to its own edge host.
    unsubscribeMailto: { type: "string", format: "email", maxLength: 254 },
    emailUnsubscribeBaseUrl: { type: "string", format: "uri", pattern: "^https?://", maxLength: 500 },
  },
} as const;
