-- The processor's checkpoint (the Spark role's offset log + state store), written in one
-- transaction per micro-batch after the batch's Parquet files are durable.

-- Next offset to apply per topic-partition: records below it are already in the lake and the state.
CREATE TABLE iot_lake_progress (
  topic text NOT NULL,
  kafka_partition integer NOT NULL,
  next_offset bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, kafka_partition)
);

-- Per-device event-time watermark input, rolling anomaly statistics and open windows' values.
CREATE TABLE iot_device_state (
  device_id text PRIMARY KEY,
  max_event_ts_ms bigint,
  stats jsonb NOT NULL DEFAULT '{}',
  open_windows jsonb NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
);
