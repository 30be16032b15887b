import { isUploadedVersion, productImageUrl, THUMB_WIDTHS, type ThumbWidth, versionOf } from "./product_image.ts";

/** The `src`, `srcset` and `sizes` of a picture (plain strings, so islands can take them as props). */
export interface PictureAttrs {
  src: string;
  srcset?: string;
  sizes?: string;
}

/**
 * The attributes of a product picture shown at `size` CSS pixels: an uploaded picture offers its WebP
 * thumbnails (`srcset` with `sizes`), the drawn art is one SVG; an unversioned URL asks for the thumbnail.
 */
export function productImgAttrs(
  { id, imageUrl, size, sizes }: { id: string | number; imageUrl?: string; size: number; sizes?: string },
): PictureAttrs {
  const version = imageUrl ? versionOf(imageUrl) : "";
  const uploaded = isUploadedVersion(version);
  const fit = THUMB_WIDTHS.find((w) => w >= size * 2) ?? 640;
  // Unversioned (a cart or order line): ask for the thumbnail, which is the art itself for a drawn picture.
  const src = uploaded || !version
    ? productImageUrl(id, version || undefined, fit as ThumbWidth)
    : productImageUrl(id, version);
  return {
    src,
    srcset: uploaded ? THUMB_WIDTHS.map((w) => `${productImageUrl(id, version, w)} ${w}w`).join(", ") : undefined,
    sizes: uploaded ? sizes ?? `${size}px` : undefined,
  };
}

/**
 * The attributes of any picture URL the shop shows (a SKU's picture): a product picture of this site
 * (`/images/products/:id.svg?v=…`) gets its thumbnails like `productImgAttrs`, any other URL is used as it is.
 */
export function pictureAttrs(url: string, size: number, sizes?: string): PictureAttrs {
  const own = /^\/images\/products\/(\d{1,18})\.svg(?:\?|$)/.exec(url);
  return own ? productImgAttrs({ id: own[1], imageUrl: url, size, sizes }) : { src: url };
}

/**
 * A product picture at its display size: an uploaded picture offers its WebP thumbnails (`srcset` with
 * `sizes`, so a phone fetches the 160 or 320 px one), the drawn art is one SVG. Width and height are
 * set (no layout shift) and pictures below the fold load lazily.
 */
export function ProductImg(
  { id, imageUrl, alt = "", size, sizes, class: className, eager = false }: {
    id: string | number;
    /** The `imageUrl` of a product view (carries its version); without it the URL is unversioned. */
    imageUrl?: string;
    alt?: string;
    /** The CSS pixel size it is shown at (width = height). */
    size: number;
    /** Its `sizes` attribute (how wide it is shown per viewport); defaults to its size. */
    sizes?: string;
    class?: string;
    /** Load at once (the picture at the top of a product page). */
    eager?: boolean;
  },
) {
  const attrs = productImgAttrs({ id, imageUrl, size, sizes });
  return (
    <img
      src={attrs.src}
      srcset={attrs.srcset}
      sizes={attrs.sizes}
      alt={alt}
      width={size}
      height={size}
      loading={eager ? undefined : "lazy"}
      decoding="async"
      class={className}
    />
  );
}
