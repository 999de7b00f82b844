
CREATE VIRTUAL TABLE {t} USING fts5(
    body, who, tokenize = 'ascii', content = '', contentless_delete = 1, detail = none
);
INSERT INTO {t} ({t}, rank) VALUES ('automerge', 0);
INSERT INTO {t} ({t}, rank) VALUES ('crisismerge', 1000);
INSERT INTO {t} ({t}, rank) VALUES ('hashsize', 67108864);
