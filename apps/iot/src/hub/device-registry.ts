import type { Pool } from 'pg';
import { DeviceRegistryError } from './errors.ts';
import { hashDeviceToken, newDeviceToken } from './tokens.ts';

export type DeviceStatus = 'active' | 'disabled';

/** A registered device as the API shows it (never its token). */
export interface Device {
  readonly deviceId: string;
  readonly name: string | null;
  readonly model: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly status: DeviceStatus;
  readonly registeredAt: string;
  readonly disabledAt: string | null;
  /** When the hub last accepted a reading of the device (arrival time). */
  readonly lastSeenAt: string | null;
  /** Event time of the newest reading accepted. */
  readonly lastReadingTs: string | null;
}

export interface DeviceAttributes {
  readonly name?: string;
  readonly model?: string;
  readonly latitude?: number;
  readonly longitude?: number;
}

export interface Registration {
  readonly device: Device;
  /** Shown once; the registry keeps only its hash. */
  readonly token: string;
  /** false when the device existed: its attributes were updated and its token replaced. */
  readonly created: boolean;
}

export interface DeviceRegistry {
  /** Registers a device (or re-registers it: attributes updated, a new token issued, status unchanged). */
  register(deviceId: string, attributes: DeviceAttributes): Promise<Registration>;
  /** Disables a device; false when it is not registered. */
  disable(deviceId: string): Promise<Device | undefined>;
  get(deviceId: string): Promise<Device | undefined>;
  list(options: { limit: number; after?: string }): Promise<Device[]>;
  /** Status of each given device that is registered (absent ids are unknown). */
  statuses(deviceIds: readonly string[]): Promise<Map<string, DeviceStatus>>;
  /** The device a token belongs to, or undefined. */
  deviceForToken(token: string): Promise<{ deviceId: string; status: DeviceStatus } | undefined>;
  /** Records arrival of readings: last_seen_at = now, last_reading_ts = the newest event time. */
  touch(lastReadingTs: ReadonlyMap<string, string>): Promise<void>;
}

const COLUMNS = `device_id, name, model, latitude, longitude, status, registered_at, disabled_at, last_seen_at, last_reading_ts`;

interface DeviceRow {
  device_id: string;
  name: string | null;
  model: string | null;
  latitude: number | null;
  longitude: number | null;
  status: DeviceStatus;
  registered_at: Date;
  disabled_at: Date | null;
  last_seen_at: Date | null;
  last_reading_ts: Date | null;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

function toDevice(row: DeviceRow): Device {
  return {
    deviceId: row.device_id,
    name: row.name,
    model: row.model,
    latitude: row.latitude,
    longitude: row.longitude,
    status: row.status,
    registeredAt: row.registered_at.toISOString(),
    disabledAt: iso(row.disabled_at),
    lastSeenAt: iso(row.last_seen_at),
    lastReadingTs: iso(row.last_reading_ts),
  };
}

/** The registry in Postgres (table iot_devices, sql/migrations/001_devices.sql). */
export function createDeviceRegistry(pool: Pool): DeviceRegistry {
  async function query<R extends object>(what: string, sql: string, params: unknown[]): Promise<R[]> {
    try {
      return (await pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw new DeviceRegistryError(`device registry: ${what} failed`, error);
    }
  }

  return {
    async register(deviceId, attributes) {
      const token = newDeviceToken();
      const rows = await query<DeviceRow & { created: boolean }>(
        'register',
        `INSERT INTO iot_devices (device_id, name, model, latitude, longitude, token_hash)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (device_id) DO UPDATE SET
           name = EXCLUDED.name, model = EXCLUDED.model, latitude = EXCLUDED.latitude,
           longitude = EXCLUDED.longitude, token_hash = EXCLUDED.token_hash, updated_at = now()
         RETURNING ${COLUMNS}, (xmax = 0) AS created`,
        [
          deviceId,
          attributes.name ?? null,
          attributes.model ?? null,
          attributes.latitude ?? null,
          attributes.longitude ?? null,
          hashDeviceToken(token),
        ],
      );
      const row = rows[0];
      if (row === undefined) throw new DeviceRegistryError('device registry: register returned no row', null);
      return { device: toDevice(row), token, created: row.created };
    },
    async disable(deviceId) {
      const rows = await query<DeviceRow>(
        'disable',
        `UPDATE iot_devices SET status = 'disabled', disabled_at = coalesce(disabled_at, now()), updated_at = now()
         WHERE device_id = $1 RETURNING ${COLUMNS}`,
        [deviceId],
      );
      return rows[0] === undefined ? undefined : toDevice(rows[0]);
    },
    async get(deviceId) {
      const rows = await query<DeviceRow>('get', `SELECT ${COLUMNS} FROM iot_devices WHERE device_id = $1`, [
        deviceId,
      ]);
      return rows[0] === undefined ? undefined : toDevice(rows[0]);
    },
    async list({ limit, after }) {
      const rows = await query<DeviceRow>(
        'list',
        `SELECT ${COLUMNS} FROM iot_devices WHERE ($2::text IS NULL OR device_id > $2)
         ORDER BY device_id LIMIT $1`,
        [limit, after ?? null],
      );
      return rows.map(toDevice);
    },
    async statuses(deviceIds) {
      const rows = await query<{ device_id: string; status: DeviceStatus }>(
        'status lookup',
        'SELECT device_id, status FROM iot_devices WHERE device_id = ANY($1::text[])',
        [deviceIds],
      );
      return new Map(rows.map((r) => [r.device_id, r.status]));
    },
    async deviceForToken(token) {
      const rows = await query<{ device_id: string; status: DeviceStatus }>(
        'token lookup',
        'SELECT device_id, status FROM iot_devices WHERE token_hash = $1',
        [hashDeviceToken(token)],
      );
      const row = rows[0];
      return row === undefined ? undefined : { deviceId: row.device_id, status: row.status };
    },
    async touch(lastReadingTs) {
      if (lastReadingTs.size === 0) return;
      await query(
        'last-seen update',
        `UPDATE iot_devices d SET last_seen_at = now(),
           last_reading_ts = GREATEST(d.last_reading_ts, u.ts)
         FROM unnest($1::text[], $2::timestamptz[]) AS u(device_id, ts)
         WHERE d.device_id = u.device_id`,
        [[...lastReadingTs.keys()], [...lastReadingTs.values()]],
      );
    },
  };
}
