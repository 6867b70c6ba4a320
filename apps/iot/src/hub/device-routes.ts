import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError, requireApiKey } from '@streamkit/http';
import type { DeviceCache } from './device-cache.ts';
import type { DeviceRegistry } from './device-registry.ts';
import { DeviceAttributesBody, DeviceIdParams, ListDevicesQuery } from './http-schemas.ts';

export interface DeviceRoutesOptions {
  readonly registry: DeviceRegistry;
  readonly cache: DeviceCache;
  /** HUB_ADMIN_KEY, required in x-api-key. */
  readonly adminKey: string;
  /** The broker's own identities: a device under one of these names would take over its credential. */
  readonly reservedDeviceIds: ReadonlySet<string>;
}

/**
 * The device registry API (admin key in `x-api-key`): PUT /devices/:deviceId registers and answers
 * the device's token (the only time it is shown), POST /devices/:deviceId/disable, GET /devices,
 * GET /devices/:deviceId with last-seen.
 */
export const deviceRoutes: FastifyPluginAsyncTypebox<DeviceRoutesOptions> = async (app, options) => {
  const { registry, cache } = options;
  const noSuchDevice = (deviceId: string) => new HttpError(404, `no device ${deviceId}`);

  app.addHook('onRequest', requireApiKey(options.adminKey));

  app.put(
    '/devices/:deviceId',
    { schema: { params: DeviceIdParams, body: DeviceAttributesBody } },
    async (request, reply) => {
      if (options.reservedDeviceIds.has(request.params.deviceId))
        throw new HttpError(409, `deviceId ${request.params.deviceId} is reserved for a broker identity`);
      const { device, token, created } = await registry.register(request.params.deviceId, request.body ?? {});
      cache.set(device.deviceId, device.status);
      return reply.code(created ? 201 : 200).send({ device, token });
    },
  );

  app.post('/devices/:deviceId/disable', { schema: { params: DeviceIdParams } }, async (request) => {
    const device = await registry.disable(request.params.deviceId);
    if (device === undefined) throw noSuchDevice(request.params.deviceId);
    cache.set(device.deviceId, 'disabled');
    return { device };
  });

  app.get('/devices', { schema: { querystring: ListDevicesQuery } }, async (request) => {
    const limit = request.query.limit ?? 100;
    const devices = await registry.list({
      limit,
      ...(request.query.after ? { after: request.query.after } : {}),
    });
    const last = devices.at(-1);
    return { devices, next: devices.length === limit && last ? last.deviceId : null };
  });

  app.get('/devices/:deviceId', { schema: { params: DeviceIdParams } }, async (request) => {
    const device = await registry.get(request.params.deviceId);
    if (device === undefined) throw noSuchDevice(request.params.deviceId);
    return { device };
  });
};
