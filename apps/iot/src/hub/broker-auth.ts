import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import {
  brokerDeviceCredentials,
  type CredentialProbe,
  type DeviceCredentials,
  ensureGatewayIdentity,
  ensureHubIdentity,
  type Identity,
} from '../broker/broker-identities.ts';
import { connectDynsec, type DynsecClient } from '../broker/dynsec-client.ts';
import type { IotMqttTopics } from '../common/mqtt-topics.ts';
import { HubSettingsError } from './errors.ts';

export interface BrokerAuthSettings {
  readonly url: string;
  readonly topics: IotMqttTopics;
  readonly shareGroup: string;
  readonly clientId: string;
  readonly admin: Partial<Identity>;
  readonly hub: Partial<Identity>;
  readonly gateway: Partial<Identity>;
}

export interface BrokerAuth {
  readonly credentials: DeviceCredentials;
  /** Usernames of the broker's own identities: no device may be registered under one of them. */
  readonly reservedUsernames: ReadonlySet<string>;
  close(): Promise<void>;
}

function identity(what: string, given: Partial<Identity>, problems: string[]): Identity | undefined {
  if (given.username === undefined && given.password === undefined) return undefined;
  if (given.username === undefined || given.password === undefined) {
    problems.push(`${what}: set both username and password, or neither`);
    return undefined;
  }
  return { username: given.username, password: given.password };
}

/**
 * Device authentication at the broker (Mosquitto's dynamic-security plugin), when an admin identity
 * is configured: ensures the hub's and the gateway's identities from the environment, then issues
 * and revokes device credentials. Without one, undefined: the broker is trusted to be private
 * (development brokers on 127.0.0.1).
 */
export async function startBrokerAuth(settings: BrokerAuthSettings): Promise<BrokerAuth | undefined> {
  const problems: string[] = [];
  const admin = identity('HUB_MQTT_ADMIN_USERNAME/PASSWORD', settings.admin, problems);
  const hub = identity('HUB_MQTT_USERNAME/PASSWORD', settings.hub, problems);
  const gateway = identity('HUB_MQTT_GATEWAY_USERNAME/PASSWORD', settings.gateway, problems);
  if (admin !== undefined && hub === undefined)
    problems.push(
      'HUB_MQTT_USERNAME/PASSWORD: required with HUB_MQTT_ADMIN_USERNAME (the hub’s own identity)',
    );
  if (admin === undefined && gateway !== undefined)
    problems.push('HUB_MQTT_GATEWAY_USERNAME: needs HUB_MQTT_ADMIN_USERNAME/PASSWORD to be created');
  if (problems.length > 0) throw new HubSettingsError('MQTT broker identities', problems);
  if (admin === undefined || hub === undefined) return undefined;

  const dynsec: DynsecClient = await connectDynsec({
    url: settings.url,
    ...admin,
    clientId: settings.clientId,
  });
  const probe: CredentialProbe = (identity) =>
    mqtt
      .connectAsync(settings.url, {
        ...identity,
        protocolVersion: 5,
        clientId: `${settings.clientId}-probe-${randomUUID()}`,
        reconnectPeriod: 0,
        connectTimeout: 10_000,
      })
      .then(
        (client) => client.endAsync().then(() => true),
        () => false,
      );
  try {
    await ensureHubIdentity(dynsec, probe, hub, settings.topics, settings.shareGroup);
    if (gateway !== undefined) await ensureGatewayIdentity(dynsec, probe, gateway, settings.topics);
  } catch (error) {
    await dynsec.close();
    throw error;
  }
  return {
    credentials: brokerDeviceCredentials(dynsec, settings.topics),
    reservedUsernames: new Set([admin.username, hub.username, ...(gateway ? [gateway.username] : [])]),
    close: () => dynsec.close(),
  };
}
