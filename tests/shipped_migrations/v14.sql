
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
