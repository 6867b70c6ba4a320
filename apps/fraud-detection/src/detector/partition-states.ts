import type { CardState } from '../domain/card-state.ts';
import type { BatchSnapshot, CardStateStore, PartitionFence, StoredDecision } from './card-state-store.ts';

/** A batch's view of the state: the snapshot, and the fence its write must carry. */
export interface PartitionSnapshot {
  readonly fence: PartitionFence;
  readonly snapshot: BatchSnapshot;
}

export interface PartitionStates {
  /** The states of `cardIds` (in-process copy first, Redis for the rest) and the stored decisions. */
  load(
    partition: number,
    cardIds: readonly string[],
    paymentIds: readonly string[],
  ): Promise<PartitionSnapshot>;
  /** Writes through to Redis (fenced), then keeps the states in process. */
  save(
    fence: PartitionFence,
    states: ReadonlyMap<string, CardState>,
    decisions: readonly StoredDecision[],
  ): Promise<void>;
  /** Cards held in process (for the metric and tests). */
  size(): number;
}

interface Owned {
  readonly fence: PartitionFence;
  readonly cards: Map<string, CardState>;
}

/**
 * The in-process copy of the card states of the partitions this detector works on, written
 * through to Redis. Valid because of the fence: a partition is claimed (its epoch incremented in
 * Redis) before its first batch, and every write checks that epoch in the same script; a write
 * that succeeds proves no other detector claimed, hence wrote, the partition since our claim, so
 * the copy equals Redis. Any failed write (fenced, or an outcome unknown after a Redis error)
 * drops the partition's copy: the next attempt claims again and reads Redis afresh. Partitions
 * that moved away are never written again by us; their copies go when the bound is reached.
 */
export function createPartitionStates(store: CardStateStore, maxCards: number): PartitionStates {
  const owned = new Map<number, Owned>();
  let held = 0;

  function forget(partition: number): void {
    const entry = owned.get(partition);
    if (entry === undefined) return;
    held -= entry.cards.size;
    owned.delete(partition);
  }

  return {
    async load(partition, cardIds, paymentIds) {
      let entry = owned.get(partition);
      if (entry === undefined) {
        entry = { fence: await store.claim(partition), cards: new Map() };
        owned.set(partition, entry);
      }
      const { cards } = entry;
      const missing = cardIds.filter((id) => !cards.has(id));
      const stored =
        missing.length === 0 && paymentIds.length === 0
          ? { states: new Map<string, CardState>(), decisions: new Map<string, StoredDecision>() }
          : await store.load(missing, paymentIds);
      const states = new Map(stored.states);
      for (const id of cardIds) {
        const mine = cards.get(id);
        if (mine !== undefined) states.set(id, mine);
      }
      return { fence: entry.fence, snapshot: { states, decisions: stored.decisions } };
    },

    async save(fence, states, decisions) {
      try {
        await store.save(fence, states, decisions);
      } catch (error) {
        forget(fence.partition);
        throw error;
      }
      const entry = owned.get(fence.partition);
      if (entry === undefined || entry.fence.epoch !== fence.epoch || maxCards === 0) return;
      if (held + states.size > maxCards) {
        // bounded memory: start over (copies are re-read from Redis on demand; the claims stay)
        for (const other of owned.values()) other.cards.clear();
        held = 0;
      }
      for (const [cardId, state] of states) {
        if (!entry.cards.has(cardId)) held++;
        entry.cards.set(cardId, state);
      }
    },

    size: () => held,
  };
}
