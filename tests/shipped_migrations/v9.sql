
CREATE INDEX cases_caller ON cases(caller_key, received_at);
DROP INDEX complainants_phone;
DROP INDEX complainants_name_no_phone;
