-- Login throttling: one counter row per key (an account guessed from unknown devices, an IP, a device
-- that signed in before, a session's password re-entry). Attempts are counted in one statement BEFORE
-- the password is checked, so concurrent guesses on any number of instances cannot pass the limit.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  attempts integer NOT NULL DEFAULT 0,
  window_start timestamptz NOT NULL DEFAULT now(),
  -- Progressive delay: no further attempt is checked before this time.
  not_before timestamptz,
  -- The member was told about guessing in this window (at most once per window).
  notified_at timestamptz
);
CREATE INDEX login_throttle_window_idx ON login_throttle (window_start);

-- Devices that signed in to an account before: the SHA-256 of their `did` cookie. Sign-ins from them
-- are not slowed down by guessing from elsewhere.
CREATE TABLE known_devices (
  user_id bigint NOT NULL REFERENCES users (id),
  device_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, device_hash)
);
