
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
