-- The outbox without a shop-wide lock (see db/events_repo.ts). Business transactions insert events
-- freely; each row records the writing transaction (xid8) and the time it was written. A publisher
-- gives committed events their public, gap-free positions in one serialised step, so clients that
-- resume "after position N" never miss an event that committed late.
ALTER TABLE events ALTER COLUMN at SET DEFAULT clock_timestamp();
ALTER TABLE events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_xid_idx ON events (xid);

-- An event's public id: positions grow in the order events were published.
CREATE TABLE event_positions (
  pos bigint PRIMARY KEY,
  event_id bigint NOT NULL UNIQUE REFERENCES events (id)
);
INSERT INTO event_positions (pos, event_id) SELECT id, id FROM events;
CREATE TRIGGER event_positions_append_only BEFORE UPDATE OR DELETE ON event_positions
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER event_positions_no_truncate BEFORE TRUNCATE ON event_positions
  FOR EACH STATEMENT EXECUTE FUNCTION forbid_change();

-- Every event whose transaction id is below this horizon has been published (or rolled back).
CREATE TABLE event_publication (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  horizon xid8 NOT NULL
);
INSERT INTO event_publication (horizon) VALUES (pg_snapshot_xmin(pg_current_snapshot()));
