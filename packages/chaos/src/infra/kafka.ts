/**
 * The chaos run's own Kafka broker (@streamkit/testkit's private broker), killed by its pid file if
 * the run must exit at once.
 */
import { readFileSync } from 'node:fs';
import { type PrivateKafka, startPrivateKafka as startBroker } from '@streamkit/testkit';
import { onEmergency } from '../emergency.ts';

export type { PrivateKafka };

export function startPrivateKafka(
  dir: string,
  repoRoot: string,
  parentEnv: Readonly<Record<string, string>>,
): Promise<PrivateKafka> {
  return startBroker(dir, repoRoot, {
    env: parentEnv,
    // kafka-local starts the broker in its own session: kill it by its pid file if we must exit now
    beforeStart: (kafka) =>
      onEmergency(() => {
        const pid = Number(readFileSync(kafka.pidFile, 'utf8').trim());
        if (pid > 0) process.kill(pid, 'SIGKILL');
      }),
  });
}
