import {
  allComponents,
  componentFacts,
  type Infrastructure,
  type InfrastructureComponent,
  InfrastructureUnavailableError,
  type MissingComponent,
} from './components.ts';
import { type EnvironmentSource, readConfiguredAddresses } from './infrastructure-env.ts';
import { type Probe, probeKafka, probeMqtt, probePostgres, probeRedis } from './probes.ts';
import { composeProvider, dockerEngineAnswers, localProvider, type Provider } from './providers.ts';
import { findRepoRoot } from './repo-root.ts';
import { waitFor } from './wait-for.ts';

export interface EnsureInfrastructureOptions {
  readonly need: readonly InfrastructureComponent[];
  /** Where KAFKA_BROKERS, DATABASE_URL, REDIS_URL, MQTT_URL are read (default: the process environment, via @streamkit/config). */
  readonly environment?: EnvironmentSource;
  /** How long each needed component may take to answer (default 30 s). */
  readonly timeoutMs?: number;
  /** Progress lines (default: silent). */
  readonly log?: (line: string) => void;
  /** Injected for tests: is a Docker engine available? */
  readonly dockerAvailable?: () => Promise<boolean>;
  readonly repoRoot?: string;
}

const probes: Record<InfrastructureComponent, Probe> = {
  kafka: probeKafka,
  postgres: probePostgres,
  redis: probeRedis,
  mqtt: probeMqtt,
};

/**
 * Finds or starts every needed component and proves each answers: an address from the environment
 * wins; otherwise the base compose services when a Docker engine answers; otherwise
 * infra/kafka-local and this machine's local services. Throws one InfrastructureUnavailableError
 * naming everything missing and how to provide it.
 */
export async function ensureInfrastructure(options: EnsureInfrastructureOptions): Promise<Infrastructure> {
  const need = [...new Set(options.need)];
  for (const c of need) {
    if (!allComponents.includes(c))
      throw new TypeError(`ensureInfrastructure: unknown component ${JSON.stringify(c)}`);
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.log ?? (() => undefined);
  const configured = readConfiguredAddresses(options.environment);
  const local = Object.fromEntries(allComponents.map((c) => [c, componentFacts[c].localAddress])) as Record<
    InfrastructureComponent,
    string
  >;

  const addresses = new Map<InfrastructureComponent, { address: string; origin: string }>();
  const missing: MissingComponent[] = [];
  for (const c of need) {
    const fromEnv = configured[c];
    if (fromEnv !== undefined)
      addresses.set(c, { address: fromEnv, origin: `from ${componentFacts[c].envVar}` });
  }

  const unset = need.filter((c) => !addresses.has(c));
  if (unset.length > 0) {
    const root = options.repoRoot ?? findRepoRoot();
    const useDocker = await (options.dockerAvailable ?? dockerEngineAnswers)();
    const provider: Provider = useDocker
      ? composeProvider(root)
      : localProvider(root, local, () => reachable('kafka', local.kafka, 1500));
    log(`testkit: providing ${unset.join(', ')} with ${provider.name}`);
    const provided = await provider.provide(unset);
    for (const c of unset) {
      const result = provided[c];
      if (result !== undefined && 'address' in result) {
        addresses.set(c, { address: result.address, origin: `via ${provider.name}` });
      } else {
        const reason = result?.error ?? 'not provided';
        missing.push({
          component: c,
          tried: `${componentFacts[c].envVar} unset`,
          reason,
          remedy: componentFacts[c].remedy,
        });
      }
    }
  }

  await Promise.all(
    [...addresses].map(async ([c, { address, origin }]) => {
      try {
        await waitFor(() => probes[c](address, Math.min(5000, timeoutMs)).then(() => true), {
          timeoutMs,
          intervalMs: 250,
          message: `${c} at ${address}`,
        });
        log(`testkit: ${c} answers at ${address} (${origin})`);
      } catch (error) {
        const last =
          error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
        missing.push({
          component: c,
          tried: `${address} (${origin})`,
          reason: `not reachable within ${timeoutMs} ms (${last || 'no answer'})`,
          remedy: componentFacts[c].remedy,
        });
      }
    }),
  );
  if (missing.length > 0) {
    missing.sort((a, b) => allComponents.indexOf(a.component) - allComponents.indexOf(b.component));
    throw new InfrastructureUnavailableError(missing);
  }

  const addressOf = (c: InfrastructureComponent) => addresses.get(c)?.address ?? configured[c] ?? local[c];
  return {
    kafkaBrokers: addressOf('kafka').split(','),
    databaseUrl: addressOf('postgres'),
    redisUrl: addressOf('redis'),
    mqttUrl: addressOf('mqtt'),
    provided: need,
  };
}

async function reachable(
  component: InfrastructureComponent,
  address: string,
  attemptMs: number,
): Promise<boolean> {
  try {
    await probes[component](address, attemptMs);
    return true;
  } catch {
    return false;
  }
}
