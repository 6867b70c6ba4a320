-- Open windows' values as packed float64 (src/processor/window-codec.ts) instead of JSON: the
-- JSONB upsert of every touched device's raw values was 43 % of a backfill's batch time.
-- Rows written before keep their JSON in open_windows (read when the binary column is NULL).
-- EXTERNAL: stored out of line uncompressed (doubles compress poorly; saves the pglz pass).
ALTER TABLE iot_device_state ADD COLUMN open_window_values bytea;
ALTER TABLE iot_device_state ALTER COLUMN open_window_values SET STORAGE EXTERNAL;
