/**
 * Which position a change feed may save: the highest one such that its event and every event
 * yielded before it were acked. Acks can come out of order (a caller handling events
 * concurrently); the saved position never passes an event that was not acked, so a restart
 * redelivers it.
 */
export class AckTracker {
  private readonly pending: { position: number; acked: boolean }[] = [];
  constructor(public committed: number | undefined) {}
  yielded(position: number): void {
    this.pending.push({ position, acked: false });
  }
  /** Marks the position acked; returns the new committed position when it moved. */
  ack(position: number): number | undefined {
    const entry = this.pending.find((p) => p.position === position);
    if (entry) entry.acked = true;
    let moved: number | undefined;
    while (this.pending[0]?.acked) moved = this.pending.shift()!.position;
    if (moved !== undefined) this.committed = moved;
    return moved;
  }
}
