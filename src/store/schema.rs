//! The schema, as migrations that are only ever appended: never edit one that has shipped.

use rusqlite_migration::{M, Migrations};

/// All migrations, oldest first.
#[must_use]
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up(V6),
        M::up(V7),
        M::up(V8),
        M::up(V9),
        M::up(V10),
        M::up(V11),
        M::up(V12),
        M::up(V13),
        M::up(V14),
        M::up(V15),
        M::up(V16),
        M::up(V17),
        M::up(V18),
    ])
}

/// Incoming calls (`casedesk ring PHONE`): a phone system, a softphone or a
/// clerk tells the desk a call is coming in, for one station (terminal), one
/// clerk, or the clerks on duty; their screens show the caller's earlier
/// cases. Each ring is also an audit event (`ring`).
const V15: &str = r"
CREATE TABLE rings (
    id INTEGER PRIMARY KEY,
    phone TEXT NOT NULL,
    -- the station (terminal) it is for, as the screens there name themselves
    station TEXT,
    -- the clerk it is for
    staff_id INTEGER REFERENCES staff(id),
    -- unix seconds
    at INTEGER NOT NULL
);
";

/// Quick phrases (常用语): the texts an admin keeps for each use (feedback,
/// urge, visit comment, reply facts and measures, note, answer), offered in
/// that step's text fields. A removed phrase keeps its row (the audit log
/// names it) and is only no longer offered.
/// And the shift's notes and corrections, which the handover lists: a partial
/// index of those two kinds by time, so a handover reads only its shift's.
const V16: &str = r"
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
";

/// Saved views (保存的视图): each clerk's own named combinations of
/// the queue's filter and order, the parts as JSON (`domain::view::View`),
/// recalled by a number 1–9 (`slot`, one view per number and clerk). Saving,
/// replacing and removing one are audit events without a case.
const V18: &str = r"
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
";

/// Each department's part in a case (交办): one row per department and round
/// with its reply's due time, urges, verdict, responsibility tier and the
/// person its reply named, rewritten with the case's facts on every write; so
/// reports count per assigned department (a case of two departments in both)
/// and per responsible person without replaying timelines. Cases assigned
/// before this get their rows when `Store::open` fills their facts again.
const V14: &str = r"
CREATE TABLE case_depts (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    dept_id INTEGER NOT NULL REFERENCES departments(id),
    round INTEGER NOT NULL,
    mode TEXT NOT NULL,
    assigned_at INTEGER NOT NULL,
    -- the reply's due time, unix seconds: while it runs, else as it stood
    -- when the reply came or the department was let off
    due_at INTEGER,
    -- when it replied or was let off
    done_at INTEGER,
    released INTEGER NOT NULL,
    urges INTEGER NOT NULL,
    verdict TEXT,
    tier TEXT,
    responsible TEXT,
    -- a second complaint about the same matter: penalties multiply
    second INTEGER NOT NULL,
    PRIMARY KEY (case_id, dept_id, round)
) WITHOUT ROWID;

UPDATE cases SET facts_version = 0
    WHERE id IN (SELECT DISTINCT case_id FROM events WHERE kind = 'assigned');
";

/// Anchors: the audit chain's head (how many events, the newest one's hash)
/// written where a rewriter of the file cannot quietly follow it — into each
/// signed handover (and so on its printed page) and each backup — so
/// `casedesk check` can tell that the chain still passes through every one.
/// Staff, cases and complainants are never deleted, and neither are anchors:
/// triggers say so, and `check` names any protective trigger that is gone.
/// A desk made before this records its accounts once, as they stand, when it
/// next opens (`staff_baseline`): from then on every account's role,
/// department, state and PIN is what the audit log replays to.
const V11: &str = r"
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
";

/// Steps entered late (补录), by when they were entered: a report counts
/// those of its period without reading every event of the desk. A late
/// step's note is inside its event's body (`"late":{"reason":…,
/// "entered_at":"2026-10-01T02:00:00Z"}`, always UTC to the second, so the
/// text orders as the time); no typed text can hold `"late":{` unescaped.
/// A partial index: the few late events, nothing for the rest, and nothing
/// to fill in (existing events are indexed as it is made).
const V12: &str = r#"
CREATE INDEX events_late ON events(json_extract(body, '$.late.entered_at'))
    WHERE instr(body, '"late":{') > 0;
"#;

/// Issue 18. The organisation's people, a directory of their own apart from
/// desk accounts: nurses, technicians and repair staff are complained about
/// but never sign in. A case keeps the person it is about as recorded
/// (listed in the directory or a free name, their job number and
/// department), so the reports count complaints per person from the case
/// rows alone; cases recorded before name only a desk account
/// (`subject_staff_id`).
///
/// Each month's base for a report's complaint rate (004: complaints per
/// million users; 门诊人次, households, subscribers — the policy names it):
/// a period's base is its months' sum, and a month without one has no rate.
///
/// Search entries made again: a complainant's phone is indexed as written
/// and as its digits, so `138-1111-2222` is found by `13811112222`, `+86 138
/// 1111 2222` or full-width digits. Only cases whose phone was written with
/// anything but digits have entries that lack the digits; they are listed
/// here (through the complainants, not a scan of the cases) and
/// `Store::open` indexes them again, then empties the list.
const V13: &str = r"
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    dept TEXT NOT NULL,
    -- 工号: an import updates the person with the same one.
    job_number TEXT UNIQUE,
    added_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
);
-- The subject of a case is typed by name (or job number: its unique index).
CREATE INDEX people_name ON people(name);

ALTER TABLE cases ADD COLUMN subject_name TEXT;
ALTER TABLE cases ADD COLUMN subject_job TEXT;
ALTER TABLE cases ADD COLUMN subject_dept TEXT;
ALTER TABLE cases ADD COLUMN subject_listed INTEGER;
-- A report's complaints per person read only the cases that have a subject
-- person (a few in a hundred), in the period, straight off this index.
CREATE INDEX cases_subject_person ON cases(received_at, kind, subject_name, subject_job, subject_dept,
    subject_listed, subject_staff_id, dept_id)
    WHERE subject_name IS NOT NULL OR subject_staff_id IS NOT NULL;

-- 'YYYY-MM' → the base counted that month.
CREATE TABLE rate_bases (
    month TEXT PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    value INTEGER NOT NULL CHECK (value > 0)
);

CREATE TABLE search_reindex (case_id INTEGER PRIMARY KEY);
INSERT INTO search_reindex (case_id)
    SELECT c.id FROM complainants p JOIN cases c ON c.complainant_id = p.id
    WHERE p.phone IS NOT NULL AND p.phone IS NOT p.phone_key;
";

/// The desk's own settings: whether it is a training desk (whose clock and
/// policy files a clerk may set) and the policy and holiday calendar an admin
/// applied, as TOML text; one row per key. Every event also records when it
/// was written by the real clock (`recorded_at`, unix seconds), beside the
/// time it says it happened (`at`); rows written before this have none.
const V10: &str = r"
CREATE TABLE desk_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
ALTER TABLE events ADD COLUMN recorded_at INTEGER;
";

/// A caller's cases by time, straight off one index: how many in the repeat
/// window (an intake), the newest first (the intake screen's history). Through
/// the complainants' phone index, a caller with 1,500 cases (the demo has
/// such callers at a million cases) cost 1,500 reads of the cases per intake
/// and per lookup, most of them from disk on a cold desk. `caller_key` is
/// the phone's digits, else the name, as the complainants' two indexes were
/// keyed; nothing else used them.
const V9: &str = r"
CREATE INDEX cases_caller ON cases(caller_key, received_at);
DROP INDEX complainants_phone;
DROP INDEX complainants_name_no_phone;
";

/// The search index in parts of 65,536 consecutive cases, each its own FTS5
/// table made from [`SEARCH_PART`] (see `store::search`). In one index,
/// merging the segments of a million cases could hold an intake for seconds;
/// within a part every merge is small. `Store::open` fills the parts from
/// the cases.
const V8: &str = r"
DROP TABLE case_search;
-- The parts there are: part n is the table case_search_<n>, cases n * 65536
-- to n * 65536 + 65535.
CREATE TABLE search_parts (part INTEGER PRIMARY KEY);
";

/// One part of the search index (V8); `{t}` is its table. One- and
/// two-character Chinese terms need an index of characters and their pairs;
/// contentless (the text lives in `cases`), deletable for re-indexing.
/// FTS5 merges no segments by itself: each write to a part does a few pages
/// of merge work (`store::search`), so no write waits on a large merge, and
/// the crisis limit is a last resort. A bulk load writes a part in one
/// statement, held in memory up to `hashsize` (64 MiB), as one segment.
/// Never edit: a change is a new migration that drops and refills the parts.
pub const SEARCH_PART: &str = r"
CREATE VIRTUAL TABLE {t} USING fts5(
    body, who, tokenize = 'ascii', content = '', contentless_delete = 1, detail = none
);
INSERT INTO {t} ({t}, rank) VALUES ('automerge', 0);
INSERT INTO {t} ({t}, rank) VALUES ('crisismerge', 1000);
INSERT INTO {t} ({t}, rank) VALUES ('hashsize', 67108864);
";

/// The queue reads a page straight off an index in its own order (next due,
/// nothing due last; then newest first; the number keeps the order total),
/// for each of its views and over open cases only: a page costs the same at
/// any size of desk, and moving past the loaded rows reads the next page
/// after the last row's key (keyset paging). The escalated view's index also
/// serves its count.
const V7: &str = r"
CREATE INDEX cases_queue ON cases(coalesce(next_due, 9223372036854775807), received_at DESC, number DESC)
    WHERE closed_at IS NULL;
CREATE INDEX cases_queue_owner ON cases(owner_id, coalesce(next_due, 9223372036854775807), received_at DESC, number DESC)
    WHERE closed_at IS NULL;
CREATE INDEX cases_queue_state ON cases(state, coalesce(next_due, 9223372036854775807), received_at DESC, number DESC)
    WHERE closed_at IS NULL;
CREATE INDEX cases_queue_escalated ON cases(coalesce(next_due, 9223372036854775807), received_at DESC, number DESC)
    WHERE closed_at IS NULL AND level >= 2;
-- cases_queue_owner begins with what this one held.
DROP INDEX cases_owner_open;
";

/// A clerk's own open cases (the queue a clerk signs in to), by due time,
/// without reading the closed ones: at a million cases a clerk owns hundreds
/// of thousands of closed cases.
const V6: &str = r"
CREATE INDEX cases_owner_open ON cases(owner_id, next_due) WHERE closed_at IS NULL;
";

/// Fewer index entries per new case: a million-case desk loads faster and is smaller.
const V5: &str = r"
-- Callers without a phone are matched by name: only they need a name index
-- (a caller with a phone is found by phone_key).
DROP INDEX complainants_name;
CREATE INDEX complainants_name_no_phone ON complainants(name) WHERE phone_key IS NULL;
-- cases_report begins with received_at and serves every period query.
DROP INDEX cases_received;
";

/// What reports count, kept beside each case (filled in by `Store::open` for
/// cases recorded before this migration: facts_version 0).
const V4: &str = r"
ALTER TABLE cases ADD COLUMN facts_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN verdict TEXT;
ALTER TABLE cases ADD COLUMN visits_ok INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN visits_bad INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN visit TEXT;
ALTER TABLE cases ADD COLUMN urges INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN has_result INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN has_feedback INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN ack_on_time INTEGER;
ALTER TABLE cases ADD COLUMN reply_on_time INTEGER;
ALTER TABLE cases ADD COLUMN reply_due INTEGER;
ALTER TABLE cases ADD COLUMN wd_to_close INTEGER;
ALTER TABLE cases ADD COLUMN visit_due INTEGER;
ALTER TABLE cases ADD COLUMN follow_up_due INTEGER;
ALTER TABLE cases ADD COLUMN caller_key TEXT;
-- Kind, channel, severity, closed, repeat, verdict, visit, result, feedback and
-- the two in-time answers, packed (domain::facts::Bits): one column for reports.
ALTER TABLE cases ADD COLUMN report_bits INTEGER NOT NULL DEFAULT 0;
-- The return-visit worklist, by due date.
CREATE INDEX cases_visit_due ON cases(visit_due) WHERE visit_due IS NOT NULL;
CREATE INDEX cases_follow_up_due ON cases(follow_up_due) WHERE follow_up_due IS NOT NULL;
-- Cases still waiting for their facts: empty once filled, so checking on open is free.
CREATE INDEX cases_facts_pending ON cases(id) WHERE facts_version = 0;
-- A period's report reads only this index, never the case rows with their text.
CREATE INDEX cases_report ON cases(received_at, kind, channel, dept_id, category_id, report_bits, owner_id,
    visits_ok, visits_bad, urges, reply_due, wd_to_close, next_due, caller_key);
-- Departments holding replies past due (压单), found without a scan.
CREATE INDEX cases_reply_due ON cases(reply_due) WHERE reply_due IS NOT NULL;
";

/// Shifts, the duty log and handovers.
const V3: &str = r"
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
";

/// The search index (rebuilt from the cases by `Store::open` when empty;
/// replaced by parts in V8).
const V2: &str = r"
-- One- and two-character Chinese terms need an index of characters and their
-- pairs; contentless (the text lives in `cases`), deletable for re-indexing.
CREATE VIRTUAL TABLE case_search USING fts5(
    body, who, tokenize = 'ascii', content = '', contentless_delete = 1, detail = none
);
";

const V1: &str = r"
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
";

/// Batch incidents (批量事件: one outage, many callers) and their member
/// cases, and the files cases keep (附件). A membership and an attachment
/// are each an event on the case too; these tables are what the events
/// point at.
const V17: &str = r"
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
";
