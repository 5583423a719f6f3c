/**
 * Progress of long work on stderr, never stdout (a script reads stdout): on a terminal one line
 * redrawn in place (a bar when the fraction done is known), elsewhere (a log, a CI job) a plain
 * line about once a second.
 */
import type { Output } from "./command.js";

/** Redraws of the terminal line: at most one per interval. */
const TTY_INTERVAL_MS = 100;
/** Lines when stderr is not a terminal: at most one per interval. */
const LINE_INTERVAL_MS = 1_000;
const BAR_WIDTH = 24;

export interface Progress {
  /**
   * `count` things done (rows, recipients, lists); `fraction` of the whole when known (0..1);
   * `detail` a few words more ("12 failed"). Throttled: call it as often as you like.
   */
  update(count: number, fraction?: number, detail?: string): void;
  /** Clear the bar and print the closing line (with a newline). */
  finish(line: string): void;
}

const number = (n: number) => Math.round(n).toLocaleString("en-US");

export function createProgress(
  out: Output,
  options: { label: string; unit: string; intervalMs?: number; now?: () => number },
): Progress {
  const tty = out.stderrIsTTY === true;
  const interval = options.intervalMs ?? (tty ? TTY_INTERVAL_MS : LINE_INTERVAL_MS);
  const now = options.now ?? (() => performance.now());
  const started = now();
  let last = started;
  let drawn = false;
  return {
    update(count, fraction, detail) {
      const t = now();
      if (t - last < interval) return;
      last = t;
      const seconds = (t - started) / 1000;
      const rate = seconds > 0 ? `, ${number(count / seconds)} ${options.unit}/s` : "";
      const more = detail ? `, ${detail}` : "";
      const percent = fraction === undefined ? "" : ` ${Math.min(100, Math.floor(fraction * 100))}%`;
      if (tty) {
        const filled = fraction === undefined ? 0 : Math.min(BAR_WIDTH, Math.round(fraction * BAR_WIDTH));
        const bar = fraction === undefined ? "" : ` [${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}]`;
        out.stderr(`\r\x1b[K${options.label}${bar}${percent} ${number(count)} ${options.unit}${rate}${more}`);
        drawn = true;
      } else {
        out.stderr(`${options.label}:${percent} ${number(count)} ${options.unit}${rate}${more}\n`);
      }
    },
    finish(line) {
      out.stderr(`${drawn ? "\r\x1b[K" : ""}${line}\n`);
    },
  };
}

/** "1.2 s" / "3 min 4 s": a duration for closing lines. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
