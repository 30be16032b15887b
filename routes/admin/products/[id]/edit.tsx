import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { checkCsrf, clientIp, readForm } from "../../../../lib/http.ts";
import { AppError } from "../../../../lib/errors.ts";
import { issueMsg } from "../../../../lib/validate.ts";
import { readProductForm } from "../../../../lib/product_form.ts";
import { listedCategory, productInputSchema, updateProduct } from "../../../../services/catalogue_admin.ts";
import { msg } from "../../../../i18n/messages.ts";
import { ProductEditPage } from "../../../../components/ProductEditPage.tsx";
import { productEditPage } from "../_page.tsx";

/** `/admin/products/:id/edit`: the full product form, and saving it. */
export const handler: Handlers = {
  GET: [requirePermission("catalogue.write"), (c) => productEditPage(c, c.req.param("id")!)],
  POST: [requirePermission("catalogue.write"), async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    const id = c.req.param("id")!;
    const { values, input, errors } = readProductForm(form);
    const parsed = productInputSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issueMsg(issue);
    } else if (!(await listedCategory(c.get("deps").db, parsed.data.category))) {
      errors.category = msg("cat.err.pickCategory");
    }
    if (!parsed.success || Object.keys(errors).length) return await productEditPage(c, id, { values, errors }, 400);
    try {
      await updateProduct(c.get("deps").db, c.get("user")!, id, parsed.data, clientIp(c));
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404 && err.status !== 403) {
        const fields = err.fields ?? {};
        return await productEditPage(c, id, { values, errors: { ...fields, form: err.msg } }, err.status);
      }
      throw err;
    }
    return c.redirect(`/admin/products/${id}/edit?saved=1`, 303);
  }],
};

export default ProductEditPage;
