
CREATE INDEX events_late ON events(json_extract(body, '$.late.entered_at'))
    WHERE instr(body, '"late":{') > 0;
