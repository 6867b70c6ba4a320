import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LakeDatabase, openLakeDatabase } from '../src/analytics/lake-database.ts';
import { compactLake } from '../src/compaction/compact.ts';
import { createLakeWriter } from '../src/lake/parquet-writer.ts';
import { LAKE_TABLES } from '../src/lake/paths.ts';
import { writeSampleLake } from './analytics.support.ts';
import { reading } from './processor.harness.ts';

let lakeDir: string;
let lake: LakeDatabase;
const END_MS = Date.parse('2026-03-02T10:30:00.000Z');

beforeAll(async () => {
  lakeDir = await mkdtemp(join(tmpdir(), 'iot-compaction-'));
  // 6 devices × 90 minutes: one file per device per hour partition, in two hour partitions
  await writeSampleLake(lakeDir, 6, 90, END_MS);
  // a batch not checkpointed yet (offsets 900000…): compaction must leave it alone
  const writer = await createLakeWriter(lakeDir);
  const r = reading('an-dev-0', 9999, END_MS - 1000, 25);
  await writer.writeRaw({ topic: 't', partition: 0, first: 900_000n, last: 900_000n }, [
    { reading: r, tsMs: END_MS - 1000, late: false, partition: 0, offset: '900000' },
  ]);
  writer.close();
  lake = await openLakeDatabase(lakeDir);
});
afterAll(async () => {
  lake?.close();
  await rm(lakeDir, { recursive: true, force: true });
});

async function fileCount(): Promise<number> {
  let n = 0;
  for (const table of LAKE_TABLES) {
    for (const date of await readdir(join(lakeDir, table))) {
      for (const hour of await readdir(join(lakeDir, table, date))) {
        n += (await readdir(join(lakeDir, table, date, hour))).filter((f) => f.endsWith('.parquet')).length;
      }
    }
  }
  return n;
}

const QUERIES = [
  'SELECT * FROM raw ORDER BY device_id, ts, seq',
  'SELECT * FROM windows ORDER BY device_id, window_start',
  'SELECT * FROM alerts ORDER BY alert_id',
  'SELECT device_id, count(*) AS n, sum(temperature) AS t, max(ts) AS last FROM raw GROUP BY device_id ORDER BY device_id',
  `SELECT date_trunc('hour', window_start) AS h, sum(reading_count) AS n, avg(temperature_mean) AS m FROM windows GROUP BY h ORDER BY h`,
];

describe('lake compaction', () => {
  it('merges small files per partition and every query answers exactly as before', async () => {
    const before = await Promise.all(QUERIES.map((q) => lake.query(q)));
    const filesBefore = await fileCount();
    expect(before[0]?.length).toBe(6 * 90 * 6 + 1);

    const summary = await compactLake({
      lakeDir,
      minFiles: 2,
      isCommitted: (range) => range.first < 900_000n,
    });
    expect(summary.filesWritten).toBeGreaterThan(0);
    const filesAfter = await fileCount();
    expect(filesAfter).toBeLessThan(filesBefore);
    expect(filesAfter).toBe(summary.filesWritten + 1 + (filesBefore - summary.filesMerged - 1));

    const after = await Promise.all(QUERIES.map((q) => lake.query(q)));
    expect(after).toEqual(before);

    // the uncommitted batch file is still there under its own name
    const rawDirs = await readdir(join(lakeDir, 'raw'));
    const names = (
      await Promise.all(
        rawDirs.flatMap(async (d) => (await readdir(join(lakeDir, 'raw', d))).map((h) => join(d, h))),
      )
    ).flat();
    const all = (await Promise.all(names.map((n) => readdir(join(lakeDir, 'raw', n))))).flat();
    expect(all).toContain('t~p0~900000-900000.parquet');

    // a second run finds nothing more to merge beyond the merged files and the pending one
    const again = await compactLake({ lakeDir, minFiles: 2, isCommitted: (range) => range.first < 900_000n });
    expect(again.filesWritten).toBe(0);
    expect(await Promise.all(QUERIES.map((q) => lake.query(q)))).toEqual(before);
  });
});
