
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
