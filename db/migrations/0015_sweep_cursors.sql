-- Where a background sweep that walks members in id order got to, so the next sweep resumes there
-- (0: the next sweep starts a new pass from the beginning).
CREATE TABLE sweep_cursors (
  name text PRIMARY KEY,
  last_id bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
