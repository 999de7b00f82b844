
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
