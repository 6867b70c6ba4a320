/**
 * MQTT topic names the devices publish to and the hub subscribes to. The prefix
 * (MQTT_TOPIC_PREFIX, e.g. "test-abc/") isolates test files sharing one broker.
 */
export interface IotMqttTopics {
  /** Where a device publishes its readings: `<prefix>devices/<deviceId>/telemetry`. */
  telemetry(deviceId: string): string;
  /** The wildcard filter matching every device's telemetry topic. */
  readonly telemetryFilter: string;
  /** The shared-subscription filter: replicas in the same group split the messages. */
  sharedTelemetryFilter(group: string): string;
  /** The deviceId in a telemetry topic name, or undefined when the topic is not one. */
  deviceIdOf(topic: string): string | undefined;
}

export function iotMqttTopics(prefix = ''): IotMqttTopics {
  const head = `${prefix}devices/`;
  const tail = '/telemetry';
  const telemetryFilter = `${head}+${tail}`;
  return {
    telemetry: (deviceId) => `${head}${deviceId}${tail}`,
    telemetryFilter,
    sharedTelemetryFilter: (group) => `$share/${group}/${telemetryFilter}`,
    deviceIdOf(topic) {
      if (!topic.startsWith(head) || !topic.endsWith(tail)) return undefined;
      const id = topic.slice(head.length, topic.length - tail.length);
      return id.length > 0 && !id.includes('/') ? id : undefined;
    },
  };
}
