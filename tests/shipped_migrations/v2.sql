
-- One- and two-character Chinese terms need an index of characters and their
-- pairs; contentless (the text lives in `cases`), deletable for re-indexing.
CREATE VIRTUAL TABLE case_search USING fts5(
    body, who, tokenize = 'ascii', content = '', contentless_delete = 1, detail = none
);
