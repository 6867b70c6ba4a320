/**
 * One forked publisher process of the IoT scenarios (`--publishers N`): one event loop publishes
 * about 10,000 QoS 1 messages/s, so the generator forks N of these and hands each a share of the
 * operations. The parent sends batches `{ ops, ts }` (operation numbers and their intended send
 * times as epoch ms); this process publishes them and, when told to close, waits for every PUBACK
 * and answers with its publish count, failures and own CPU time (the generator's cost is shown).
 */
import { iotMqttTopics } from '../common/mqtt-topics.ts';
import { createReadingPublisher } from '../devices/publisher.ts';
import { loadReading } from './load-reading.ts';
import type { PublisherWorkerMessage, PublisherWorkerSettings } from './publisher-protocol.ts';

const settings = JSON.parse(process.argv[2] ?? '{}') as PublisherWorkerSettings;
const publisher = await createReadingPublisher({
  url: settings.mqttUrl,
  topics: iotMqttTopics(settings.mqttTopicPrefix),
  clientId: settings.clientId,
  maxInFlight: settings.maxUnacked,
});
const cpuAtStart = process.cpuUsage();
let failed = 0;
let firstFailure: string | undefined;

const readingOf = (operation: number, epochMs: number) =>
  loadReading(`${settings.idPrefix}${operation % settings.devices}`, operation, epochMs);

process.on('message', (message: PublisherWorkerMessage) => {
  if (message.kind === 'publish') {
    for (let i = 0; i < message.ops.length; i++) {
      publisher
        .publish(readingOf(message.ops[i] as number, message.ts[i] as number))
        .catch((error: unknown) => {
          failed++;
          firstFailure ??= error instanceof Error ? error.message : String(error);
        });
    }
    return;
  }
  void publisher
    .close()
    .catch((error: unknown) => {
      firstFailure ??= error instanceof Error ? error.message : String(error);
    })
    .then(() => {
      const cpu = process.cpuUsage(cpuAtStart);
      process.send?.(
        {
          kind: 'closed',
          published: publisher.published,
          failed,
          firstFailure,
          cpuMs: (cpu.user + cpu.system) / 1000,
        },
        () => process.disconnect(),
      );
    });
});
// the scenario's process ended (or was interrupted) without a close: do not publish on as an orphan
process.on('disconnect', () => process.exit(0));
process.send?.({ kind: 'ready' });
