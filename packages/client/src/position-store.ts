/**
 * Where a change-feed follower keeps its position: the stream sequence of the last event it has
 * handled. Pluggable: keep it next to the data the events update (one transaction) when you
 * can; the file store is the default so that a restart resumes.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { InvalidPayloadError } from "@optout/core";

export interface PositionStore {
  /** The saved position, or undefined when nothing was saved yet. */
  load(): Promise<number | undefined>;
  /** Save a position (only ever called with a larger one than before). */
  save(position: number): Promise<void>;
}

function checkPosition(position: unknown, where: string): number {
  if (typeof position !== "number" || !Number.isSafeInteger(position) || position < 0)
    throw new InvalidPayloadError(
      `${where} holds no valid position (a stream sequence >= 0): ${String(position)}`,
    );
  return position;
}

/** A position kept in memory: a restart starts again from `initial` (tests, or positions kept elsewhere). */
export function memoryPositionStore(
  initial?: number,
): PositionStore & { readonly position: number | undefined } {
  let position = initial === undefined ? undefined : checkPosition(initial, "the initial position");
  return {
    get position() {
      return position;
    },
    load: async () => position,
    save: async (next) => {
      position = checkPosition(next, "save()");
    },
  };
}

/**
 * A position kept in a small JSON file (`{"position": 42}`), written to a temporary file and
 * renamed over the old one, so a crash mid-write leaves the previous position, never a torn file.
 * The directory is created when missing.
 */
export function filePositionStore(path: string): PositionStore {
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw err;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new InvalidPayloadError(`${path} is not JSON: delete it to start over, or fix it`, {
          cause: err,
        });
      }
      return checkPosition((parsed as { position?: unknown } | null)?.position, path);
    },
    async save(position) {
      checkPosition(position, "save()");
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify({ position, savedAt: new Date().toISOString() })}\n`);
      await rename(temporary, path);
    },
  };
}
