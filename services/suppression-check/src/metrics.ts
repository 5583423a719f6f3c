import { counterIn, type Registry } from "@optout/metrics";

/** suppression-check's own series, in the process registry (created once, shared by every worker of the process). */
export function suppressionCheckMetrics(registry: Registry) {
  return {
    checkedRecipients: counterIn(registry, {
      name: "optout_checked_recipients_total",
      help:
        "Recipients checked, by reason and by the request's lookup path: filter (the Redis filter " +
        "answered the negatives, Postgres confirmed the rest), database (the filter could not vouch: " +
        "Postgres answered all), none (no lookup: transactional or invalid)",
      labelNames: ["worker", "reason", "path"],
    }),
    cacheFallbacks: counterIn(registry, {
      name: "optout_cache_fallbacks_total",
      help: "Checks answered by Postgres because the filter could not vouch (not_ready)",
      labelNames: ["worker", "cause"],
    }),
  };
}
