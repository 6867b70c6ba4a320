import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { fsyncPath, publishFile } from '../lake/durable-file.ts';
import { partitionDirs } from '../lake/orphans.ts';
import {
  COMPACTED_PREFIX,
  LAKE_TABLES,
  type LakeTable,
  type OffsetRange,
  parseBatchFileName,
} from '../lake/paths.ts';

export interface CompactionSettings {
  readonly lakeDir: string;
  /** Whether a batch file's offsets are checkpointed: only those may be merged (others may be rewritten). */
  readonly isCommitted: (range: OffsetRange) => boolean;
  /** A partition directory is compacted once it holds at least this many mergeable files. */
  readonly minFiles: number;
}

export interface CompactionSummary {
  readonly partitions: number;
  readonly filesMerged: number;
  readonly filesWritten: number;
}

/** Row order inside a compacted file: keeps per-device scans and min/max statistics tight. */
const ORDER: Record<LakeTable, string> = {
  raw: 'device_id, ts_ms, seq',
  windows: 'device_id, window_start_ms',
  alerts: 'device_id, ts_ms, alert_id',
};

const JOURNAL = '_compaction.json';

interface Journal {
  readonly output: string;
  readonly inputs: readonly string[];
}

/**
 * Merges the small files of each hive partition into one, without changing what a query returns.
 * Crash-safe through a journal in the partition directory: written (and fsynced) before the merged
 * file is published, removed after the inputs are deleted; a rerun finishes or undoes what it finds.
 */
export async function compactLake(settings: CompactionSettings): Promise<CompactionSummary> {
  if (!Number.isInteger(settings.minFiles) || settings.minFiles < 2)
    throw new RangeError(`minFiles must be an integer >= 2, got ${settings.minFiles}`);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  let partitions = 0;
  let filesMerged = 0;
  let filesWritten = 0;
  try {
    for (const table of LAKE_TABLES) {
      for (const dir of await partitionDirs(join(settings.lakeDir, table))) {
        await recover(dir);
        const inputs = (await readdir(dir)).filter((name) => {
          if (name.startsWith(COMPACTED_PREFIX) && name.endsWith('.parquet')) return true;
          const range = parseBatchFileName(name);
          return range !== undefined && settings.isCommitted(range);
        });
        if (inputs.length < settings.minFiles) continue;
        const output = `${COMPACTED_PREFIX}${randomUUID()}.parquet`;
        const temp = join(dir, `.${output}.tmp`);
        const list = inputs.map((f) => `'${join(dir, f).replaceAll("'", "''")}'`).join(', ');
        await connection.run(
          `COPY (SELECT * FROM read_parquet([${list}], union_by_name = true) ORDER BY ${ORDER[table]}) TO '${temp.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)`,
        );
        const journal: Journal = { output, inputs };
        await writeFile(join(dir, JOURNAL), JSON.stringify(journal));
        await fsyncPath(join(dir, JOURNAL));
        await fsyncPath(dir);
        await publishFile(temp, join(dir, output));
        await finish(dir, journal);
        partitions += 1;
        filesMerged += inputs.length;
        filesWritten += 1;
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { partitions, filesMerged, filesWritten };
}

/** Completes (merged file published) or rolls back (not published) an interrupted compaction. */
async function recover(dir: string): Promise<void> {
  let journal: Journal;
  try {
    journal = JSON.parse(await readFile(join(dir, JOURNAL), 'utf8')) as Journal;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readdir(dir)).includes(journal.output)) {
    await finish(dir, journal);
  } else {
    await rm(join(dir, `.${journal.output}.tmp`), { force: true });
    await rm(join(dir, JOURNAL), { force: true });
    await fsyncPath(dir);
  }
}

async function finish(dir: string, journal: Journal): Promise<void> {
  for (const input of journal.inputs) await rm(join(dir, input), { force: true });
  await rm(join(dir, JOURNAL), { force: true });
  await fsyncPath(dir);
}
