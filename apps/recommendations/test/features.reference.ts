import type { UserEvent } from '@streamkit/schemas';
import type { StoredRecord } from '@streamkit/testkit';
import type { CatalogIndex } from '../src/catalog/index.ts';
import { FeatureState } from '../src/domain/feature-state.ts';

/**
 * The reference: the topic's records applied partition by partition in offset order, each eventId
 * once (its first record), by the plain in-memory FeatureState.
 */
export function referenceFromRecords(
  records: readonly StoredRecord[],
  catalog: CatalogIndex,
  allowedLatenessMs: number,
): FeatureState {
  const state = new FeatureState((p) => catalog.categoryOf(p), allowedLatenessMs);
  const seen = new Set<string>();
  const ordered = [...records].sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
  for (const r of ordered) {
    const event = JSON.parse(r.value ?? '') as UserEvent;
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    state.apply(event, r.partition);
  }
  return state;
}
