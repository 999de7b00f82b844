
CREATE TABLE phrases (
    id INTEGER PRIMARY KEY,
    -- which step's text: feedback, urge, visit, reply, note, answer
    use TEXT NOT NULL,
    text TEXT NOT NULL,
    added_by INTEGER NOT NULL REFERENCES staff(id),
    -- unix seconds
    added_at INTEGER NOT NULL,
    removed_at INTEGER
);
-- The picker lists one use's phrases still offered.
CREATE INDEX phrases_use ON phrases(use, id) WHERE removed_at IS NULL;

-- A shift's notes and corrections, for its handover.
CREATE INDEX events_notes ON events(at) WHERE kind IN ('noted', 'corrected');
