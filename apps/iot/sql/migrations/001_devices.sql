-- The device registry (owned by the hub). Only a SHA-256 hash of each device's token is stored:
-- the token itself is shown once, when the device is registered.
CREATE TABLE IF NOT EXISTS iot_devices (
  device_id     text PRIMARY KEY,
  name          text,
  model         text,
  -- where the device is, for the dashboard's fleet map (optional)
  latitude      double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude     double precision CHECK (longitude BETWEEN -180 AND 180),
  token_hash    bytea NOT NULL UNIQUE,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  registered_at timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz,
  -- event time of the newest reading accepted from the device, and when the hub accepted it
  last_seen_at  timestamptz,
  last_reading_ts timestamptz
);
