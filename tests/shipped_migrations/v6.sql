
CREATE INDEX cases_owner_open ON cases(owner_id, next_due) WHERE closed_at IS NULL;
