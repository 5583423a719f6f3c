import { counterIn, type Registry } from "@optout/metrics";

/** sms-inbound's own series, in the process registry (created once, shared by every worker of the process). */
export function smsInboundMetrics(registry: Registry) {
  return {
    classified: counterIn(registry, {
      name: "optout_sms_classified_total",
      help: "Inbound SMS by classification: action (opt_out, opt_in, help, ignored) and the rule that decided",
      labelNames: ["worker", "action", "rule"],
    }),
  };
}
