import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncPath } from './durable-file.ts';
import { LAKE_TABLES, type LakeTable } from './paths.ts';

/** How long each lake table keeps its partitions, behind the wall clock (ms). */
export type LakeRetention = Readonly<Record<LakeTable, number>>;

/** Where expired partitions are moved before they are deleted: outside every table's glob. */
export const EXPIRED_DIR = '.expired';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Deletes every whole hive partition (`date=…/hour=…`, or a whole `date=…` once all its hours are
 * past) whose end is older than its table's retention behind `nowMs` — the wall clock, never the
 * newest event time in the lake, so a reading dated 2099 only keeps its own partition. Returns the
 * Parquet files removed per table.
 *
 * A partition is first renamed into `<lake>/.expired/` (atomic: a query sees all of it or none of
 * it, never half), then removed; leftovers of a crash in between are removed at the next run. The
 * lake has no manifest: readers list files by glob (the analytics views turn a table with no file
 * left into an empty relation), so removing the directories is all there is to keep consistent.
 * `signal` stops between partitions.
 */
export async function pruneLake(
  lakeDir: string,
  retention: LakeRetention,
  options: { readonly nowMs?: number; readonly signal?: AbortSignal } = {},
): Promise<Record<LakeTable, number>> {
  const nowMs = options.nowMs ?? Date.now();
  for (const table of LAKE_TABLES) {
    const ms = retention[table];
    if (!Number.isSafeInteger(ms) || ms < 0)
      throw new RangeError(`lake retention of ${table} must be an integer >= 0, got ${ms}`);
  }
  const expired = join(lakeDir, EXPIRED_DIR);
  await removeDir(expired); // a previous run's leftovers
  const removed = { raw: 0, windows: 0, alerts: 0 } satisfies Record<LakeTable, number>;
  for (const table of LAKE_TABLES) {
    const cutoff = nowMs - retention[table];
    const tableDir = join(lakeDir, table);
    for (const date of await subdirs(tableDir, /^date=(\d{4}-\d{2}-\d{2})$/)) {
      if (options.signal?.aborted) return removed;
      const dayStart = Date.parse(`${date.value}T00:00:00Z`);
      if (Number.isNaN(dayStart) || dayStart >= cutoff) continue;
      const dateDir = join(tableDir, date.name);
      if (dayStart + DAY_MS <= cutoff) {
        removed[table] += await expire(dateDir, expired, `${table}~${date.name}`);
        continue;
      }
      for (const hour of await subdirs(dateDir, /^hour=(\d{2})$/)) {
        if (options.signal?.aborted) return removed;
        if (dayStart + (Number(hour.value) + 1) * HOUR_MS <= cutoff)
          removed[table] += await expire(
            join(dateDir, hour.name),
            expired,
            `${table}~${date.name}~${hour.name}`,
          );
      }
    }
  }
  await removeDir(expired);
  return removed;
}

/** Moves a partition out of the lake's globs, counts its Parquet files, and deletes it. */
async function expire(dir: string, expiredDir: string, label: string): Promise<number> {
  await mkdir(expiredDir, { recursive: true });
  const target = join(expiredDir, `${label}~${randomUUID()}`);
  try {
    await rename(dir, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0; // another replica took it
    throw error;
  }
  await fsyncPath(join(dir, '..'));
  const files = await countParquet(target);
  await removeDir(target);
  return files;
}

async function countParquet(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.parquet')).length;
}

async function subdirs(dir: string, pattern: RegExp): Promise<{ name: string; value: string }[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries.flatMap((e) => {
    const match = e.isDirectory() ? pattern.exec(e.name) : null;
    return match === null ? [] : [{ name: e.name, value: match[1] as string }];
  });
}

async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
