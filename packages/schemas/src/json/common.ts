/** Shared schema fragments. `$id`s are stable URIs so the AsyncAPI document can reference them. */

export const ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

export const idString = { type: "string", pattern: ID_PATTERN } as const;
export const timestamp = { type: "string", format: "date-time" } as const;
export const channel = { type: "string", enum: ["sms", "email"] } as const;
export const action = { type: "string", enum: ["opt_out", "opt_in"] } as const;
export const source = {
  type: "string",
  enum: ["sms_keyword", "link_click", "email_one_click", "email_link", "email_mailto", "api", "import"],
} as const;
export const country = { type: "string", pattern: "^[A-Z]{2}$" } as const;
