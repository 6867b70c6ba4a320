import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CheckpointError } from './errors.ts';
import type { FileIdentity } from './file-identity.ts';

/** Where a tailed path stands: the file it was reading and the byte offset Kafka acknowledged up to. */
export interface FileCheckpoint extends FileIdentity {
  readonly offset: number;
}

export interface CheckpointStore {
  get(path: string): FileCheckpoint | undefined;
  /** Records the position and makes it durable before resolving. */
  save(path: string, checkpoint: FileCheckpoint): Promise<void>;
}

interface CheckpointFile {
  readonly version: 1;
  readonly files: Record<string, FileCheckpoint>;
}

/**
 * Checkpoints of every tailed path in one JSON file, replaced atomically: written to a temp file,
 * fsynced, renamed over the old one, and the directory fsynced, so a crash (even kill -9 or power
 * loss) leaves either the old or the new content. Saves are serialized.
 */
export async function openCheckpointStore(file: string): Promise<CheckpointStore> {
  const entries = new Map<string, FileCheckpoint>();
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as CheckpointFile;
    if (parsed.version !== 1 || typeof parsed.files !== 'object')
      throw new Error('unknown checkpoint format');
    for (const [path, checkpoint] of Object.entries(parsed.files)) entries.set(path, checkpoint);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CheckpointError(`cannot read checkpoint file ${file}`, error);
    }
  }
  await mkdir(dirname(file), { recursive: true });
  let queue: Promise<void> = Promise.resolve();

  async function persist(): Promise<void> {
    const body: CheckpointFile = { version: 1, files: Object.fromEntries(entries) };
    const temp = `${file}.tmp`;
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(JSON.stringify(body));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
      const dir = await open(dirname(file), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (error) {
      throw new CheckpointError(`cannot write checkpoint file ${file}`, error);
    }
  }

  return {
    get: (path) => entries.get(path),
    save(path, checkpoint) {
      entries.set(path, checkpoint);
      const next = queue.then(persist);
      queue = next.catch(() => {});
      return next;
    },
  };
}
