import { type FileHandle, open, stat } from 'node:fs/promises';
import type { CheckpointStore, FileCheckpoint } from './checkpoint-store.ts';
import { type FileIdentity, identify, lineId, sameFile } from './file-identity.ts';
import type { RawLine } from './line-sender.ts';
import { createOrderedCommits } from './ordered-commits.ts';
import { findRotatedFile } from './rotated-files.ts';

/** a line worth shipping has something besides whitespace (tested without copying the line) */
const NON_BLANK = /\S/;

/** Batches a tailer sends before the oldest is acknowledged, unless its settings say otherwise. */
export const DEFAULT_BATCHES_IN_FLIGHT = 2;

/**
 * The most lines a tailer may have buffered in the producer at once: the batches in flight and the
 * one being submitted when it waits for the oldest (createOrderedCommits waits past `limit`).
 */
export function tailerLinesInFlight(
  maxBatchLines: number,
  batchesInFlight = DEFAULT_BATCHES_IN_FLIGHT,
): number {
  return maxBatchLines * (batchesInFlight + 1);
}

export interface TailerSettings {
  /** most lines per Kafka batch (bounds the lines in flight per file) */
  readonly maxBatchLines: number;
  /** bytes read per read() call */
  readonly readChunkBytes: number;
  /** batches sent before the oldest is acknowledged (parsing overlaps the broker's round trip) */
  readonly maxBatchesInFlight?: number;
}

/** Ships a batch and resolves once Kafka acknowledged it (the tailer then advances its checkpoint). */
export type ShipBatch = (lines: readonly RawLine[]) => Promise<void>;

export interface FileTailer {
  /** Reads what was appended (and what rotation moved away) and ships it; returns the lines shipped. */
  poll(): Promise<number>;
  close(): Promise<void>;
}

interface Reading {
  readonly handle: FileHandle;
  /** the identity the ids are made of: the original file's, also while draining a copytruncate copy */
  readonly identity: FileIdentity;
  /** acknowledged and checkpointed up to here */
  offset: number;
  /** read (and handed to Kafka) up to here; back to `offset` when a batch fails */
  readOffset: number;
}

/**
 * Follows one log path: resumes from its checkpoint, ships complete lines in batches, advances the
 * checkpoint only after Kafka acknowledged a batch, and follows rotation — by rename (the old
 * inode is read to its end before the new file) and by copytruncate (the rest is read from the
 * copy). A restart at any moment neither loses nor skips lines; lines acknowledged but not yet
 * checkpointed are sent again with the same ids, which the sink deduplicates.
 */
export function createFileTailer(
  path: string,
  checkpoints: CheckpointStore,
  ship: ShipBatch,
  settings: TailerSettings,
): FileTailer {
  let current: Reading | undefined;
  let resumed = false;
  const commits = createOrderedCommits(settings.maxBatchesInFlight ?? DEFAULT_BATCHES_IN_FLIGHT);
  // reads are sequential (poll is awaited before the next one), so one buffer serves them all
  let readBuffer: Buffer | undefined;

  /** Reads from `readOffset` to the end of the file and ships it; resolves once all of it is acknowledged. */
  async function readToEnd(reading: Reading): Promise<number> {
    try {
      const shipped = await dispatchToEnd(reading);
      await commits.drain();
      return shipped;
    } catch (error) {
      await commits.drain().catch(() => {});
      reading.readOffset = reading.offset; // re-read what was not acknowledged
      throw error;
    }
  }

  async function dispatchToEnd(reading: Reading): Promise<number> {
    let shipped = 0;
    for (;;) {
      // one buffer per tailer, reused: batches hold the lines as strings (copies), never the
      // buffer, and a fresh 1 MiB per read — two a poll when idle — kept V8 collecting (a third
      // of the shipper's CPU in a profile at 2,000 lines/s)
      readBuffer ??= Buffer.allocUnsafe(settings.readChunkBytes);
      const buffer = readBuffer;
      const { bytesRead } = await reading.handle.read(buffer, 0, buffer.length, reading.readOffset);
      if (bytesRead === 0) return shipped;
      const base = reading.readOffset;
      const chunk = buffer.subarray(0, bytesRead);
      const lastNewline = chunk.lastIndexOf(10);
      if (lastNewline === -1) {
        // a line longer than a chunk cannot be completed in the buffer: ship it cut, not stall forever
        if (bytesRead < buffer.length) return shipped;
      }
      const end = lastNewline === -1 ? bytesRead : lastNewline + 1;
      let batch: RawLine[] = [];
      let start = 0;
      while (start < end) {
        const newline = chunk.indexOf(10, start);
        const stop = newline === -1 || newline >= end ? end : newline + 1;
        let text = chunk.toString('utf8', start, newline === -1 || newline >= end ? end : newline);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (NON_BLANK.test(text))
          batch.push({ text, id: lineId(reading.identity, base + start), file: path });
        start = stop;
        if (batch.length >= settings.maxBatchLines) {
          shipped += await dispatch(reading, batch, base + start);
          batch = [];
        }
      }
      shipped += await dispatch(reading, batch, base + end);
      if (bytesRead < buffer.length) return shipped;
    }
  }

  async function dispatch(reading: Reading, batch: readonly RawLine[], endOffset: number): Promise<number> {
    reading.readOffset = endOffset;
    await commits.submit(
      () => (batch.length > 0 ? ship(batch) : Promise.resolve()),
      async () => {
        reading.offset = endOffset;
        await checkpoints.save(path, { ...reading.identity, offset: endOffset });
      },
    );
    return batch.length;
  }

  /** Reads the lines after the checkpoint from where rotation put them. */
  async function drainRotated(checkpoint: FileCheckpoint): Promise<number> {
    const handle = await findRotatedFile(path, checkpoint);
    if (handle === undefined) return 0;
    try {
      const { offset, ...identity } = checkpoint;
      return await readToEnd({ handle, identity, offset, readOffset: offset });
    } finally {
      await handle.close();
    }
  }

  async function openCurrent(): Promise<number> {
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (handle === undefined) return 0;
    const identity = await identify(handle);
    const checkpoint = checkpoints.get(path);
    if (identity === undefined) {
      // no complete line yet: nothing to ship here, but a file rotated away may still hold lines
      const { ino, dev } = await handle.stat();
      await handle.close();
      if (checkpoint === undefined || resumed || (ino === checkpoint.ino && dev === checkpoint.dev)) return 0;
      resumed = true;
      return drainRotated(checkpoint);
    }
    let shipped = 0;
    let offset = 0;
    if (checkpoint !== undefined && sameFile(checkpoint, identity)) {
      const { size } = await handle.stat();
      if (size >= checkpoint.offset) offset = checkpoint.offset;
      else shipped += await drainRotated(checkpoint); // truncated in place while we were away
    } else if (checkpoint !== undefined && !resumed) {
      shipped += await drainRotated(checkpoint); // rotated while we were away
    }
    resumed = true;
    current = { handle, identity, offset, readOffset: offset };
    return shipped;
  }

  /** After reading to the end: has the path moved on to another file, or been truncated? */
  async function followRotation(reading: Reading): Promise<number> {
    const info = await stat(path).catch(() => undefined);
    const renamed =
      info === undefined || info.ino !== reading.identity.ino || info.dev !== reading.identity.dev;
    if (renamed) {
      const shipped = await readToEnd(reading); // lines written just before the rename
      await reading.handle.close();
      current = undefined;
      return shipped + (info === undefined ? 0 : await openAndRead());
    }
    return (await truncated(reading)) ? afterTruncation(reading) : 0;
  }

  /** Has the open file been truncated (copytruncate) since we read it — shorter, or a new first line? */
  async function truncated(reading: Reading): Promise<boolean> {
    const { size } = await reading.handle.stat();
    if (size < reading.readOffset) return true;
    const now = await identify(reading.handle);
    return now !== undefined ? !sameFile(now, reading.identity) : reading.readOffset > 0;
  }

  /** copytruncate: the rest of the old content is in the copy; the path starts over. */
  async function afterTruncation(reading: Reading): Promise<number> {
    const shipped = await drainRotated({ ...reading.identity, offset: reading.readOffset });
    await reading.handle.close();
    current = undefined;
    return shipped + (await openAndRead());
  }

  /** Opens the file now at the path (after a rotation) and reads what it already holds. */
  async function openAndRead(): Promise<number> {
    const shipped = await openCurrent();
    return current === undefined ? shipped : shipped + (await readToEnd(current));
  }

  return {
    async poll() {
      // a truncated file is checked before reading: new content must not be read at the old offset
      if (current !== undefined && (await truncated(current))) return afterTruncation(current);
      const shipped = current === undefined ? await openAndRead() : await readToEnd(current);
      return current === undefined ? shipped : shipped + (await followRotation(current));
    },
    async close() {
      await current?.handle.close();
      current = undefined;
    },
  };
}
