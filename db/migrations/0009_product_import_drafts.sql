-- Product import files that passed a dry run, kept briefly (under the hash of a random token, for the manager
-- who checked them) so that "import now" needs no second upload. Any instance sharing the database can commit them.
CREATE TABLE product_import_drafts (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  file bytea NOT NULL,
  rows integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX product_import_drafts_expiry_idx ON product_import_drafts (expires_at);
