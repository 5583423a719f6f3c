/** Schema fragments of the edge's routes, for its OpenAPI document (./swagger.ts). */

/** An HTML page answer. */
export const html = (description: string) => ({
  description,
  content: { "text/html": { schema: { type: "string" } } },
});

/** A JSON answer `{"status": ...}` (the health routes), with more fields if any. */
export const status = (description: string, value: string, more: Record<string, unknown> = {}) => ({
  description,
  content: {
    "application/json": {
      schema: { type: "object", properties: { status: { type: "string", enum: [value] }, ...more } },
    },
  },
});

export const LANG_QUERY = {
  type: "object",
  properties: {
    lang: {
      type: "string",
      enum: ["en", "nl", "fr", "de", "es"],
      description: "The page's language (else Accept-Language, then the number's country)",
    },
  },
} as const;

export const LINK_TOKEN_PARAMS = {
  type: "object",
  required: ["token"],
  properties: {
    token: {
      type: "string",
      pattern: "^[0-9A-Za-z]{6,10}$",
      description: "The link token from the SMS footer (optout.tag)",
    },
  },
} as const;

export const EMAIL_TOKEN_PARAMS = {
  type: "object",
  required: ["token"],
  properties: {
    token: {
      type: "string",
      maxLength: 2048,
      description:
        "A signed token naming account, address and list (POST /v1/accounts/{accountId}/email-unsubscribe-headers)",
    },
  },
} as const;

const CLICK_FORM = {
  type: "object",
  properties: {
    reason: { type: "string", description: "too_many | not_relevant | never_signed_up | other" },
    comment: { type: "string", maxLength: 400, description: "Free text, optional" },
    click: {
      type: "string",
      pattern: "^[0-9A-Za-z]{16,64}$",
      description: "The page's nonce: a resubmit is the same click",
    },
  },
} as const;

/** The Unsubscribe button's form, either encoding. */
export const CLICK_BODY = {
  content: {
    "application/x-www-form-urlencoded": { schema: CLICK_FORM },
    "multipart/form-data": { schema: CLICK_FORM },
  },
} as const;

/** RFC 8058 one-click (either encoding) or the confirm page's form. */
export const EMAIL_UNSUBSCRIBE_BODY = {
  content: {
    "application/x-www-form-urlencoded": {
      schema: {
        type: "object",
        properties: {
          "List-Unsubscribe": { type: "string", enum: ["One-Click"] },
          confirm: { type: "string", enum: ["yes"] },
          topic: {
            type: "string",
            description: "With confirm=yes: the preference page's topic button (one of the account's topics)",
          },
          all: {
            type: "string",
            enum: ["yes"],
            description: "With confirm=yes: the preference page's 'unsubscribe from all' (the whole channel)",
          },
        },
      },
    },
    "multipart/form-data": {
      schema: { type: "object", properties: { "List-Unsubscribe": { type: "string", enum: ["One-Click"] } } },
    },
  },
} as const;
