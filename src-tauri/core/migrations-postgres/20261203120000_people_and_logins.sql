-- Each person of a team connects with their own PostgreSQL login, and the
-- server decides what that login may read and change (row-level security):
--
-- * a person reads, marks and deletes only their own notifications and
--   unread count, and changes only their own subscriptions and personal
--   settings; who watches what and who wants which channel stay readable by
--   the team, because the desktop that changes stock works out who is told;
-- * global settings, the mail server, webhooks and people are changed only
--   by an administrator;
-- * the inventory (categories, parts, stock, BOMs, build orders) is the
--   team's, to read and change.
--
-- The login that owns these tables (the one that created or moved the
-- database, and runs every migration) is not bound by the policies; it is
-- the team's database administrator. A login gets its rights from
-- `partwatch_grant_login` (the core's `people::grant_login`), never by hand.

ALTER TABLE users ADD COLUMN db_login TEXT CHECK (db_login IS NULL OR length(db_login) BETWEEN 1 AND 63);
ALTER TABLE users ADD COLUMN administrator BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX users_by_db_login ON users (db_login);

-- The person the session's login belongs to (NULL for the owner's login,
-- any login no person has, and the login of a deactivated person, who then
-- reads and changes nothing of anyone's).
CREATE FUNCTION partwatch_person() RETURNS BIGINT
    LANGUAGE SQL STABLE
    RETURN (SELECT id FROM users WHERE db_login = session_user AND active);

-- Whether the session's person is an administrator. (The owner's login is
-- not bound by the policies at all.)
CREATE FUNCTION partwatch_is_administrator() RETURNS BOOLEAN
    LANGUAGE SQL STABLE
    RETURN COALESCE((SELECT administrator FROM users WHERE db_login = session_user AND active), FALSE);

-- The unread counters follow every person's notifications, including the
-- ones another person's desktop writes for them: the counting triggers run
-- with the owner's rights.
ALTER FUNCTION notifications_count_inserted() SECURITY DEFINER;
ALTER FUNCTION notifications_count_updated() SECURITY DEFINER;
ALTER FUNCTION notifications_count_deleted() SECURITY DEFINER;

-- A part back above its minimum resolves everyone's low-stock notification
-- of it, whichever desktop restocked it (only parts that are not low: the
-- caller has just cleared their alert state). Returns whose changed.
CREATE FUNCTION partwatch_resolve_low_stock(parts JSONB, resolved TEXT) RETURNS SETOF BIGINT
    LANGUAGE SQL SECURITY DEFINER
    AS $$
    UPDATE notifications SET resolved_at = resolved, read_at = COALESCE(read_at, resolved)
     WHERE kind = 'low_stock' AND resolved_at IS NULL
       AND part_id IN (SELECT p.id FROM parts p
                        WHERE NOT p.alert_low
                          AND p.id IN (SELECT value::bigint FROM jsonb_array_elements_text(parts)))
    RETURNING user_id
$$;

-- Retention is the team's global rule: any desktop deletes everyone's
-- notifications created before `cutoff` (the desktop's clock, bound by the
-- server's: nobody deletes what the retention setting keeps). Returns how
-- many went, per person.
CREATE FUNCTION partwatch_delete_notifications_before(cutoff TEXT)
    RETURNS TABLE (user_id BIGINT, deleted BIGINT)
    LANGUAGE SQL SECURITY DEFINER
    AS $$
    WITH bound AS (
        SELECT LEAST(cutoff, to_char((statement_timestamp() - make_interval(days => delete_after_days::int))
                                         AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS before
          FROM global_settings WHERE id = 1
    ), gone AS (
        DELETE FROM notifications WHERE created_at < (SELECT before FROM bound)
        RETURNING user_id
    )
    SELECT gone.user_id, COUNT(*) FROM gone GROUP BY gone.user_id
$$;

-- Why a person is told, for the desktop that sends them the email (their
-- notification itself stays hidden from that desktop's login).
CREATE FUNCTION partwatch_email_reason(delivery BIGINT) RETURNS TEXT
    LANGUAGE SQL STABLE SECURITY DEFINER
    RETURN (SELECT n.reason FROM deliveries d JOIN notifications n ON n.id = d.notification_id
             WHERE d.id = delivery AND d.channel = 'email' AND n.user_id = d.user_id);

-- The functions that run with the owner's rights look names up in this
-- schema only, never in a caller's temporary tables (which PostgreSQL would
-- otherwise search first), and run only for the team's logins.
DO $$
DECLARE
    f TEXT;
BEGIN
    FOREACH f IN ARRAY ARRAY['notifications_count_inserted()', 'notifications_count_updated()',
                             'notifications_count_deleted()', 'partwatch_resolve_low_stock(jsonb, text)',
                             'partwatch_delete_notifications_before(text)', 'partwatch_email_reason(bigint)']
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp', f, current_schema());
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

-- Only an administrator (or the owner) activates or deactivates a person.
CREATE FUNCTION users_refuse_own_activation() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM users WHERE db_login = session_user) AND NOT partwatch_is_administrator()
       AND NEW.active IS DISTINCT FROM OLD.active THEN
        RAISE EXCEPTION 'only an administrator activates or deactivates a person'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
-- (A deactivated person's login has no person: every policy refuses it.)
CREATE TRIGGER users_activation BEFORE UPDATE OF active ON users
    FOR EACH ROW EXECUTE FUNCTION users_refuse_own_activation();

-- Private to each person.
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_notifications ON notifications
    FOR SELECT USING (user_id = partwatch_person());
CREATE POLICY own_notifications_change ON notifications
    FOR UPDATE USING (user_id = partwatch_person()) WITH CHECK (user_id = partwatch_person());
CREATE POLICY own_notifications_delete ON notifications
    FOR DELETE USING (user_id = partwatch_person());
-- Any desktop tells anyone.
CREATE POLICY anyone_notifies ON notifications FOR INSERT WITH CHECK (TRUE);

ALTER TABLE unread_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_unread_count ON unread_counts
    FOR SELECT USING (user_id = partwatch_person());

-- Readable by the team, changed by their person only.
ALTER TABLE part_subscriptions ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON part_subscriptions FOR SELECT USING (TRUE);
CREATE POLICY own_subscribes ON part_subscriptions
    FOR INSERT WITH CHECK (user_id = partwatch_person());
CREATE POLICY own_unsubscribes ON part_subscriptions
    FOR DELETE USING (user_id = partwatch_person());

ALTER TABLE category_subscriptions ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON category_subscriptions FOR SELECT USING (TRUE);
CREATE POLICY own_subscribes ON category_subscriptions
    FOR INSERT WITH CHECK (user_id = partwatch_person());
CREATE POLICY own_unsubscribes ON category_subscriptions
    FOR DELETE USING (user_id = partwatch_person());

ALTER TABLE user_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON user_settings FOR SELECT USING (TRUE);
CREATE POLICY own_settings_added ON user_settings
    FOR INSERT WITH CHECK (user_id = partwatch_person());
CREATE POLICY own_settings_changed ON user_settings
    FOR UPDATE USING (user_id = partwatch_person()) WITH CHECK (user_id = partwatch_person());

-- Deliveries: emails and webhook posts are sent by whichever desktop runs;
-- a popup is its person's.
ALTER TABLE deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_sends ON deliveries
    FOR SELECT USING (channel <> 'os_popup' OR user_id = partwatch_person());
CREATE POLICY team_sends_change ON deliveries
    FOR UPDATE USING (channel <> 'os_popup' OR user_id = partwatch_person());
CREATE POLICY anyone_queues ON deliveries FOR INSERT WITH CHECK (TRUE);

-- The team's settings: read by all, changed by administrators.
ALTER TABLE global_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON global_settings FOR SELECT USING (TRUE);
CREATE POLICY administrators_change ON global_settings
    FOR UPDATE USING (TRUE) WITH CHECK (partwatch_is_administrator());

ALTER TABLE email_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON email_settings FOR SELECT USING (TRUE);
CREATE POLICY administrators_change ON email_settings
    FOR UPDATE USING (TRUE) WITH CHECK (partwatch_is_administrator());

ALTER TABLE webhooks ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON webhooks FOR SELECT USING (TRUE);
CREATE POLICY administrators_add ON webhooks
    FOR INSERT WITH CHECK (partwatch_is_administrator());
CREATE POLICY administrators_change ON webhooks
    FOR UPDATE USING (TRUE) WITH CHECK (partwatch_is_administrator());
CREATE POLICY administrators_remove ON webhooks
    FOR DELETE USING (partwatch_is_administrator());

-- People: read by all; a person changes their own name and address (the
-- column rights granted to logins leave out the login and administrator
-- columns); an administrator adds, changes and deactivates anyone.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY team_reads ON users FOR SELECT USING (TRUE);
CREATE POLICY administrators_add ON users
    FOR INSERT WITH CHECK (partwatch_is_administrator());
CREATE POLICY own_or_administrators_change ON users
    FOR UPDATE USING (TRUE) WITH CHECK (id = partwatch_person() OR partwatch_is_administrator());

-- Gives the login `login` the rights of a person of this team (and binds it
-- by the policies above). Run by the owner; run again after a migration that
-- adds tables (each such migration calls partwatch_grant_every_login()).
CREATE FUNCTION partwatch_grant_login(login TEXT) RETURNS VOID
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), login);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), login);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), login);
    -- The schema's own record: read, to know the version, never written.
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON _sqlx_migrations FROM %I', login);
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON users FROM %I', login);
    EXECUTE format('GRANT INSERT (name, email, active), UPDATE (name, email, active) ON users TO %I', login);
    EXECUTE format('GRANT EXECUTE ON FUNCTION notifications_count_inserted(), notifications_count_updated(),
                           notifications_count_deleted(), partwatch_resolve_low_stock(jsonb, text),
                           partwatch_delete_notifications_before(text), partwatch_email_reason(bigint) TO %I', login);
END $$;

CREATE FUNCTION partwatch_grant_every_login() RETURNS VOID
    LANGUAGE plpgsql
    AS $$
DECLARE
    login TEXT;
BEGIN
    FOR login IN SELECT u.db_login FROM users u
                  WHERE u.db_login IS NOT NULL
                    AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = u.db_login)
    LOOP
        PERFORM partwatch_grant_login(login);
    END LOOP;
END $$;
