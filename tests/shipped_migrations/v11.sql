
CREATE TABLE anchors (
    id INTEGER PRIMARY KEY,
    -- backup: a backup made of this desk (file names it); copy: a backup's
    -- own head, written into the backup file itself.
    kind TEXT NOT NULL,
    -- how many events the chain held, and the newest one's hash
    events INTEGER NOT NULL,
    head BLOB NOT NULL,
    -- the real clock, unix seconds
    at INTEGER NOT NULL,
    file TEXT NOT NULL
);
CREATE TRIGGER anchors_no_update BEFORE UPDATE ON anchors
BEGIN SELECT RAISE(ABORT, 'anchors are append-only'); END;
CREATE TRIGGER anchors_no_delete BEFORE DELETE ON anchors
BEGIN SELECT RAISE(ABORT, 'anchors are append-only'); END;

-- The chain's head when the incoming clerk signed (signed handovers are
-- read-only, so it stays as it was signed).
ALTER TABLE handovers ADD COLUMN anchor_events INTEGER;
ALTER TABLE handovers ADD COLUMN anchor_head BLOB;

CREATE TRIGGER staff_no_delete BEFORE DELETE ON staff
BEGIN SELECT RAISE(ABORT, 'staff are never deleted: deactivate them'); END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END;
CREATE TRIGGER complainants_no_delete BEFORE DELETE ON complainants
BEGIN SELECT RAISE(ABORT, 'complainants are never deleted'); END;
-- A case number is never issued twice: a year's counter only goes up.
CREATE TRIGGER case_counters_only_up BEFORE UPDATE ON case_counters
WHEN NEW.last < OLD.last
BEGIN SELECT RAISE(ABORT, 'case numbers are never issued twice'); END;
CREATE TRIGGER case_counters_no_delete BEFORE DELETE ON case_counters
BEGIN SELECT RAISE(ABORT, 'case numbers are never issued twice'); END;

INSERT INTO desk_settings (key, value) SELECT 'staff_baseline', 'pending' WHERE EXISTS (SELECT 1 FROM staff);
