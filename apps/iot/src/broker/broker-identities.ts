import type { IotMqttTopics } from '../common/mqtt-topics.ts';
import { type DynsecClient, type DynsecCommand, expectAccepted } from './dynsec-client.ts';

// The plugin's answers when an object is already there (mosquitto 2.0 dynamic-security)
const CLIENT_EXISTS = 'Client already exists';
const ROLE_EXISTS = 'Role already exists';
const ACL_EXISTS = 'ACL with this topic already exists';
const CLIENT_NOT_FOUND = 'Client not found';

export interface Identity {
  readonly username: string;
  readonly password: string;
}

export const hubRoleName = 'iot-hub';
export const gatewayRoleName = 'iot-device-gateway';
export const deviceRoleName = (deviceId: string) => `iot-device:${deviceId}`;

/** Whether the broker accepts these credentials now (a connection opened and closed). */
export type CredentialProbe = (identity: Identity) => Promise<boolean>;

/**
 * Creates (or updates) an identity with exactly one role holding `acls`; idempotent, so it runs at
 * every start and a changed password in the environment takes effect. The password is set only when
 * the broker refuses it: setting it closes the identity's connections (another hub replica's).
 */
async function ensureIdentity(
  dynsec: DynsecClient,
  probe: CredentialProbe,
  identity: Identity,
  rolename: string,
  acls: readonly { acltype: string; topic: string }[],
): Promise<void> {
  const create: DynsecCommand[] = [
    { command: 'createRole', rolename },
    ...acls.map((acl) => ({ command: 'addRoleACL', rolename, ...acl, allow: true })),
    { command: 'createClient', ...identity, roles: [{ rolename }] },
  ];
  const created = await dynsec.run(create);
  expectAccepted(`identity ${identity.username}`, create, created, [ROLE_EXISTS, ACL_EXISTS, CLIENT_EXISTS]);
  if (created.at(-1) === undefined || (await probe(identity))) return;
  // it existed (keeping the role it was created with) with another password, or disabled
  const update: DynsecCommand[] = [
    { command: 'setClientPassword', ...identity },
    { command: 'enableClient', username: identity.username },
  ];
  expectAccepted(`identity ${identity.username}`, update, await dynsec.run(update));
}

/**
 * The hub's own identity: it may subscribe to the devices' telemetry only through the hub's shared
 * subscription (mosquitto 2.0 checks the subscription's full `$share/<group>/…` filter), and
 * publish nothing. No other identity gets a subscribe ACL on device topics.
 */
export function ensureHubIdentity(
  dynsec: DynsecClient,
  probe: CredentialProbe,
  hub: Identity,
  topics: IotMqttTopics,
  shareGroup: string,
): Promise<void> {
  return ensureIdentity(dynsec, probe, hub, hubRoleName, [
    { acltype: 'subscribeLiteral', topic: topics.sharedTelemetryFilter(shareGroup) },
  ]);
}

/**
 * The bulk path for simulators and gateways that publish for many devices over one connection: may
 * publish on every device's telemetry topic, subscribe to nothing. Development and load tests only.
 */
export function ensureGatewayIdentity(
  dynsec: DynsecClient,
  probe: CredentialProbe,
  gateway: Identity,
  topics: IotMqttTopics,
): Promise<void> {
  return ensureIdentity(dynsec, probe, gateway, gatewayRoleName, [
    { acltype: 'publishClientSend', topic: topics.telemetryFilter },
  ]);
}

/** Device credentials at the broker, kept in step with the registry. */
export interface DeviceCredentials {
  /**
   * Lets the device connect as username = deviceId, client id = deviceId, password = its registry
   * token, and publish on its own telemetry topic only. A re-registration replaces the password.
   */
  issue(deviceId: string, token: string, status: 'active' | 'disabled'): Promise<void>;
  /** Disables the device's identity: the broker refuses its connections and closes the open one. */
  revoke(deviceId: string): Promise<void>;
}

export function brokerDeviceCredentials(dynsec: DynsecClient, topics: IotMqttTopics): DeviceCredentials {
  return {
    async issue(deviceId, token, status) {
      const rolename = deviceRoleName(deviceId);
      const create: DynsecCommand[] = [
        {
          command: 'createRole',
          rolename,
          acls: [{ acltype: 'publishClientSend', topic: topics.telemetry(deviceId), allow: true }],
        },
        // the client id is bound too: a device cannot take over another client's session (the hub's)
        {
          command: 'createClient',
          username: deviceId,
          password: token,
          clientid: deviceId,
          roles: [{ rolename }],
        },
      ];
      const created = await dynsec.run(create);
      expectAccepted(`device ${deviceId}`, create, created, [ROLE_EXISTS, CLIENT_EXISTS]);
      if (created[1] === undefined) return;
      // a re-registration: the old token stops working (the broker closes the device's connection);
      // a disabled device stays disabled
      const update: DynsecCommand[] = [
        { command: 'setClientPassword', username: deviceId, password: token },
        { command: status === 'disabled' ? 'disableClient' : 'enableClient', username: deviceId },
      ];
      expectAccepted(`device ${deviceId}`, update, await dynsec.run(update));
    },
    async revoke(deviceId) {
      const commands: DynsecCommand[] = [{ command: 'disableClient', username: deviceId }];
      // a device registered before the broker knew devices has no identity there: nothing to revoke
      expectAccepted(`device ${deviceId}`, commands, await dynsec.run(commands), [CLIENT_NOT_FOUND]);
    },
  };
}
