-- Uploaded product pictures (the generated SVG is the fallback), and restock lead times.
CREATE TABLE product_images (
  product_id bigint PRIMARY KEY REFERENCES products (id),
  content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
  data bytea NOT NULL,
  uploaded_by bigint REFERENCES users (id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE products ADD COLUMN restock_lead_days integer NOT NULL DEFAULT 7 CHECK (restock_lead_days BETWEEN 0 AND 365);
