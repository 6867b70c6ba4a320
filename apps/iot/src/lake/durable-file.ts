import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Flushes a file (or directory entry list) to stable storage. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Publishes a fully written temporary file under its final name: fsync the data, rename (atomic
 * within a directory: readers see the old file or the new one, never half of one), then fsync
 * the directory so the rename itself survives a crash. Not once `signal` is aborted (the writer
 * lost the right to write): the temporary file is removed and the reason thrown.
 */
export async function publishFile(tempPath: string, finalPath: string, signal?: AbortSignal): Promise<void> {
  try {
    await fsyncPath(tempPath);
    signal?.throwIfAborted();
    await rename(tempPath, finalPath);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  await fsyncPath(dirname(finalPath));
}
