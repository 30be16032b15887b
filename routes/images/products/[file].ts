import type { Handlers, RouteConfig } from "../../../lib/fs_router.ts";
import { fail } from "../../../lib/errors.ts";
import { productSvg } from "../../../components/product_image.ts";
import { productImage } from "../../../services/product_images.ts";

/** Product pictures are asset-like: served before sessions are loaded. */
export const config: RouteConfig = { asset: true };

/** `/images/products/:id.svg`: the uploaded picture, or one drawn from the product. */
export const handler: Handlers = {
  async GET(c) {
    const id = c.req.param("file")!.replace(/\.svg$/, "");
    const image = await productImage(c.get("deps").db, id);
    if (image && "uploaded" in image) {
      return c.body(new Uint8Array(image.uploaded.data) as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": image.uploaded.content_type,
        "Cache-Control": "public, max-age=300",
      });
    }
    if (!image) throw fail.notFound("image");
    return c.body(productSvg(image.product), 200, {
      "Content-Type": "image/svg+xml",
      "Cache-Control": "public, max-age=86400",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
  },
};
