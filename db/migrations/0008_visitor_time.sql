-- When each visitor was first seen that day, so conversion compares with the same time yesterday.
ALTER TABLE daily_visitors ADD COLUMN first_seen_at timestamptz NOT NULL DEFAULT now();
