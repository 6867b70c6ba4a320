import type { ServiceSpec } from '../compose/types.ts';
import type { StandIn } from '../network/project-network.ts';
import { hostPortOf, machineService } from './machine-service.ts';
import { otlpRecorder } from './otlp-recorder.ts';
import { privateMosquitto } from './private-mosquitto.ts';

/** Where this machine's Kafka, PostgreSQL, Redis and Mosquitto answer (KAFKA_BROKERS, DATABASE_URL, …). */
export interface MachineInfrastructure {
  readonly kafkaBrokers: readonly string[];
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly mqttUrl: string;
}

/**
 * The compose services played by something other than their image: the base infrastructure by this
 * machine's own services (the compose service's container ports relayed to them), the OTel
 * Collector by a recorder of the spans sent to it. Matched by service name and image, so a renamed
 * or replaced service is not silently taken for one of these.
 */
export function standInFor(service: ServiceSpec, infra: MachineInfrastructure): StandIn | undefined {
  const image = service.image ?? '';
  switch (service.name) {
    case 'kafka': {
      if (!image.startsWith('apache/kafka:')) return undefined;
      const broker = hostPortOf(infra.kafkaBrokers[0] as string, 9092);
      return machineService({
        service: service.name,
        what: 'Kafka',
        // INTERNAL (containers, kafka:19092) and EXTERNAL listeners of infra/compose/base.yaml
        ports: [19092, 9092],
        target: broker,
        // the machine's broker advertises its own address: relayed in the namespace too, so clients
        // can follow its metadata (in Docker the broker advertises kafka:19092 instead)
        ...(/^127\./.test(broker.host) ? { alsoAt: [broker] } : {}),
      });
    }
    case 'postgres':
      return image.startsWith('postgres:')
        ? machineService({
            service: service.name,
            what: 'PostgreSQL',
            ports: [5432],
            target: hostPortOf(infra.databaseUrl, 5432),
          })
        : undefined;
    case 'redis':
      return image.startsWith('redis:')
        ? machineService({
            service: service.name,
            what: 'Redis',
            ports: [6379],
            target: hostPortOf(infra.redisUrl, 6379),
          })
        : undefined;
    case 'mosquitto':
      if (!image.startsWith('eclipse-mosquitto:')) return undefined;
      // the compose broker authenticates (its own mosquitto.conf): this machine's is anonymous
      return (
        privateMosquitto(service) ??
        machineService({
          service: service.name,
          what: 'Mosquitto',
          ports: [1883],
          target: hostPortOf(infra.mqttUrl, 1883),
        })
      );
    case 'otel-collector':
      return image.startsWith('otel/opentelemetry-collector') ? otlpRecorder(service.name) : undefined;
    default:
      return undefined;
  }
}
