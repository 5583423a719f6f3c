import type { Logger } from "@optout/core";

/**
 * Stop gracefully on SIGTERM/SIGINT (Kubernetes sends SIGTERM, then SIGKILL after the grace
 * period); a second signal exits at once. Exit code 0 after a clean stop.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "stopping");
    stop()
      .then(() => {
        logger.info("stopped");
        logger.flush?.();
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err: (err as Error).message }, "stop failed");
        process.exit(1);
      });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
