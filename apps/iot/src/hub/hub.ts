import type { TypedProducer } from '@streamkit/kafka';
import { DEFAULT_MAX_FUTURE_SKEW_MS } from '@streamkit/schemas';
import type { PipelineMetrics } from '@streamkit/telemetry';
import type { IotTopics } from '../common/topics.ts';
import { createDeviceCache, type DeviceCache, type DeviceCacheSettings } from './device-cache.ts';
import type { DeviceRegistry } from './device-registry.ts';
import type { HubMetrics } from './hub-metrics.ts';
import { createLastSeenTracker, type LastSeenTracker } from './last-seen.ts';
import { type MqttBridge, type MqttBridgeSettings, startMqttBridge } from './mqtt-bridge.ts';
import { createReadingIngest, type ReadingIngest } from './reading-ingest.ts';

export interface HubDeps {
  readonly producer: TypedProducer;
  readonly registry: DeviceRegistry;
  readonly topics: IotTopics;
  readonly metrics: PipelineMetrics;
  readonly hubMetrics: HubMetrics;
  readonly onError: (error: unknown) => void;
}

export interface HubSettings {
  /** Omit to run without MQTT (HTTP ingest only). */
  readonly mqtt?: MqttBridgeSettings;
  readonly deviceCache?: Partial<DeviceCacheSettings>;
  readonly lastSeenFlushMs?: number;
  /** Readings dated further ahead of the clock are refused (default 5 min). */
  readonly maxFutureSkewMs?: number;
}

/** The hub's ingest side, wired: the HTTP app (buildHubApp) takes `ingest` and `cache` from here. */
export interface Hub {
  readonly ingest: ReadingIngest;
  readonly cache: DeviceCache;
  readonly lastSeen: LastSeenTracker;
  readonly bridge: MqttBridge | undefined;
  /** Stops the MQTT bridge (acks what is in flight), then writes the last last-seen times. */
  stop(): Promise<void>;
}

export async function startHub(deps: HubDeps, settings: HubSettings = {}): Promise<Hub> {
  const cache = createDeviceCache(deps.registry, settings.deviceCache, Date.now, {
    onStale: () => deps.hubMetrics.staleDeviceStatuses.inc(),
  });
  const stopping = new AbortController();
  const lastSeen = createLastSeenTracker(deps.registry);
  const ingest = createReadingIngest({
    producer: deps.producer,
    topics: deps.topics,
    devices: cache,
    lastSeen,
    metrics: deps.metrics,
    hubMetrics: deps.hubMetrics,
    maxFutureSkewMs: settings.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS,
    mqttLookupsWaitUntil: stopping.signal,
  });
  lastSeen.start(settings.lastSeenFlushMs ?? 1000, deps.onError);
  const gauge = setInterval(() => deps.hubMetrics.deviceCacheEntries.set(cache.size), 5000);
  gauge.unref();
  let bridge: MqttBridge | undefined;
  try {
    bridge =
      settings.mqtt === undefined
        ? undefined
        : await startMqttBridge(settings.mqtt, {
            ingest,
            hubMetrics: deps.hubMetrics,
            onError: deps.onError,
          });
  } catch (error) {
    clearInterval(gauge);
    await lastSeen.stop();
    throw error;
  }
  return {
    ingest,
    cache,
    lastSeen,
    bridge,
    async stop() {
      clearInterval(gauge);
      // readings waiting for the registry give up unacknowledged: the broker resends them to the next session
      stopping.abort();
      await bridge?.stop();
      await lastSeen.stop();
    },
  };
}
