
DROP TABLE case_search;
-- The parts there are: part n is the table case_search_<n>, cases n * 65536
-- to n * 65536 + 65535.
CREATE TABLE search_parts (part INTEGER PRIMARY KEY);
