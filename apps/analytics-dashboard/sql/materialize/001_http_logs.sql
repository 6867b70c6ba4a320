-- Materialize: the Kafka connection, the JSON source and the typed, de-duplicated lines.
-- Applied by `pnpm --filter @streamkit/analytics-dashboard views:migrate` with
-- VIEWS_ENGINE=materialize; {{logs_topic}} and {{kafka_bootstrap}} come from the configuration.
CREATE CONNECTION IF NOT EXISTS dashboard_kafka TO KAFKA (
  BROKER '{{kafka_bootstrap}}',
  SECURITY PROTOCOL = 'PLAINTEXT'
);

CREATE SOURCE IF NOT EXISTS http_logs_raw
  FROM KAFKA CONNECTION dashboard_kafka (TOPIC '{{logs_topic}}')
  FORMAT JSON;

-- One row per line id (a re-sent line is counted once); the temporal filter keeps only the last
-- day of event time in state, so memory stays bounded however long the source runs.
CREATE VIEW IF NOT EXISTS http_logs AS
SELECT DISTINCT ON (data->>'id')
  data->>'id' AS id,
  data->>'host' AS host,
  (data->>'ts')::TIMESTAMPTZ AS ts,
  data->>'method' AS method,
  data->>'path' AS path,
  data->>'route' AS route,
  (data->>'status')::INT AS status,
  data->>'statusClass' AS status_class,
  (data->>'bytes')::BIGINT AS bytes,
  (data->>'durationMs')::DOUBLE PRECISION AS duration_ms,
  data->>'clientIp' AS client_ip
FROM http_logs_raw
WHERE mz_now() <= (data->>'ts')::TIMESTAMPTZ + INTERVAL '1 day';
