import { appendFile, copyFile, rename, stat, truncate } from 'node:fs/promises';

export type RotationMode = 'rename' | 'copytruncate';

export interface LogWriterSettings {
  readonly path: string;
  /** rotate when the file reaches this many bytes (0: never) */
  readonly rotateAtBytes: number;
  readonly rotation: RotationMode;
  /** rotated files kept: path.1 … path.N */
  readonly keep: number;
}

export interface LogWriter {
  /** Appends whole lines (each gets its newline) in one write, rotating first when the file is full. */
  append(lines: readonly string[]): Promise<void>;
  /** Rotates now, the way logrotate would. */
  rotate(): Promise<void>;
}

/** Writes access-log lines like a web server, and rotates the file like logrotate. */
export function createLogWriter(settings: LogWriterSettings): LogWriter {
  if (settings.keep < 1) throw new RangeError('keep must be at least 1');
  if (settings.rotateAtBytes < 0) throw new RangeError('rotateAtBytes must be 0 (never) or positive');
  const { path } = settings;

  async function rotate(): Promise<void> {
    for (let i = settings.keep - 1; i >= 1; i--) {
      await rename(`${path}.${i}`, `${path}.${i + 1}`).catch(ignoreMissing);
    }
    if (settings.rotation === 'rename') {
      await rename(path, `${path}.1`).catch(ignoreMissing);
    } else {
      // copytruncate: the writer keeps its file open; lines written between copy and truncate are
      // lost — logrotate's documented trade-off, which is why this writer never writes in between
      await copyFile(path, `${path}.1`).catch(ignoreMissing);
      await truncate(path, 0).catch(ignoreMissing);
    }
  }

  return {
    async append(lines) {
      if (lines.length === 0) return;
      if (settings.rotateAtBytes > 0) {
        const size = (await stat(path).catch(() => undefined))?.size ?? 0;
        if (size >= settings.rotateAtBytes) await rotate();
      }
      await appendFile(path, `${lines.join('\n')}\n`);
    },
    rotate,
  };
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
