/** What every worker's start function returns. */
export interface ServiceHandle {
  readonly name: string;
  /** True when the worker is doing its job (pulling messages, answering requests). */
  isReady(): boolean;
  /** Why it is not ready, for /readyz (empty or absent when ready): "postgres is down: ...". */
  notReadyReasons?(): string[];
  /** Idempotent, ordered stop: stop taking work, finish in-flight work, release resources it owns. */
  stop(): Promise<void>;
}

/** Keep one closing promise, so a second stop() waits for the first instead of starting again. */
export function onceStop(stop: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= stop());
}

/** Several handles as one worker (e.g. two subjects answered by one service): ready when all are, stopped in order. */
export function combineServices(name: string, services: readonly ServiceHandle[]): ServiceHandle {
  return {
    name,
    isReady: () => services.every((s) => s.isReady()),
    notReadyReasons: () => readinessOf(services).reasons,
    stop: onceStop(async () => {
      for (const s of services) await s.stop();
    }),
  };
}

/** The readiness of several workers (the all-in-one process): ready when all are, with every reason. */
export function readinessOf(services: readonly ServiceHandle[]): { ready: boolean; reasons: string[] } {
  const reasons = [
    ...new Set(
      services.flatMap((s) => {
        const own = s.notReadyReasons?.() ?? [];
        return own.length > 0 || s.isReady() ? own : [`${s.name} is not ready`];
      }),
    ),
  ];
  return { ready: reasons.length === 0, reasons };
}
