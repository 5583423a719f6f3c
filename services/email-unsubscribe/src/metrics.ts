import { counterIn, type Registry } from "@optout/metrics";

/** email-unsubscribe's own series, in the process registry (created once, shared by every worker of the process). */
export function emailUnsubscribeMetrics(registry: Registry) {
  return {
    ignored: counterIn(registry, {
      name: "optout_inbound_ignored_total",
      help: "Inbound messages acked without an event, by reason (e.g. automatic_reply)",
      labelNames: ["worker", "reason"],
    }),
  };
}
