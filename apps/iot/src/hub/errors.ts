import { SettingsError, StreamkitError } from '@streamkit/runtime';

/**
 * Errors of the IoT hub. `retriable` tells a caller whether the same call may succeed later
 * (broker slow, database down) or never will (bad settings); `cause` keeps the underlying error.
 */
export class HubError extends StreamkitError {}

/** Settings rejected at construction; the message lists every problem. */
export class HubSettingsError extends SettingsError {}

/** The device registry (Postgres) could not be read or written. */
export class DeviceRegistryError extends HubError {
  constructor(message: string, cause: unknown) {
    super(message, { retriable: true, cause });
  }
}
