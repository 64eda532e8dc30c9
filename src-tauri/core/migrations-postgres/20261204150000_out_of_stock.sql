-- The twin of SQLite's migration of this version: out of stock as its own,
-- critical event (`parts.alert_out`, the widened kind CHECKs, a matrix row
-- whose "in the app" cannot be off, webhooks' column, quiet hours' choice).
ALTER TABLE parts ADD COLUMN alert_out BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE parts SET alert_out = TRUE WHERE alert_low AND total_stock <= 0;

ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check,
    ADD CONSTRAINT notifications_kind_check
        CHECK (kind IN ('low_stock', 'out_of_stock', 'back_in_stock', 'build_shortage', 'test'));
ALTER TABLE delivery_events DROP CONSTRAINT delivery_events_kind_check,
    ADD CONSTRAINT delivery_events_kind_check
        CHECK (kind IN ('low_stock', 'out_of_stock', 'back_in_stock', 'build_shortage', 'test'));

ALTER TABLE default_preferences DROP CONSTRAINT default_preferences_kind_check,
    ADD CONSTRAINT default_preferences_kind_check
        CHECK (kind IN ('low_stock', 'out_of_stock', 'back_in_stock', 'build_shortage')),
    ADD CONSTRAINT default_preferences_critical_in_app
        CHECK (kind <> 'out_of_stock' OR channel <> 'in_app' OR enabled);
INSERT INTO default_preferences (kind, channel, enabled)
SELECT 'out_of_stock', channel, channel = 'in_app' OR enabled
  FROM default_preferences WHERE kind = 'low_stock';

ALTER TABLE notification_preferences DROP CONSTRAINT notification_preferences_kind_check,
    ADD CONSTRAINT notification_preferences_kind_check
        CHECK (kind IN ('low_stock', 'out_of_stock', 'back_in_stock', 'build_shortage')),
    ADD CONSTRAINT notification_preferences_critical_in_app
        CHECK (kind <> 'out_of_stock' OR channel <> 'in_app' OR enabled);
INSERT INTO notification_preferences (user_id, kind, channel, enabled)
SELECT user_id, 'out_of_stock', channel, enabled FROM notification_preferences
 WHERE kind = 'low_stock' AND channel <> 'in_app';

ALTER TABLE webhooks ADD COLUMN out_of_stock BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE webhooks SET out_of_stock = low_stock;

ALTER TABLE user_settings ADD COLUMN quiet_critical_through BOOLEAN NOT NULL DEFAULT TRUE;

-- A part back above its minimum resolves everyone's low-stock and
-- out-of-stock notifications of it (as before, now both kinds).
CREATE OR REPLACE FUNCTION partwatch_resolve_low_stock(parts JSONB, resolved TEXT) RETURNS SETOF BIGINT
    LANGUAGE SQL SECURITY DEFINER
    AS $$
    UPDATE notifications SET resolved_at = resolved, read_at = COALESCE(read_at, resolved)
     WHERE kind IN ('low_stock', 'out_of_stock') AND resolved_at IS NULL
       AND part_id IN (SELECT p.id FROM parts p
                        WHERE NOT p.alert_low
                          AND p.id IN (SELECT value::bigint FROM jsonb_array_elements_text(parts)))
    RETURNING user_id
$$;
-- Replacing a function resets its settings: it looks names up in this schema only again.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION partwatch_resolve_low_stock(jsonb, text) SET search_path = pg_catalog, %I, pg_temp',
                   current_schema());
END $$;
