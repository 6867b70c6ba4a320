-- What the live dashboard feed needs to find every committed change of a window, whatever the
-- writer, however long its transaction and in whatever order transactions commit
-- (src/analytics/live-feed.ts):
-- * change_xid: the id of the transaction that last wrote the row. The feed keeps the PostgreSQL
--   snapshot of its previous read; a row whose change_xid is at or above that snapshot's xmax, or
--   was in progress in it (its xip list), committed after that read: exactly the rows to push.
--   updated_at cannot do this: now() is the transaction's START, so a long transaction commits
--   rows dated before changes already pushed.
-- * version: increases with every write of a row (taken under the row's lock, so in commit order
--   per row): a client that gets a window from a snapshot, a REST read and the stream keeps the
--   highest version.
-- A trigger sets both, so no writer can forget them.
ALTER TABLE iot_window_aggregates ADD COLUMN change_xid xid8 NOT NULL DEFAULT '0';
ALTER TABLE iot_window_aggregates ADD COLUMN version bigint NOT NULL DEFAULT 0;
CREATE INDEX iot_window_aggregates_change_xid ON iot_window_aggregates (change_xid);
CREATE SEQUENCE iot_window_aggregates_version;

CREATE FUNCTION iot_window_aggregates_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.change_xid := pg_current_xact_id();
  NEW.version := nextval('iot_window_aggregates_version');
  RETURN NEW;
END
$$;

-- BEFORE UPDATE runs after the row is locked (also on INSERT … ON CONFLICT DO UPDATE), so two
-- writers of one window take their versions in the order they commit
CREATE TRIGGER iot_window_aggregates_stamp BEFORE INSERT OR UPDATE ON iot_window_aggregates
  FOR EACH ROW EXECUTE FUNCTION iot_window_aggregates_stamp();
