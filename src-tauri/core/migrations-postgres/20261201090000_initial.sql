-- Partwatch's first schema on PostgreSQL (team mode): facts about this
-- database itself. Each file here has the same version as its SQLite twin in
-- ../migrations and leaves the schema in the same state, in PostgreSQL's
-- dialect: BIGINT identities, real booleans, PL/pgSQL where SQLite has SQL
-- triggers. Times stay ISO-8601 UTC text (the core binds them, see
-- `clock.rs`; column defaults use partwatch_now()), so both backends store
-- and compare them alike.
-- No PostgreSQL database held data before team mode existed, so the steps
-- of the SQLite files that carry old data over have no counterpart here.

-- SQLite's NOCASE under the same name (unquoted, `COLLATE NOCASE` folds to
-- it), so the core's statements compare and sort names alike on both:
-- equal regardless of case, and a unique index on it refuses "drawer a3"
-- beside "Drawer A3".
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- The moment as SQLite's strftime('%Y-%m-%dT%H:%M:%fZ', 'now') writes it:
-- fixed width, so text order is time order.
CREATE FUNCTION partwatch_now() RETURNS TEXT
    LANGUAGE SQL STABLE
    RETURN to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');

CREATE TABLE instance (
    id          BIGINT  PRIMARY KEY CHECK (id = 1),
    created_at  TEXT    NOT NULL DEFAULT partwatch_now()
);

INSERT INTO instance (id) VALUES (1);
