import { execFile } from 'node:child_process';
import { chmod, mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LockedDirectory {
  /** What writing into it fails with: EACCES (mode 0500), or EPERM where root had to use the immutable flag. */
  readonly code: 'EACCES' | 'EPERM';
  /** Makes it writable again. */
  unlock(): Promise<void>;
}

/**
 * Makes `dir` (created if missing) unwritable for this process, to test what a service does when its
 * data directory's permissions break. Root ignores file modes, so as root it sets the immutable flag
 * (`chattr +i`, ext4/xfs/btrfs) instead. Unlock it in a finally block.
 */
export async function lockDirectory(dir: string): Promise<LockedDirectory> {
  await mkdir(dir, { recursive: true });
  if (process.getuid?.() !== 0) {
    await chmod(dir, 0o500);
    return { code: 'EACCES', unlock: () => chmod(dir, 0o700) };
  }
  await run('chattr', ['+i', dir]);
  return {
    code: 'EPERM',
    async unlock() {
      await run('chattr', ['-i', dir]);
    },
  };
}
