import { eraseIdentifier, type Erasure, type ErasureRequest, type Pool } from "@optout/store";
import { withErasureMarker } from "@optout/domain";
import type { FilterWriter } from "./recorder.js";

/**
 * Erase one identifier (@optout/store eraseIdentifier) so that the check never stops
 * suppressing the person, not even for a moment. The check probes the erased form through the
 * filter: a person who was never opted out has no bits there, and one who was keeps only the
 * identifier's bits, which the confirm no longer finds once the transaction commits. So the
 * hash's bits are set first (a filter bit without a row costs one confirm, never a wrong
 * answer), then the erasure commits. `scope` is the list the caller resolved for the account;
 * should a concurrent list scope change have moved it, the bits also go to the list the
 * erasure ran in.
 * @throws DependencyUnavailableError('redis') before anything is erased when the filter
 *   cannot be written; repeating an erasure is safe.
 */
export async function eraseKeepingSuppressed(
  deps: { pool: Pool; filter: FilterWriter },
  request: ErasureRequest & { scope: string },
  options: Parameters<typeof eraseIdentifier>[2] = {},
): Promise<Erasure | null> {
  // With ERASURES_FILTER_MARKER: from now on the list's checks also probe erased forms.
  const entries = withErasureMarker([request.erased]);
  await deps.filter.add(request.scope, request.channel, entries);
  const erasure = await eraseIdentifier(deps.pool, request, options);
  if (erasure !== null && erasure.scope !== request.scope)
    await deps.filter.add(erasure.scope, request.channel, entries);
  return erasure;
}
