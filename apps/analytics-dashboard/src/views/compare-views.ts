// Views read from an engine against the reference computed from the lines: which rows differ.
import type { ViewRow } from '../dashboard/view-reader.ts';
import { VIEW_NAMES, type ViewName } from './catalog.ts';

export interface ViewDifference {
  readonly view: ViewName;
  /** Reference rows the engine does not have as they are (missing, or with other figures). */
  readonly missing: readonly ViewRow[];
  /** Engine rows the reference does not have (extra, or with other figures). */
  readonly extra: readonly ViewRow[];
}

/** A row as one comparable string, whatever the order of its columns. */
const rowKey = (row: ViewRow) =>
  JSON.stringify(
    Object.keys(row)
      .sort()
      .map((column) => [column, row[column]]),
  );

/** Rows are compared as multisets: a row counted twice in the engine is one extra. */
function differences(expected: readonly ViewRow[], actual: readonly ViewRow[]) {
  const remaining = new Map<string, ViewRow[]>();
  for (const row of actual) {
    const key = rowKey(row);
    remaining.set(key, [...(remaining.get(key) ?? []), row]);
  }
  const missing: ViewRow[] = [];
  for (const row of expected) {
    const same = remaining.get(rowKey(row));
    if (same === undefined || same.length === 0) missing.push(row);
    else same.pop();
  }
  return { missing, extra: [...remaining.values()].flat() };
}

export function compareViews(
  reference: Readonly<Record<ViewName, readonly ViewRow[]>>,
  actual: Readonly<Record<ViewName, readonly ViewRow[]>>,
): ViewDifference[] {
  return VIEW_NAMES.map((view) => ({ view, ...differences(reference[view], actual[view]) }));
}
