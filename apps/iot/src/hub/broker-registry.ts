import type { DeviceCredentials } from '../broker/broker-identities.ts';
import type { DeviceRegistry } from './device-registry.ts';

/**
 * The registry with the devices' MQTT identities kept in step at the broker: registering issues
 * the device's credential (its token is the password), disabling revokes it — the broker then
 * refuses the device and closes its open connection. The registry is written first; when the
 * broker fails the call fails (retriable) and repeating it completes both, as both are idempotent.
 */
export function withBrokerCredentials(
  registry: DeviceRegistry,
  credentials: DeviceCredentials,
): DeviceRegistry {
  return {
    ...registry,
    async register(deviceId, attributes) {
      const registration = await registry.register(deviceId, attributes);
      await credentials.issue(deviceId, registration.token, registration.device.status);
      return registration;
    },
    async disable(deviceId) {
      const device = await registry.disable(deviceId);
      if (device !== undefined) await credentials.revoke(deviceId);
      return device;
    },
  };
}
