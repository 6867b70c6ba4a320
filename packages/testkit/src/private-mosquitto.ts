import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';
import { waitFor } from './wait-for.ts';

/** Debian's path of Mosquitto 2's dynamic-security plugin (override with `pluginPath`). */
export const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';

export interface PrivateMosquittoOptions {
  /** The plugin's admin identity, created with `mosquitto_ctrl dynsec init` before the start. */
  readonly admin: { readonly username: string; readonly password: string };
  /** The broker's `max_packet_size` in bytes (default 256 KiB): a client sending more is disconnected. */
  readonly maxPacketSize?: number;
  readonly pluginPath?: string;
}

export interface PrivateMosquitto {
  /** mqtt://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The broker's log so far (connections refused, dynsec commands): for failure messages. */
  log(): string;
  /** Stops the broker and removes its directory. */
  stop(): Promise<void>;
}

/**
 * A Mosquitto of the test's own with authentication: the dynamic-security plugin, anonymous
 * clients refused, on a free port, its configuration and data in a temporary directory. The
 * shared broker on 1883 stays anonymous for every other test. Stop it in afterAll.
 */
export async function startPrivateMosquitto(options: PrivateMosquittoOptions): Promise<PrivateMosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'streamkit-mosquitto-'));
  const port = await freePort();
  const dynsecFile = join(dir, 'dynamic-security.json');
  await promisify(execFile)('mosquitto_ctrl', [
    'dynsec',
    'init',
    dynsecFile,
    options.admin.username,
    options.admin.password,
  ]);
  const config = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous false',
    `plugin ${options.pluginPath ?? DYNSEC_PLUGIN}`,
    `plugin_opt_config_file ${dynsecFile}`,
    `max_packet_size ${options.maxPacketSize ?? 256 * 1024}`,
    // as root mosquitto would switch to the `mosquitto` user, who cannot write the plugin's file here
    `user ${userInfo().username}`,
    'log_type all',
    'log_dest stdout',
  ].join('\n');
  await writeFile(join(dir, 'mosquitto.conf'), `${config}\n`);
  let output = '';
  const child: ChildProcess = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  try {
    await waitFor(listening, {
      timeoutMs: 10_000,
      message: `mosquitto on port ${port} (${output.trim().split('\n').at(-1) ?? 'no output'})`,
    });
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    log: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
