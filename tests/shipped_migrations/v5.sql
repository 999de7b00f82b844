
-- Callers without a phone are matched by name: only they need a name index
-- (a caller with a phone is found by phone_key).
DROP INDEX complainants_name;
CREATE INDEX complainants_name_no_phone ON complainants(name) WHERE phone_key IS NULL;
-- cases_report begins with received_at and serves every period query.
DROP INDEX cases_received;
