-- A link click counts once per visitor, link and day (shop time): the visitor (cookie or member key) and the
-- day are kept with each counted click, and a unique index refuses the repeats on every instance. Clicks
-- counted before this migration have neither and stay as they were.
ALTER TABLE referral_visits ADD COLUMN visitor text;
ALTER TABLE referral_visits ADD COLUMN day date;
CREATE UNIQUE INDEX referral_visits_once_idx ON referral_visits (referrer_id, day, visitor, (coalesce(product_id, 0)))
  WHERE visitor IS NOT NULL;
