import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { HubError } from '../hub/errors.ts';

const COMMAND_TOPIC = '$CONTROL/dynamic-security/v1';
const RESPONSE_TOPIC = `${COMMAND_TOPIC}/response`;

/** One command of Mosquitto's dynamic-security plugin, e.g. `{command: 'disableClient', username}`. */
export interface DynsecCommand {
  readonly command: string;
  readonly [field: string]: unknown;
}

/** The broker refused a dynamic-security command (its `error` text), or did not answer in time. */
export class DynsecError extends HubError {
  /** The plugin's error text, e.g. "Client already exists"; undefined on a timeout or lost connection. */
  readonly brokerError: string | undefined;

  constructor(message: string, brokerError: string | undefined) {
    super(message, { retriable: brokerError === undefined });
    this.brokerError = brokerError;
  }
}

export interface DynsecClient {
  /**
   * Sends the commands in one message; resolves with each command's broker error text (undefined
   * when it succeeded), in order. Rejects with DynsecError when no answer comes in time.
   */
  run(commands: readonly DynsecCommand[]): Promise<(string | undefined)[]>;
  close(): Promise<void>;
}

export interface DynsecClientSettings {
  readonly url: string;
  /** An identity with the plugin's admin role (created by `mosquitto_ctrl dynsec init`). */
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
  /** How long to wait for the broker's answer (default 10 s). */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly resolve: (error: string | undefined) => void;
}

/**
 * Administers the broker's dynamic-security plugin over MQTT: commands go to
 * `$CONTROL/dynamic-security/v1`, answers come back on its `/response` topic, matched by the
 * correlation data each command carries (several callers may have commands in flight).
 */
export async function connectDynsec(settings: DynsecClientSettings): Promise<DynsecClient> {
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const client: MqttClient = await mqtt.connectAsync(settings.url, {
    protocolVersion: 5,
    clientId: settings.clientId,
    username: settings.username,
    password: settings.password,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
  });
  const pending = new Map<string, Pending>();
  client.on('message', (_topic, payload) => {
    let body: { responses?: { error?: unknown; correlationData?: unknown }[] };
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    for (const response of body.responses ?? []) {
      const id = typeof response.correlationData === 'string' ? response.correlationData : undefined;
      const waiter = id === undefined ? undefined : pending.get(id);
      if (waiter === undefined || id === undefined) continue;
      pending.delete(id);
      waiter.resolve(typeof response.error === 'string' ? response.error : undefined);
    }
  });
  // the answers are only seen after this subscription is in place (and again after a lost session)
  await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
  client.on('connect', (connack) => {
    if (!connack.sessionPresent) client.subscribe(RESPONSE_TOPIC, { qos: 1 });
  });
  client.on('error', () => undefined);

  return {
    async run(commands) {
      const ids = commands.map(() => randomUUID());
      const answers = ids.map(
        (id) => new Promise<string | undefined>((resolve) => pending.set(id, { resolve })),
      );
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          for (const id of ids) pending.delete(id);
          reject(
            new DynsecError(
              `MQTT broker: no answer to ${commands.map((c) => c.command).join(', ')} within ${timeoutMs} ms` +
                ' (is the dynamic-security plugin loaded and the admin identity right?)',
              undefined,
            ),
          );
        }, timeoutMs);
      });
      try {
        const message = JSON.stringify({
          commands: commands.map((c, i) => ({ ...c, correlationData: ids[i] })),
        });
        await Promise.race([client.publishAsync(COMMAND_TOPIC, message, { qos: 1 }), timeout]);
        return await Promise.race([Promise.all(answers), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await client.endAsync();
    },
  };
}

/** Throws DynsecError for the first refusal among `errors` that is not in `tolerated`. */
export function expectAccepted(
  what: string,
  commands: readonly DynsecCommand[],
  errors: readonly (string | undefined)[],
  tolerated: readonly string[] = [],
): void {
  errors.forEach((error, i) => {
    if (error !== undefined && !tolerated.includes(error))
      throw new DynsecError(`MQTT broker: ${what}: ${commands[i]?.command} refused: ${error}`, error);
  });
}
