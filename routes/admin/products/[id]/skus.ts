import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { checkCsrf, clientIp, readForm } from "../../../../lib/http.ts";
import { AppError } from "../../../../lib/errors.ts";
import { issuesToFields } from "../../../../lib/validate.ts";
import { msg } from "../../../../i18n/messages.ts";
import { readSkuForm, skuFieldLabel } from "../../../../lib/sku_form.ts";
import { replaceSkus, skuReplaceSchema } from "../../../../services/catalogue_admin.ts";
import { productEditPage } from "../_page.tsx";

/** `POST /admin/products/:id/skus`: the SKU editor's axes and table, saved as a SKU replace (audited). */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    const id = c.req.param("id")!;
    const read = readSkuForm(form);
    if ("error" in read) return await productEditPage(c, id, undefined, 400, read.error);
    const parsed = skuReplaceSchema.safeParse(read);
    if (!parsed.success) {
      const fields = issuesToFields(parsed.error);
      return await productEditPage(
        c,
        id,
        undefined,
        400,
        msg("sku.err.fields", {
          fields: Object.entries(fields).map(([k, v]) => msg("cat.err.field", { field: skuFieldLabel(k), message: v })),
        }),
      );
    }
    try {
      await replaceSkus(c.get("deps").db, c.get("user")!, id, parsed.data, clientIp(c));
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404 && err.status !== 403) {
        return await productEditPage(c, id, undefined, err.status, err.msg);
      }
      throw err;
    }
    return c.redirect(`/admin/products/${id}/edit?skus=1#edit-skus`, 303);
  }],
};
