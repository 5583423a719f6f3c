import type { Logger } from "@optout/core";
import { counterIn, type Registry } from "@optout/metrics";
import { createRecorder, type Recorder, type RecorderDeps } from "./recorder.js";

/** What `recorderFor` takes from a process's shared connections (the runtime's `Infrastructure`). */
export interface RecorderHost {
  pool: RecorderDeps["pool"];
  filter: RecorderDeps["filter"];
  js: RecorderDeps["js"];
  names: RecorderDeps["names"];
  /** The cached account directory of the process. */
  accounts: { get(id: string): ReturnType<RecorderDeps["getAccount"]> };
  metrics: { registry: Registry };
}

/** The recorder's own series, in the process registry (created once, shared by every worker of the process). */
export function recorderMetrics(registry: Registry) {
  return {
    events: counterIn(registry, {
      name: "optout_events_total",
      help: "Opt-out/opt-in events recorded (redeliveries not counted)",
      labelNames: ["worker", "channel", "action", "source"],
    }),
  };
}

/** The recorder on this process's connections, counting the new events of `worker` in `optout_events_total`. */
export function recorderFor(host: RecorderHost, worker: string, logger: Logger): Recorder {
  const { events } = recorderMetrics(host.metrics.registry);
  const recorder = createRecorder({
    pool: host.pool,
    filter: host.filter,
    js: host.js,
    names: host.names,
    logger,
    getAccount: (id) => host.accounts.get(id),
  });
  return {
    async record(newEvents, options) {
      const recorded = await recorder.record(newEvents, options);
      for (const e of recorded) {
        if (!e.duplicate) events.inc({ worker, channel: e.channel, action: e.action, source: e.source });
      }
      return recorded;
    },
  };
}
