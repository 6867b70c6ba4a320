import { StreamkitError } from '@streamkit/runtime';
import type { Fleet } from './fleet.ts';

export interface RegistrationSettings {
  readonly hubUrl: string;
  readonly adminKey: string;
  /** Registrations in flight at once (default 16). */
  readonly concurrency?: number;
  readonly fetch?: typeof fetch;
}

/** A device could not be registered with the hub; `retriable` when the hub may accept it later. */
export class RegistrationError extends StreamkitError {
  constructor(message: string, options: { retriable: boolean; cause?: unknown }) {
    super(message, options);
  }
}

/** Registers every device of the fleet with the hub (PUT /devices/:id); returns each device's token. */
export async function registerFleet(
  fleet: Fleet,
  settings: RegistrationSettings,
): Promise<Map<string, string>> {
  const doFetch = settings.fetch ?? fetch;
  const tokens = new Map<string, string>();
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const device = fleet.devices[next++];
      if (device === undefined) return;
      const url = new URL(`/devices/${encodeURIComponent(device.deviceId)}`, settings.hubUrl);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'x-api-key': settings.adminKey },
          body: JSON.stringify({
            name: `Sensor ${device.index}`,
            model: 'streamkit-sim-1',
            latitude: Math.round(device.latitude * 1e4) / 1e4,
            longitude: Math.round(device.longitude * 1e4) / 1e4,
          }),
        });
      } catch (error) {
        throw new RegistrationError(`registering ${device.deviceId}: hub unreachable at ${settings.hubUrl}`, {
          retriable: true,
          cause: error,
        });
      }
      if (!response.ok) {
        throw new RegistrationError(
          `registering ${device.deviceId}: HTTP ${response.status} ${await response.text()}`,
          {
            retriable: response.status >= 500,
          },
        );
      }
      const body = (await response.json()) as { token: string };
      tokens.set(device.deviceId, body.token);
    }
  }
  await Promise.all(Array.from({ length: settings.concurrency ?? 16 }, worker));
  return tokens;
}
