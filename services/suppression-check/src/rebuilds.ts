import type { Logger } from "@optout/core";

/**
 * Start at most one rebuild per list in this process at a time; the filter's Redis lock makes
 * it one across processes. A failed rebuild is retried by the next check that falls back.
 */
export function createRebuildScheduler(
  rebuild: (scope: string, channel: string) => Promise<{ skipped: boolean; entries: number; ms: number }>,
  logger: Logger,
): { request(scope: string, channel: string): void; idle(): Promise<void> } {
  const running = new Map<string, Promise<void>>();
  return {
    request(scope, channel) {
      const key = `${scope}\u0000${channel}`;
      if (running.has(key)) return;
      const p = rebuild(scope, channel)
        .then((r) => {
          if (!r.skipped)
            logger.info({ scope, channel, entries: r.entries, ms: Math.round(r.ms) }, "filter rebuilt");
        })
        .catch((err: unknown) =>
          logger.warn({ scope, channel, err: (err as Error).message }, "filter rebuild failed"),
        )
        .finally(() => running.delete(key));
      running.set(key, p);
    },
    async idle() {
      await Promise.all(running.values());
    },
  };
}
