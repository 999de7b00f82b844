
CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    phone TEXT,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY CHECK (id > 0),
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
    dept_id INTEGER REFERENCES departments(id),
    active INTEGER NOT NULL DEFAULT 1,
    -- argon2id PHC string; the PIN itself is never stored.
    pin_hash TEXT,
    failed_pins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE complainants (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    -- digits only: the key for a caller's history and repeat detection
    phone_key TEXT,
    address TEXT,
    relation TEXT
);
-- Typing a phone number at intake looks up the caller's earlier cases.
CREATE INDEX complainants_phone ON complainants(phone_key) WHERE phone_key IS NOT NULL;
-- Callers without a phone are matched by name for repeats.
CREATE INDEX complainants_name ON complainants(name);

-- Case numbers are never reused: the counter only goes up, per year.
CREATE TABLE case_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    received_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    origin TEXT NOT NULL,
    severity TEXT NOT NULL,
    dept_id INTEGER REFERENCES departments(id),
    category_id INTEGER REFERENCES categories(id),
    subject_staff_id INTEGER REFERENCES staff(id),
    complainant_id INTEGER REFERENCES complainants(id),
    owner_id INTEGER NOT NULL REFERENCES staff(id),
    first_receiver_id INTEGER NOT NULL REFERENCES staff(id),
    level INTEGER NOT NULL,
    flags TEXT NOT NULL,
    confidential INTEGER NOT NULL,
    summary TEXT NOT NULL,
    details TEXT NOT NULL,
    -- nearest running due time (unix seconds); NULL when nothing runs
    next_due INTEGER,
    closed_at INTEGER,
    -- optimistic concurrency: a write names the version it read
    version INTEGER NOT NULL
);
-- The queue: open cases by urgency.
CREATE INDEX cases_open_due ON cases(next_due) WHERE closed_at IS NULL;
-- My cases.
CREATE INDEX cases_owner ON cases(owner_id, state);
-- Reports and listing by period.
CREATE INDEX cases_received ON cases(received_at);
-- A caller's history.
CREATE INDEX cases_complainant ON cases(complainant_id, received_at);
-- Repeat complaints about one department and category.
CREATE INDEX cases_subject ON cases(dept_id, category_id, received_at);
CREATE INDEX cases_state ON cases(state);

-- The audit trail and the source of truth: a case is the replay of its
-- events. Append-only; each row's hash covers its content and the previous
-- row's hash (SHA-256, 32 bytes), so `casedesk check` finds any edit.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER REFERENCES cases(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    actor_id INTEGER NOT NULL,
    -- unix seconds
    at INTEGER NOT NULL,
    -- the step's own fields as JSON (time and actor are the columns above)
    body TEXT NOT NULL,
    hash BLOB NOT NULL
);
-- A case's timeline.
CREATE UNIQUE INDEX events_case ON events(case_id, seq);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
-- With recursive_triggers on, INSERT OR REPLACE deletes first and so fires this too.
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
-- Connections without recursive_triggers (the sqlite3 shell) could still
-- replace a row: an insert onto an existing id is refused before it starts.
CREATE TRIGGER events_no_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
