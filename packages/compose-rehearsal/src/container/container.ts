import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogBuffer } from './log-buffer.ts';

/**
 * Directories of this machine that a container sees with the image's files laid over them (an
 * overlay mount with a writable layer of the container's own). The image's /app is not among them:
 * the rehearsal runs without chroot, so /app is `<image root>/app` (see `hostPath`).
 */
export const LAYERED_DIRS = ['/var', '/home', '/usr/local'] as const;

export interface ContainerMount {
  /** Path inside the container (under one of LAYERED_DIRS). */
  readonly target: string;
  /** Directory on this machine mounted there. */
  readonly source: string;
  readonly readOnly: boolean;
}

export interface ContainerSettings {
  readonly name: string;
  /** This container's directory (scripts, writable layers, log). */
  readonly dir: string;
  /** The image's filesystem root, and the base image's (Node.js) layer under it. */
  readonly imageRoot: string;
  readonly baseLayer: string;
  /** The project network's namespace handle and this container's /etc/hosts. */
  readonly netns: string;
  readonly hostsFile: string;
  readonly hostname: string;
  readonly mounts: readonly ContainerMount[];
  /** The process's whole environment (image ENV, then the compose service's environment). */
  readonly env: Readonly<Record<string, string>>;
  readonly argv: readonly string[];
  /** Container path of the working directory (e.g. /app/apps/iot). */
  readonly workdir: string;
  readonly uid: number;
  readonly gid: number;
}

export interface ExecResult {
  readonly exitCode: number | null;
  readonly output: string;
  readonly timedOut: boolean;
}

/** The running main process of a container; `exited` settles with its exit code (signal: 128+n). */
export interface ContainerProcess {
  readonly pid: number;
  readonly exited: Promise<number>;
}

/**
 * A container as local processes: its main process runs in the project network's namespace, in a
 * mount namespace of its own (image layers over this machine's /var, /home and /usr/local, its
 * volumes, its /etc/hosts) with its own host name, from the image's WORKDIR, as the image's user
 * (setpriv drops root: no capabilities, no supplementary groups). `exec` runs a command the way
 * `docker exec` does: inside those namespaces, as that user, with that environment and directory.
 */
export class Container {
  readonly settings: ContainerSettings;
  readonly logs: LogBuffer;
  private current: ChildProcess | undefined;

  constructor(settings: ContainerSettings) {
    this.settings = settings;
    mkdirSync(settings.dir, { recursive: true, mode: 0o755 });
    this.logs = new LogBuffer(join(settings.dir, 'container.log'));
    writeFileSync(join(settings.dir, 'hosts'), settings.hostsFile, { mode: 0o644 });
    writeFileSync(join(settings.dir, 'start.sh'), this.startScript(), { mode: 0o644 });
  }

  /** The path on this machine of a container path (only /app differs: the image root's copy). */
  hostPath(containerPath: string): string {
    return containerPath === '/app' || containerPath.startsWith('/app/')
      ? join(this.settings.imageRoot, containerPath)
      : containerPath;
  }

  start(): ContainerProcess {
    const child = spawn(
      'nsenter',
      [
        `--net=${this.settings.netns}`,
        '--',
        'unshare',
        '--mount',
        '--uts',
        '--propagation',
        'private',
        '--',
        '/bin/sh',
        join(this.settings.dir, 'start.sh'),
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.current = child;
    child.stdout?.on('data', (chunk: Buffer) => this.logs.write(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.logs.write(chunk));
    const exited = new Promise<number>((resolve) => {
      child.once('error', (error) => {
        this.logs.write(Buffer.from(`rehearsal: cannot start: ${error.message}\n`));
        resolve(127);
      });
      child.once('close', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
    });
    return { pid: child.pid ?? -1, exited };
  }

  /** `docker stop`: SIGTERM, then SIGKILL after `graceMs`. Resolves with whether SIGKILL was needed. */
  async stop(graceMs: number): Promise<boolean> {
    const child = this.current;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return false;
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, graceMs);
    await closed;
    clearTimeout(timer);
    return killed;
  }

  /** Runs argv in the running container; kills it (and what it started) after `timeoutMs`. */
  exec(argv: readonly string[], timeoutMs: number): Promise<ExecResult> {
    const pid = this.current?.pid;
    if (pid === undefined)
      return Promise.resolve({ exitCode: null, output: 'container not running', timedOut: false });
    const child = spawn(
      'nsenter',
      [
        `--target=${pid}`,
        '--net',
        '--mount',
        '--uts',
        `--wdns=${this.hostPath(this.settings.workdir)}`,
        '--',
        ...this.userCommand(argv),
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const collect = (chunk: Buffer) => {
      // Docker keeps the first 4 KiB of a probe's output
      if (output.length < 4096) output += chunk.toString();
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return new Promise((resolve) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
      }, timeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        resolve({ exitCode: null, output: error.message, timedOut: false });
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ exitCode: timedOut ? null : code, output: output.slice(0, 4096), timedOut });
      });
    });
  }

  /** env -i <environment> setpriv <user> -- argv: exactly the container's environment, as its user. */
  private userCommand(argv: readonly string[]): string[] {
    const { env, uid, gid } = this.settings;
    return [
      '/usr/bin/env',
      '-i',
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      '/usr/bin/setpriv',
      `--reuid=${uid}`,
      `--regid=${gid}`,
      '--clear-groups',
      // the process dies with the rehearsal, however the rehearsal ends
      '--pdeathsig=SIGKILL',
      '--',
      ...argv,
    ];
  }

  private startScript(): string {
    const s = this.settings;
    const lines = [
      'set -e',
      `hostname ${q(s.hostname)}`,
      `mount --bind ${q(join(s.dir, 'hosts'))} /etc/hosts`,
    ];
    for (const dir of LAYERED_DIRS) {
      const lower = [join(s.imageRoot, dir), join(s.baseLayer, dir)].filter((d) => existsSync(d));
      if (lower.length === 0) continue;
      const name = dir.slice(1).replaceAll('/', '_');
      const upper = join(s.dir, 'layer', name, 'upper');
      const work = join(s.dir, 'layer', name, 'work');
      mkdirSync(upper, { recursive: true });
      mkdirSync(work, { recursive: true });
      lines.push(
        `mount -t overlay overlay -o ${q(`lowerdir=${[...lower, dir].join(':')},upperdir=${upper},workdir=${work}`)} ${dir}`,
      );
    }
    for (const m of s.mounts) {
      // Docker creates a missing mount point (root-owned) in the container's writable layer
      lines.push(`mkdir -p ${q(m.target)}`, `mount --bind ${q(m.source)} ${q(m.target)}`);
      if (m.readOnly) lines.push(`mount -o remount,bind,ro ${q(m.target)}`);
    }
    lines.push(`cd ${q(this.hostPath(s.workdir))}`, `exec ${this.userCommand(s.argv).map(q).join(' ')}`);
    return `${lines.join('\n')}\n`;
  }
}

function q(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = {
    SIGKILL: 9,
    SIGTERM: 15,
    SIGINT: 2,
    SIGABRT: 6,
    SIGSEGV: 11,
  };
  return signal === null ? 0 : (numbers[signal] ?? 0);
}
