/** What every worker's start function returns. */
export interface ServiceHandle {
  readonly name: string;
  /** True when the worker is doing its job (pulling messages, answering requests). */
  isReady(): boolean;
  /** Idempotent, ordered stop: stop taking work, finish in-flight work, release resources it owns. */
  stop(): Promise<void>;
}

/** Keep one closing promise, so a second stop() waits for the first instead of starting again. */
export function onceStop(stop: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= stop());
}
