-- A person's snooze of a part (and its variants) or a category (and all
-- below it): while in force, that person is told nothing about it. `until`
-- is a moment; NULL means "until the part is back in stock" (parts only).
-- `since` says from when the person heard nothing, so that the end of the
-- snooze tells them once of a part still low.
CREATE TABLE snoozes (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    part_id      INTEGER REFERENCES parts (id) ON DELETE CASCADE,
    category_id  INTEGER REFERENCES categories (id) ON DELETE CASCADE,
    since        TEXT    NOT NULL,
    until        TEXT,
    CHECK ((part_id IS NULL) <> (category_id IS NULL)),
    CHECK (until IS NOT NULL OR part_id IS NOT NULL)
);
CREATE UNIQUE INDEX snoozes_of_a_part ON snoozes (user_id, part_id) WHERE part_id IS NOT NULL;
CREATE UNIQUE INDEX snoozes_of_a_category ON snoozes (user_id, category_id) WHERE category_id IS NOT NULL;
CREATE INDEX snoozes_due ON snoozes (until) WHERE until IS NOT NULL;
