import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LAKE_TABLES, parseBatchFileName } from './paths.ts';

/**
 * Deletes the files of a topic-partition whose batch was written but never checkpointed (a crash
 * between the Parquet write and the Postgres commit): their offsets start at or after the
 * partition's checkpoint, and they are about to be written again, perhaps cut differently.
 * Also removes temporary files a crash left behind. Returns the deleted paths.
 */
export async function removeUncommittedFiles(
  lakeDir: string,
  topic: string,
  partition: number,
  nextOffset: bigint,
): Promise<string[]> {
  const removed: string[] = [];
  for (const table of LAKE_TABLES) {
    for (const dir of await partitionDirs(join(lakeDir, table))) {
      for (const name of await readdir(dir)) {
        const range = parseBatchFileName(name);
        const orphan =
          range !== undefined &&
          range.topic === topic &&
          range.partition === partition &&
          range.first >= nextOffset;
        const tempOfThis = name.startsWith(`.${topic}~p${partition}~`) && name.endsWith('.tmp');
        if (orphan || tempOfThis) {
          await rm(join(dir, name), { force: true });
          removed.push(join(dir, name));
        }
      }
    }
  }
  return removed;
}

/** `<table>/date=*\/hour=*` directories that exist. */
export async function partitionDirs(tableDir: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const date of await listDirs(tableDir, 'date=')) {
    for (const hour of await listDirs(date, 'hour=')) dirs.push(hour);
  }
  return dirs;
}

async function listDirs(dir: string, prefix: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && e.name.startsWith(prefix))
      .map((e) => join(dir, e.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
