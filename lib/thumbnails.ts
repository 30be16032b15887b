import sharp from "sharp";
import { fail } from "./errors.ts";
import { THUMB_WIDTHS, type ThumbWidth } from "../components/product_image.ts";

/** One WebP thumbnail of a picture. */
export interface Thumbnail {
  width: ThumbWidth;
  height: number;
  data: Uint8Array;
}

/** The largest picture (in pixels) decoded, so that a small file cannot expand into gigabytes. */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Square WebP thumbnails of a PNG, JPEG or WebP picture at each of `THUMB_WIDTHS`, made with sharp
 * (libvips): turned upright by its EXIF orientation, cropped to the square around its most
 * interesting part. A picture that cannot be decoded is a 400.
 */
export async function makeThumbnails(bytes: Uint8Array): Promise<Thumbnail[]> {
  try {
    return await Promise.all(THUMB_WIDTHS.map(async (width) => {
      const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize(width, width, { fit: "cover", position: "attention" })
        .webp({ quality: 80, effort: 4 })
        .toBuffer({ resolveWithObject: true });
      return { width, height: info.height, data: new Uint8Array(data) };
    }));
  } catch {
    throw fail.invalid("The picture could not be read; upload a PNG, JPEG or WebP file", { image: "Unreadable" });
  }
}
