
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
