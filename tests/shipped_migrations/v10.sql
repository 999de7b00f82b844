
CREATE TABLE desk_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
ALTER TABLE events ADD COLUMN recorded_at INTEGER;
