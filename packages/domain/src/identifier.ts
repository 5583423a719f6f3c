import { CHANNELS, isChannel } from "./channels.js";
import type { Channel } from "./channels.js";
import { invalid } from "./normalize-result.js";
import type { NormalizeResult } from "./normalize-result.js";

/** Normalizes a recipient for a channel; `defaultCountry` only matters for phone numbers. */
export function normalizeIdentifier(
  channel: Channel,
  input: string,
  defaultCountry?: string,
): NormalizeResult {
  // Untyped callers (JSON payloads) can pass any string; report it like any other bad input.
  if (!isChannel(channel))
    return invalid(`unknown channel "${String(channel)}": use one of ${Object.keys(CHANNELS).join(", ")}`);
  return CHANNELS[channel].normalize(input, defaultCountry);
}
