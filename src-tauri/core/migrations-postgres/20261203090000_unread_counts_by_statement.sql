-- Each user's unread count, kept once per statement instead of once per row.
--
-- A row trigger that updates the same user's counter for every row rewrites
-- that counter's row each time, and PostgreSQL keeps every version of it until
-- the transaction ends: marking 500,000 notifications read, or inserting them,
-- slowed down with each row (quadratic). A statement trigger with transition
-- tables adds each user's change once. SQLite updates in place and keeps its
-- row triggers (its twin of this file changes nothing).

DROP TRIGGER notifications_count_insert ON notifications;
DROP TRIGGER notifications_count_read ON notifications;
DROP TRIGGER notifications_count_unread ON notifications;
DROP TRIGGER notifications_count_delete ON notifications;
DROP FUNCTION notifications_count_up();
DROP FUNCTION notifications_count_down();

CREATE FUNCTION notifications_count_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO unread_counts (user_id, unread)
    SELECT user_id, COUNT(*) FROM inserted WHERE read_at IS NULL GROUP BY user_id
        ON CONFLICT (user_id) DO UPDATE SET unread = unread_counts.unread + EXCLUDED.unread;
    RETURN NULL;
END $$;

CREATE FUNCTION notifications_count_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- Updated in place where the user has a counter, inserted where not (a
    -- proposed row with a negative count would fail the CHECK even when it
    -- would have been an update).
    WITH changes AS (
        SELECT new_rows.user_id,
               SUM(CASE WHEN new_rows.read_at IS NULL THEN 1 ELSE -1 END) AS delta
          FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id
         WHERE (old_rows.read_at IS NULL) <> (new_rows.read_at IS NULL)
         GROUP BY new_rows.user_id
    ), counted AS (
        UPDATE unread_counts SET unread = unread_counts.unread + changes.delta
          FROM changes
         WHERE unread_counts.user_id = changes.user_id
        RETURNING unread_counts.user_id
    )
    INSERT INTO unread_counts (user_id, unread)
    SELECT user_id, delta FROM changes
     WHERE delta > 0 AND user_id NOT IN (SELECT user_id FROM counted);
    RETURN NULL;
END $$;

CREATE FUNCTION notifications_count_deleted() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unread_counts
       SET unread = unread_counts.unread - gone.unread
      FROM (SELECT user_id, COUNT(*) AS unread FROM deleted WHERE read_at IS NULL GROUP BY user_id) AS gone
     WHERE unread_counts.user_id = gone.user_id;
    RETURN NULL;
END $$;

CREATE TRIGGER notifications_count_insert AFTER INSERT ON notifications
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION notifications_count_inserted();

CREATE TRIGGER notifications_count_update AFTER UPDATE ON notifications
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notifications_count_updated();

CREATE TRIGGER notifications_count_delete AFTER DELETE ON notifications
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION notifications_count_deleted();
