import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { port, upMany } from 'docker-compose';
import type { InfrastructureComponent } from './components.ts';

const run = promisify(execFile);

/** A way to bring up components that the environment did not point at. */
export interface Provider {
  readonly name: string;
  /** Starts what it can; returns an address per component, or an error message for it. */
  provide(components: readonly InfrastructureComponent[]): Promise<ProvidedAddresses>;
}

export type ProvidedAddresses = Partial<
  Record<InfrastructureComponent, { address: string } | { error: string }>
>;

/** `docker info` exits 0 only when a Docker engine answers (the client alone is not enough). */
export async function dockerEngineAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Service names and container ports in infra/compose/base.yaml. */
const composeServices: Record<InfrastructureComponent, { service: string; containerPort: number }> = {
  kafka: { service: 'kafka', containerPort: 9092 },
  postgres: { service: 'postgres', containerPort: 5432 },
  redis: { service: 'redis', containerPort: 6379 },
  mqtt: { service: 'mosquitto', containerPort: 1883 },
};

/**
 * compose.yaml's project name: base.yaml alone would be project "compose" (its folder's name), which
 * asks for the host ports of a `streamkit` stack already running instead of reusing its containers.
 */
const composeProjectName = 'streamkit';

/** The base compose services (Docker engine required). Left running afterwards: later runs reuse them. */
export function composeProvider(repoRoot: string): Provider {
  const config = 'infra/compose/base.yaml';
  const composeOptions = ['-p', composeProjectName];
  return {
    name: 'docker compose',
    async provide(components) {
      const out: ProvidedAddresses = {};
      if (!existsSync(join(repoRoot, config))) {
        for (const c of components) out[c] = { error: `${config} not found` };
        return out;
      }
      const services = components.map((c) => composeServices[c].service);
      const up = await upMany(services, {
        cwd: repoRoot,
        config,
        composeOptions,
        commandOptions: ['--wait'],
      });
      if (up.exitCode !== 0) {
        for (const c of components) out[c] = { error: `docker compose up failed: ${up.err.trim()}` };
        return out;
      }
      for (const c of components) {
        const { service, containerPort } = composeServices[c];
        const mapped = await port(service, containerPort, { cwd: repoRoot, config, composeOptions });
        const host = `127.0.0.1:${mapped.data.port}`;
        out[c] = { address: addressFor(c, host) };
      }
      return out;
    },
  };
}

function addressFor(component: InfrastructureComponent, hostPort: string): string {
  switch (component) {
    case 'kafka':
      return hostPort;
    case 'postgres':
      return `postgres://postgres:postgres@${hostPort}/postgres`;
    case 'redis':
      return `redis://${hostPort}`;
    case 'mqtt':
      return `mqtt://${hostPort}`;
  }
}

/**
 * No Docker: Kafka from infra/kafka-local (a real broker from Maven jars; `start` is a no-op when it
 * already runs), PostgreSQL/Redis/Mosquitto at this machine's default addresses.
 */
export function localProvider(
  repoRoot: string,
  localAddresses: Record<InfrastructureComponent, string>,
  kafkaAlreadyUp: () => Promise<boolean>,
): Provider {
  const script = join(repoRoot, 'infra/kafka-local/kafka-local');
  return {
    name: 'local services',
    async provide(components) {
      const out: ProvidedAddresses = {};
      for (const c of components) {
        if (c !== 'kafka') {
          out[c] = { address: localAddresses[c] };
          continue;
        }
        if (await kafkaAlreadyUp()) {
          out.kafka = { address: localAddresses.kafka };
          continue;
        }
        if (!existsSync(script)) {
          out.kafka = { error: `no broker at ${localAddresses.kafka} and ${script} does not exist` };
          continue;
        }
        try {
          // first start may fetch jars with Maven and waits for readiness itself (up to ~90 s)
          await run(script, ['start'], { cwd: repoRoot, timeout: 180_000 });
          out.kafka = { address: localAddresses.kafka };
        } catch (error) {
          const detail =
            error instanceof Error && 'stderr' in error ? String(error.stderr).trim() : String(error);
          out.kafka = {
            error: `infra/kafka-local/kafka-local start failed: ${detail.split('\n').slice(-5).join(' | ')}`,
          };
        }
      }
      return out;
    },
  };
}
