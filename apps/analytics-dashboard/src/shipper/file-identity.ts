import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * Who a log file is, independent of its name: device + inode + a fingerprint of its first line.
 * The inode follows a file through a rename; the fingerprint tells a truncated-and-rewritten file
 * (same inode, new content) from the old one, and finds the copy that copytruncate made.
 */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly fingerprint: string;
}

/** The first line is read at most this far; longer first lines are fingerprinted by this prefix. */
const FINGERPRINT_BYTES = 1024;

/** The fingerprint of the file's first line, or undefined while the file has no complete line yet. */
export async function readFingerprint(handle: FileHandle): Promise<string | undefined> {
  const buffer = Buffer.alloc(FINGERPRINT_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, FINGERPRINT_BYTES, 0);
  const newline = buffer.subarray(0, bytesRead).indexOf(10);
  if (newline === -1 && bytesRead < FINGERPRINT_BYTES) return undefined;
  const firstLine = buffer.subarray(0, newline === -1 ? bytesRead : newline);
  return createHash('sha1').update(firstLine).digest('hex').slice(0, 12);
}

export async function identify(handle: FileHandle): Promise<FileIdentity | undefined> {
  const [stat, fingerprint] = await Promise.all([handle.stat(), readFingerprint(handle)]);
  return fingerprint === undefined ? undefined : { dev: stat.dev, ino: stat.ino, fingerprint };
}

export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.fingerprint === b.fingerprint;
}

/** A line's id: its file's identity and its byte offset — stable across restarts and rotations. */
export function lineId(identity: FileIdentity, offset: number): string {
  return `f.${identity.dev}-${identity.ino}-${identity.fingerprint}.${offset}`;
}
