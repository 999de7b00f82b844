
CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    -- B2026-001: what a clerk types
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    opened_by INTEGER NOT NULL REFERENCES staff(id),
    closed_at INTEGER
);

-- a report counts the batches opened in its period
CREATE INDEX batches_opened ON batches(opened_at);

CREATE TABLE batch_members (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (batch_id, case_id)
) WITHOUT ROWID;

-- content-addressed: the same file attached to two cases is kept once
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    sha256 BLOB NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    bytes BLOB NOT NULL
);
