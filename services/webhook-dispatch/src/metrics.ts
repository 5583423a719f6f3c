import { counterIn, type Metrics } from "@optout/runtime";

/** webhook-dispatch's own series, in the process registry (created once, shared by every worker of the process). */
export function webhookDispatchMetrics(registry: Metrics["registry"]) {
  return {
    attempts: counterIn(registry, {
      name: "optout_webhook_attempts_total",
      help: "Webhook delivery attempts by result (delivered, retry, permanent, refused)",
      labelNames: ["worker", "result"],
    }),
  };
}
