import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { ServiceSpec } from '../compose/types.ts';
import { splice } from '../network/netns-relay.ts';
import type { StandIn } from '../network/project-network.ts';
import { canConnect } from './machine-service.ts';

/** Debian's path of Mosquitto 2's dynamic-security plugin (the image has it in /usr/lib). */
const DYNSEC_PLUGIN = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';
const CONFIG_TARGET = '/mosquitto/config/mosquitto.conf';

export interface PrivateMosquittoStandIn extends StandIn {
  /** mqtt://127.0.0.1:<port> of the broker once it listens (the checks connect there). */
  brokerUrl(): string | undefined;
}

/**
 * The compose `mosquitto` played by a mosquitto process of the rehearsal's own, run with the
 * compose file's mosquitto.conf: only the paths (listener, plugin, its file, persistence) are
 * this machine's. With the dynamic-security plugin, the plugin's file is created first with the
 * admin identity of the service's environment, as the image's init-dynsec.sh does. Undefined when
 * the service mounts no mosquitto.conf (then this machine's broker plays it).
 */
export function privateMosquitto(service: ServiceSpec): PrivateMosquittoStandIn | undefined {
  const mount = service.volumes.find((v) => v.type === 'bind' && v.target === CONFIG_TARGET);
  if (mount?.source === undefined) return undefined;
  const original = readFileSync(mount.source, 'utf8');
  let child: ChildProcess | undefined;
  let port: number | undefined;
  let dir: string | undefined;

  async function start(): Promise<number> {
    const free = createServer().listen(0, '127.0.0.1');
    await once(free, 'listening');
    const address = free.address();
    free.close();
    if (address === null || typeof address === 'string') throw new Error('no free port');
    const brokerPort = address.port;
    const workDir = mkdtempSync(join(tmpdir(), 'rehearsal-mosquitto-'));
    dir = workDir;
    const dynsecFile = join(workDir, 'dynamic-security.json');
    let dynsec = false;
    const lines = original.split('\n').map((line) => {
      const [key] = line.trim().split(/\s+/);
      switch (key) {
        case 'listener':
          return `listener ${brokerPort} 127.0.0.1`;
        case 'plugin':
          dynsec = line.includes('dynamic_security');
          return `plugin ${DYNSEC_PLUGIN}`;
        case 'plugin_opt_config_file':
          return `plugin_opt_config_file ${dynsecFile}`;
        case 'persistence_location':
          return `persistence_location ${workDir}/`;
        default:
          return line;
      }
    });
    if (dynsec) {
      const { MQTT_ADMIN_USERNAME: user, MQTT_ADMIN_PASSWORD: password } = service.environment;
      if (!user || !password) throw new Error('mosquitto: MQTT_ADMIN_USERNAME/PASSWORD not set');
      execFileSync('mosquitto_ctrl', ['dynsec', 'init', dynsecFile, user, password], { stdio: 'ignore' });
    }
    // as root mosquitto would switch to the `mosquitto` user, who cannot write the plugin's file here
    lines.push(`user ${userInfo().username}`);
    writeFileSync(join(workDir, 'mosquitto.conf'), `${lines.join('\n')}\n`);
    child = spawn('mosquitto', ['-c', join(workDir, 'mosquitto.conf')], { stdio: 'ignore' });
    return brokerPort;
  }

  function stop(): void {
    const workDir = dir;
    const remove = () => {
      if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
    };
    // mosquitto writes its persistence and the plugin's file as it exits: remove the directory
    // after that, or the removal races the writes (ENOTEMPTY)
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) {
      remove();
      return;
    }
    child.once('exit', remove);
    child.kill('SIGTERM');
  }

  return {
    service: service.name,
    description: `a mosquitto of its own with the compose file's mosquitto.conf (${mount.source})`,
    ports: [1883],
    brokerUrl: () => (port === undefined ? undefined : `mqtt://127.0.0.1:${port}`),
    async listen(path) {
      port = await start();
      const target = port;
      const server = createServer((client) => splice(client, createConnection(target, '127.0.0.1')));
      server.on('close', stop);
      server.listen(path);
      await once(server, 'listening');
      return server;
    },
    async ready() {
      // the stand-in's "healthcheck": the broker listens (waited for up to 10 s)
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        if (port !== undefined && (await canConnect({ host: '127.0.0.1', port }))) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    },
  };
}
