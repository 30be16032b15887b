import { z } from "zod";
import type { Handlers, RouteConfig } from "../../../lib/fs_router.ts";
import { fail } from "../../../lib/errors.ts";
import { readQuery } from "../../../lib/http.ts";
import { artVersion, productSvg } from "../../../components/product_image.ts";
import { productImage } from "../../../services/product_images.ts";

/** Product pictures are asset-like: served before sessions are loaded. */
export const config: RouteConfig = { asset: true };

const imageQuery = z.object({
  /** A WebP thumbnail's width (uploaded pictures only; the drawn art is a vector). */
  w: z.enum(["160", "320", "640"]).optional(),
  /** The version the page linked to: a matching one is cached for a year. */
  v: z.string().max(40).optional(),
});

const YEAR = "public, max-age=31536000, immutable";

/**
 * `/images/products/:id.svg[?w=160|320|640][&v=…]`: the uploaded picture (its WebP thumbnail of width
 * `w`), or the art drawn from the product (its category's icon and its name). A URL whose `v` is the
 * current version is cached for a year (a new upload or a rename changes `v`); others for minutes.
 */
export const handler: Handlers = {
  async GET(c) {
    const id = c.req.param("file")!.replace(/\.svg$/, "");
    const q = readQuery(c, imageQuery);
    const image = await productImage(c.get("deps").db, id, q.w ? Number(q.w) as 160 | 320 | 640 : undefined);
    if (!image) throw fail.notFound("Image");
    if ("uploaded" in image) {
      return c.body(new Uint8Array(image.uploaded.data) as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": image.uploaded.content_type,
        "Cache-Control": q.v === image.uploaded.version ? YEAR : "public, max-age=300",
      });
    }
    return c.body(productSvg(image.product), 200, {
      "Content-Type": "image/svg+xml",
      "Cache-Control": q.v === artVersion(image.product) ? YEAR : "public, max-age=3600",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
  },
};
