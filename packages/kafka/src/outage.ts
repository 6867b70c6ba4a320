import { type HealthCheck, HealthCheckFailedError } from '@streamkit/runtime';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { FailureClass } from './failure-class.ts';

/** What a consumer waits for while a dependency is down. */
export interface InfrastructureOutage {
  readonly topic: string;
  /** When the longest-waiting partition first failed (epoch ms). */
  readonly since: number;
  /** The latest failure's label (e.g. `postgres:57P01`) and message. */
  readonly reason: string;
  readonly message: string;
  /** The partitions whose runs wait. */
  readonly partitions: readonly number[];
  /** The group member crashed on the outage and is being restarted (rejoins the group once it is back). */
  readonly rejoining?: boolean;
}

/** The tracker's slot for the group member itself (not a partition): it left the group and rejoins. */
export const GROUP_MEMBER = -1;

export type TransientFailure = Extract<FailureClass, { kind: 'transient' }>;

/**
 * Per partition of one consumer (and for the member itself, GROUP_MEMBER): whether its current run
 * waits on infrastructure, since when and why.
 */
export interface OutageTracker {
  failed(partition: number, failure: TransientFailure): void;
  /** The partition's run went through, failed otherwise, or was given up: it waits no more. */
  cleared(partition: number): void;
  current(): InfrastructureOutage | undefined;
}

export function createOutageTracker(
  topic: string,
  metrics: PipelineMetrics | undefined,
  now: () => number = Date.now,
): OutageTracker {
  const waiting = new Map<number, { since: number; failure: TransientFailure; at: number }>();

  function publish(): void {
    const oldest = Math.min(...[...waiting.values()].map((w) => w.since));
    metrics?.waitingOnInfrastructureSince.set({ topic }, waiting.size === 0 ? 0 : oldest / 1000);
  }

  return {
    failed(partition, failure) {
      const at = now();
      waiting.set(partition, { since: waiting.get(partition)?.since ?? at, failure, at });
      metrics?.transientFailures.inc({ topic, reason: failure.reason });
      publish();
    },
    cleared(partition) {
      if (waiting.delete(partition)) publish();
    },
    current() {
      if (waiting.size === 0) return undefined;
      const entries = [...waiting];
      const latest = entries.reduce((a, b) => (b[1].at > a[1].at ? b : a))[1];
      return {
        topic,
        since: Math.min(...entries.map(([, w]) => w.since)),
        reason: latest.failure.reason,
        message: latest.failure.message,
        partitions: entries
          .map(([p]) => p)
          .filter((p) => p !== GROUP_MEMBER)
          .sort((a, b) => a - b),
        rejoining: waiting.has(GROUP_MEMBER),
      };
    },
  };
}

/**
 * A /health check (see @streamkit/runtime) that fails while any of `consumers` waits on
 * infrastructure, naming since when and why: `/health` then reports `degraded` with that reason.
 */
export function outageCheck(
  ...consumers: readonly { outage(): InfrastructureOutage | undefined }[]
): HealthCheck {
  return async () => {
    const outages = consumers.flatMap((c) => c.outage() ?? []);
    if (outages.length === 0) return;
    throw new HealthCheckFailedError(outages.map(describeOutage).join('; '));
  };
}

export function describeOutage(o: InfrastructureOutage): string {
  const seconds = Math.round((Date.now() - o.since) / 1000);
  const what = [
    ...(o.rejoining ? ['rejoining its group'] : []),
    ...(o.partitions.length > 0 ? [`partitions ${o.partitions.join(', ')}`] : []),
  ];
  return (
    `waiting on infrastructure since ${new Date(o.since).toISOString()} (${seconds} s): ` +
    `${o.reason}: ${o.message} (${o.topic} ${what.join(', ')})`
  );
}
