import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { clientIp } from "../../../../lib/http.ts";
import { AppError, fail } from "../../../../lib/errors.ts";
import { readUpload } from "../../../../lib/upload.ts";
import { msg } from "../../../../i18n/messages.ts";
import { sniffImage } from "../../../../services/stock_admin.ts";
import { saveProductImage } from "../../../../services/product_images.ts";
import { cataloguePage } from "../_page.tsx";

const IMAGE_LIMIT = 2 * 1024 * 1024;

/** `POST /admin/products/:id/image`: a PNG, JPEG or WebP picture of at most 2 MB (audited). */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    const id = c.req.param("id")!;
    try {
      const body = await readUpload(c, IMAGE_LIMIT);
      const file = body.image;
      if (!(file instanceof File)) throw fail.invalid("cat.err.chooseImage", {}, { image: msg("validation.required") });
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (bytes.length > IMAGE_LIMIT) {
        throw fail.invalid("cat.err.imageTooLarge", {}, { image: msg("validation.tooLarge") });
      }
      const type = sniffImage(bytes);
      if (!type) throw fail.invalid("cat.err.imageType", {}, { image: msg("validation.unsupportedType") });
      await saveProductImage(c.get("deps").db, c.get("user")!, id, { type, bytes }, clientIp(c));
      return c.redirect("/admin/products", 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 403) {
        return await cataloguePage(
          c,
          { kind: "error", text: c.get("t").msg(err.msg) },
          err.status,
        );
      }
      throw err;
    }
  }],
};
