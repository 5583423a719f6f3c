/** The tags of the API document, in the order the docs page shows them; each route names its tag. */
export const TAGS: { name: string; description: string }[] = [
  {
    name: "Tokens",
    description:
      "Typed API tokens: per account, per channel (type), read and/or write. Managed with the admin token.",
  },
  {
    name: "Opt-out lists",
    description: "The lists: sync, current state, history, manual opt-outs and opt-ins.",
  },
  { name: "Email", description: "Helpers for email senders." },
  {
    name: "Address book",
    description: "Contacts and groups, and opt-out-filtered group lists for campaigns.",
  },
  {
    name: "Organizations and accounts",
    description: "Who owns which list. Admin token only, except reading one's own account.",
  },
  {
    name: "Compliance",
    description:
      "Evidence of opt-outs and opt-ins (exports, one recipient's printable record), the audit trail of API changes and the webhook delivery log.",
  },
  {
    name: "Erasure",
    description:
      "GDPR erasure of one recipient: their data goes, their suppression stays (under a keyed hash).",
  },
  {
    name: "Statistics",
    description: "Opt-outs per day, channel, source and campaign, and campaigns' opt-out rates.",
  },
  { name: "Service", description: "Health, readiness, the Unsubscribes page and this documentation." },
  {
    name: "Dead letters",
    description:
      "Messages the workers could not process (invalid payload, unknown account or token, out of deliveries), kept 30 days in the dead-letter stream: list, inspect, replay once the cause is fixed. Admin token only; `optout dlq` on the command line does the same.",
  },
];
