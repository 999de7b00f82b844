
-- Who joined which shift; off_at is set when their handover is signed by the
-- incoming clerk (until then they stay on duty, 003).
CREATE TABLE on_duty (
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    shift_start INTEGER NOT NULL,
    shift_end INTEGER NOT NULL,
    joined_at INTEGER NOT NULL,
    off_at INTEGER,
    PRIMARY KEY (staff_id, shift_start)
);
-- The top bar asks who is on duty on every refresh.
CREATE INDEX on_duty_open ON on_duty(off_at, shift_start);

-- The duty log: quick entries; each gains exactly one ending, nothing is deleted.
CREATE TABLE duty_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    clerk_id INTEGER NOT NULL REFERENCES staff(id),
    channel TEXT NOT NULL,
    who TEXT NOT NULL,
    what TEXT NOT NULL,
    action TEXT NOT NULL,
    ending TEXT,
    ended_at INTEGER,
    ended_by INTEGER REFERENCES staff(id)
);
-- Open entries block a handover: found by clerk.
CREATE INDEX duty_log_open ON duty_log(clerk_id) WHERE ending IS NULL;
CREATE INDEX duty_log_at ON duty_log(at);
CREATE TRIGGER duty_log_no_delete BEFORE DELETE ON duty_log
BEGIN SELECT RAISE(ABORT, 'duty-log entries are never deleted'); END;
CREATE TRIGGER duty_log_one_ending BEFORE UPDATE ON duty_log
WHEN OLD.ending IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a duty-log entry ends once'); END;

-- Handovers: the rules' state as JSON, the generated sections frozen when the
-- outgoing clerk signs; read-only once the incoming clerk signed.
CREATE TABLE handovers (
    id INTEGER PRIMARY KEY,
    shift_start INTEGER NOT NULL,
    outgoing_id INTEGER NOT NULL REFERENCES staff(id),
    incoming_id INTEGER REFERENCES staff(id),
    data TEXT NOT NULL,
    sections TEXT,
    outgoing_signed_at INTEGER,
    incoming_signed_at INTEGER,
    UNIQUE (outgoing_id, shift_start)
);
CREATE TRIGGER handovers_signed_read_only BEFORE UPDATE ON handovers
WHEN OLD.incoming_signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed handover is read-only'); END;
CREATE TRIGGER handovers_no_delete BEFORE DELETE ON handovers
BEGIN SELECT RAISE(ABORT, 'handovers are never deleted'); END;
