import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { partitionDir } from '../lake/paths.ts';

export interface LakeRow {
  readonly deviceId: string;
  readonly seq: number;
}

export interface LakeWatcherSettings {
  readonly lakeDir: string;
  /** Only rows whose device id starts with this are reported (the run's own devices). */
  readonly devicePrefix: string;
  readonly pollMs: number;
  /** Called once per new raw file, with the time it was first seen (before it was queried). */
  readonly onRows: (rows: readonly LakeRow[], seenAt: number) => void;
  readonly onError: (error: unknown) => void;
  readonly now: () => number;
}

export interface LakeWatcher {
  stop(): Promise<void>;
}

/**
 * Watches the lake's raw table for batch files that appear (the processor renames a file into place
 * only once it is durable, so a listed file is what a DuckDB query of the lake sees) and reads the
 * run's rows from each new file with DuckDB. Only the hour partitions of now and the previous hour
 * are listed: the scenario's readings carry their send time, so older partitions cannot get them.
 */
export async function startLakeWatcher(settings: LakeWatcherSettings): Promise<LakeWatcher> {
  if (!(Number.isInteger(settings.pollMs) && settings.pollMs >= 1)) {
    throw new RangeError(`pollMs must be an integer >= 1, got ${settings.pollMs}`);
  }
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  const seen = new Set<string>();
  let stopped = false;

  async function listRecent(): Promise<string[]> {
    const nowMs = Date.now();
    const dirs = new Set([
      partitionDir(settings.lakeDir, 'raw', nowMs),
      partitionDir(settings.lakeDir, 'raw', nowMs - 3_600_000),
    ]);
    const files: string[] = [];
    for (const dir of dirs) {
      const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[];
        throw error;
      });
      for (const name of names)
        if (name.endsWith('.parquet') && !name.startsWith('.')) files.push(join(dir, name));
    }
    return files;
  }

  async function readRows(path: string): Promise<LakeRow[]> {
    const prefix = settings.devicePrefix.replaceAll("'", "''");
    const result = await connection.runAndReadAll(
      `SELECT device_id, seq FROM read_parquet('${path.replaceAll("'", "''")}') WHERE starts_with(device_id, '${prefix}')`,
    );
    return result.getRows().map(([deviceId, seq]) => ({ deviceId: String(deviceId), seq: Number(seq) }));
  }

  // files already there belong to earlier runs
  for (const path of await listRecent()) seen.add(path);

  const loop = (async () => {
    while (!stopped) {
      try {
        const fresh = (await listRecent()).filter((p) => !seen.has(p));
        const seenAt = settings.now();
        for (const path of fresh) {
          seen.add(path);
          const rows = await readRows(path);
          if (rows.length > 0) settings.onRows(rows, seenAt);
        }
      } catch (error) {
        settings.onError(error);
      }
      await new Promise((resolve) => setTimeout(resolve, settings.pollMs));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
      connection.closeSync();
      instance.closeSync();
    },
  };
}
