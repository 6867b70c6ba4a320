-- Latest aggregates per device and 1-minute window, for the live dashboard. Open windows are
-- updated every micro-batch; `closed` turns true when the device's watermark passes the window.
CREATE TABLE iot_window_aggregates (
  device_id text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  reading_count integer NOT NULL,
  -- {"temperature": {"min":…, "max":…, "mean":…, "p95":…}, …}
  metrics jsonb NOT NULL,
  closed boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (device_id, window_start)
);
CREATE INDEX iot_window_aggregates_recent ON iot_window_aggregates (window_start DESC);

-- Readings that arrived after their window closed, per device (also in the lake's raw table, late = true).
CREATE TABLE iot_late_readings (
  device_id text PRIMARY KEY,
  dropped bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
