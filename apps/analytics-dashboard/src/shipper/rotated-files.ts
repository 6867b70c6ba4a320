import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileCheckpoint } from './checkpoint-store.ts';
import { readFingerprint } from './file-identity.ts';

/**
 * Finds where the lines after `checkpoint` went when `path` was rotated: the renamed file itself
 * (same device and inode, e.g. access.log.1), or the copy copytruncate made (same first line, at
 * least `offset` bytes long). Looks at siblings named `<basename>*`, skipping compressed ones.
 * Returns an open handle, or undefined when nothing matches (the rotated file is gone).
 */
export async function findRotatedFile(
  path: string,
  checkpoint: FileCheckpoint,
): Promise<FileHandle | undefined> {
  const dir = dirname(path);
  const base = basename(path);
  const names = (await readdir(dir)).filter(
    (name) => name !== base && name.startsWith(base) && !/\.(gz|bz2|xz|zst|tmp)$/.test(name),
  );
  let copy: string | undefined;
  for (const name of names) {
    const candidate = join(dir, name);
    const info = await stat(candidate).catch(() => undefined);
    if (info === undefined || !info.isFile() || info.size < checkpoint.offset) continue;
    const handle = await open(candidate, 'r').catch(() => undefined);
    if (handle === undefined) continue;
    const fingerprint = await readFingerprint(handle);
    if (
      fingerprint === checkpoint.fingerprint &&
      info.dev === checkpoint.dev &&
      info.ino === checkpoint.ino
    ) {
      return handle; // renamed
    }
    await handle.close();
    if (fingerprint === checkpoint.fingerprint) copy ??= candidate;
  }
  return copy === undefined ? undefined : open(copy, 'r');
}
