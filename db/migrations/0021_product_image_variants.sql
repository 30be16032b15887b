-- WebP thumbnails (160/320/640 px square) of uploaded product pictures, made when a picture is uploaded
-- and replaced with it. Pictures uploaded before this migration have none: their original is served.
CREATE TABLE product_image_variants (
  product_id bigint NOT NULL REFERENCES product_images (product_id),
  width integer NOT NULL CHECK (width IN (160, 320, 640)),
  height integer NOT NULL CHECK (height > 0),
  content_type text NOT NULL CHECK (content_type = 'image/webp'),
  data bytea NOT NULL,
  PRIMARY KEY (product_id, width)
);
