/**
 * Jobs waiting for an earlier job of the same key to finish. `next` returns a promise that
 * resolves when the key is woken or after `timeoutMs` (the poll for jobs finished elsewhere).
 */
export class KeyWaiters {
  readonly #byKey = new Map<string, Set<() => void>>();

  next(key: string, timeoutMs: number): { promise: Promise<void>; cancel(): void } {
    let set = this.#byKey.get(key);
    if (!set) this.#byKey.set(key, (set = new Set()));
    const waiters = set;
    let timer: NodeJS.Timeout | undefined;
    let done!: () => void;
    const promise = new Promise<void>((resolve) => {
      done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.#byKey.get(key) === waiters) this.#byKey.delete(key);
        resolve();
      };
      timer = setTimeout(done, timeoutMs);
    });
    waiters.add(done);
    return { promise, cancel: done };
  }

  wake(key: string): void {
    for (const done of [...(this.#byKey.get(key) ?? [])]) done();
  }

  wakeAll(): void {
    for (const key of [...this.#byKey.keys()]) this.wake(key);
  }

  get size(): number {
    let n = 0;
    for (const set of this.#byKey.values()) n += set.size;
    return n;
  }
}
