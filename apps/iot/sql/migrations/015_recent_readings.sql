-- Deduplication of readings produced to Kafka twice (the hub is at least once: a reading whose
-- PUBACK a hub crash or a dropped MQTT connection lost comes back from the broker and is produced
-- again). Per device, the readings applied within PROCESSOR_DEDUP_HORIZON_MS of its newest event
-- time, seq -> event time, packed (processor/recent-readings.ts). Written in the micro-batch's
-- transaction with the checkpoint, so a replay decides exactly as the first attempt did.
ALTER TABLE iot_device_state ADD COLUMN recent_readings bytea;
