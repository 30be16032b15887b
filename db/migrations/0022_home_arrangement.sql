-- The shop home as managers arrange it in the console (首页装修): banners of the carousel and featured
-- blocks (titled rows of products), each in its own order, switched on or off and optionally shown only
-- between two moments. Writes lock the one table they change (SHARE ROW EXCLUSIVE: arrangement writes
-- queue behind each other, readers never wait); no money or stock path touches these tables.

CREATE TABLE home_banners (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 40),
  title_en text NOT NULL DEFAULT '' CHECK (char_length(title_en) <= 60),
  subtitle text NOT NULL DEFAULT '' CHECK (char_length(subtitle) <= 80),
  subtitle_en text NOT NULL DEFAULT '' CHECK (char_length(subtitle_en) <= 120),
  -- Where a tap goes: a product (its id), a category (its slug) or a page of the shop (a path).
  link_kind text NOT NULL CHECK (link_kind IN ('product', 'category', 'path')),
  link_target text NOT NULL CHECK (char_length(link_target) BETWEEN 1 AND 200),
  -- The generated art (a gradient and an icon), also the backdrop of an uploaded picture.
  theme text NOT NULL DEFAULT 'red' CHECK (theme ~ '^[a-z]{2,16}$'),
  icon text NOT NULL DEFAULT 'gift' CHECK (icon ~ '^[A-Za-z]{2,32}$'),
  -- When the uploaded picture (home_banner_images) was stored: its version; null shows the art.
  image_at timestamptz,
  position integer NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  starts_at timestamptz,
  ends_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX home_banners_position_idx ON home_banners (position, id);

-- An uploaded banner picture as WebP variants cropped to 3:1 (640, 960 and 1440 px wide).
CREATE TABLE home_banner_images (
  banner_id bigint NOT NULL REFERENCES home_banners (id) ON DELETE CASCADE,
  width integer NOT NULL CHECK (width IN (640, 960, 1440)),
  height integer NOT NULL CHECK (height > 0),
  content_type text NOT NULL CHECK (content_type = 'image/webp'),
  data bytea NOT NULL,
  PRIMARY KEY (banner_id, width)
);

CREATE TABLE home_blocks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 20),
  title_en text NOT NULL DEFAULT '' CHECK (char_length(title_en) <= 40),
  subtitle text NOT NULL DEFAULT '' CHECK (char_length(subtitle) <= 40),
  subtitle_en text NOT NULL DEFAULT '' CHECK (char_length(subtitle_en) <= 80),
  icon text NOT NULL DEFAULT 'sparkles' CHECK (icon ~ '^[A-Za-z]{2,32}$'),
  -- Which products: chosen by hand (product_ids, in order), the newest, the best sellers, or a category's best.
  source text NOT NULL CHECK (source IN ('chosen', 'newest', 'bestsellers', 'category')),
  product_ids bigint[] NOT NULL DEFAULT '{}' CHECK (cardinality(product_ids) <= 20),
  category_slug text,
  item_limit integer NOT NULL DEFAULT 8 CHECK (item_limit BETWEEN 1 AND 20),
  position integer NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  starts_at timestamptz,
  ends_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at),
  CHECK (source <> 'chosen' OR cardinality(product_ids) >= 1),
  CHECK (source <> 'category' OR category_slug IS NOT NULL)
);
CREATE INDEX home_blocks_position_idx ON home_blocks (position, id);
