
CREATE TABLE saved_views (
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    name TEXT NOT NULL,
    -- the number that recalls it, 1 to 9; NULL when it has none
    slot INTEGER,
    view TEXT NOT NULL,
    -- unix seconds
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (staff_id, name)
) WITHOUT ROWID;
-- A number recalls one view of a clerk's.
CREATE UNIQUE INDEX saved_views_slot ON saved_views(staff_id, slot) WHERE slot IS NOT NULL;
-- A view of open cases newest or oldest first walks this, not every case received.
CREATE INDEX cases_open_received ON cases(received_at) WHERE closed_at IS NULL;
