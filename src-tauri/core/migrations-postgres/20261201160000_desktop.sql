-- Desktop presence: a user can pause their OS popups for a while (the
-- notifications still land in the inbox). Close-to-tray lives in
-- instance_settings (key 'close_to_tray', default on).
ALTER TABLE user_settings ADD COLUMN popups_paused_until TEXT;
