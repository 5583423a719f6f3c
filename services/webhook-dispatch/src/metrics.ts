import { counterIn, type Registry } from "@optout/metrics";

/** webhook-dispatch's own series, in the process registry (created once, shared by every worker of the process). */
export function webhookDispatchMetrics(registry: Registry) {
  return {
    attempts: counterIn(registry, {
      name: "optout_webhook_attempts_total",
      help: "Webhook delivery attempts by result (delivered, retry, permanent, refused)",
      labelNames: ["worker", "result"],
    }),
    pruned: counterIn(registry, {
      name: "optout_retention_pruned_total",
      help: "Rows deleted by retention (finished webhook jobs, old confirmation records), by table",
      labelNames: ["table"],
    }),
    retentionRuns: counterIn(registry, {
      name: "optout_retention_runs_total",
      help: "Retention runs by result: done, skipped (another replica held the lock), failed",
      labelNames: ["result"],
    }),
  };
}
