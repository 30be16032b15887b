import sharp from "sharp";
import { fail } from "./errors.ts";
import { msg } from "../i18n/messages.ts";
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
    throw fail.invalid("cat.err.pictureUnreadable", {}, { image: msg("cat.err.unreadableField") });
  }
}

/** The widths (px) of an uploaded banner picture's WebP variants; each is cropped to 3:1. */
export const BANNER_WIDTHS = [640, 960, 1440] as const;
/** A banner variant width. */
export type BannerWidth = (typeof BANNER_WIDTHS)[number];

/**
 * A banner picture (PNG, JPEG or WebP) as WebP variants at each of `BANNER_WIDTHS`, cropped to 3:1
 * around its most interesting part and turned upright, as product thumbnails are. A picture that
 * cannot be decoded is a 400.
 */
export async function makeBannerImages(
  bytes: Uint8Array,
): Promise<{ width: BannerWidth; height: number; data: Uint8Array }[]> {
  try {
    return await Promise.all(BANNER_WIDTHS.map(async (width) => {
      const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize(width, Math.round(width / 3), { fit: "cover", position: "attention" })
        .webp({ quality: 80, effort: 4 })
        .toBuffer({ resolveWithObject: true });
      return { width, height: info.height, data: new Uint8Array(data) };
    }));
  } catch {
    throw fail.invalid("cat.err.pictureUnreadable", {}, { image: msg("cat.err.unreadableField") });
  }
}
