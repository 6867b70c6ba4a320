-- RisingWave: the access-log table fed from Kafka (JSON). Applied by
-- `pnpm --filter @streamkit/analytics-dashboard views:migrate` with VIEWS_ENGINE=risingwave;
-- {{logs_topic}} and {{kafka_bootstrap}} are filled in from the configuration.
-- A table (not a source) with the shipper's line id as primary key: a re-sent line overwrites
-- its first copy instead of being counted twice (at-least-once shipper, idempotent views).
CREATE TABLE IF NOT EXISTS http_logs (
  id VARCHAR PRIMARY KEY,
  host VARCHAR,
  ts TIMESTAMPTZ,
  method VARCHAR,
  path VARCHAR,
  route VARCHAR,
  status INT,
  "statusClass" VARCHAR,
  bytes BIGINT,
  "durationMs" DOUBLE PRECISION,
  "clientIp" VARCHAR,
  "userAgent" VARCHAR,
  "uaFamily" VARCHAR,
  "isBot" BOOLEAN,
  referrer VARCHAR,
  source VARCHAR
) WITH (
  connector = 'kafka',
  topic = '{{logs_topic}}',
  properties.bootstrap.server = '{{kafka_bootstrap}}',
  scan.startup.mode = 'earliest'
) FORMAT PLAIN ENCODE JSON;
