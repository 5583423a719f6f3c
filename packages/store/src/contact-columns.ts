import type { Channel } from "@optout/schemas";

/** The contact column holding a channel's identifier. A new channel adds a column and a row here. */
export const CONTACT_IDENTIFIER_COLUMN: Readonly<Record<Channel, "phone" | "email">> = Object.freeze({
  sms: "phone",
  email: "email",
});
