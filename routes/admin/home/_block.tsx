import type { Ctx } from "../../../lib/app_env.ts";
import { localizeErrors, renderPage } from "../../../lib/render.tsx";
import { checkCsrf, clientIp, readBodyText } from "../../../lib/http.ts";
import { AppError, type FieldMessages } from "../../../lib/errors.ts";
import { issuesToFields } from "../../../lib/validate.ts";
import { type BlockFormValues, blockFormValues, NEW_BLOCK, readBlockForm } from "../../../lib/home_form.ts";
import { msg } from "../../../i18n/messages.ts";
import { shopFilters } from "../../../services/catalogue.ts";
import { productChoices } from "../../../services/shop_home.ts";
import { blockInputSchema, createBlock, getBlock, updateBlock } from "../../../services/home_arrangement.ts";
import { BlockForm } from "../../../components/HomeArrangeForms.tsx";

/** The block form: empty for a new one (`id` null), the stored block, or what was typed with its errors. */
export async function blockPage(
  c: Ctx,
  id: string | null,
  typed?: { values: BlockFormValues; errors: FieldMessages; message?: string },
  status = 200,
): Promise<Response> {
  const t = c.get("t");
  const db = c.get("deps").db;
  const [current, products, { categories }] = await Promise.all([
    id ? getBlock(db, id, c.get("deps").shop.now()) : null,
    productChoices(db),
    shopFilters(db),
  ]);
  const en = c.get("locale") === "en";
  const title = t(id ? "hm.block.edit" : "hm.block.add");
  const page = (
    <section class="stack">
      <h1>{title}</h1>
      <BlockForm
        t={t}
        csrf={c.get("csrf")}
        action={id ? `/admin/home/blocks/${id}` : "/admin/home/blocks/new"}
        values={typed?.values ?? (current ? blockFormValues(current) : NEW_BLOCK)}
        errors={localizeErrors(c, typed?.errors ?? {})}
        message={typed?.message}
        isNew={!current}
        products={products}
        categories={categories.map((x) => ({ slug: x.slug, name: en ? x.name_en : x.name_zh }))}
      />
    </section>
  );
  return renderPage(c, page, { title, status });
}

/** Saves the posted block form (new when `id` is null): back to the list, or the form again with its errors. */
export async function saveBlock(c: Ctx, id: string | null): Promise<Response> {
  const db = c.get("deps").db;
  const current = id ? await getBlock(db, id, c.get("deps").shop.now()) : null;
  // The ticked products arrive as repeated `productIds` fields, in the order the form lists them.
  const params = new URLSearchParams(await readBodyText(c));
  const fields = Object.fromEntries(params);
  checkCsrf(c, fields);
  const { values, input } = readBlockForm(fields, params.getAll("productIds"));
  try {
    const parsed = blockInputSchema.safeParse(input, { reportInput: true });
    if (!parsed.success) throw new AppError("invalid_input", msg("hm.err.check"), issuesToFields(parsed.error));
    const actor = c.get("user")!;
    if (current) await updateBlock(db, actor, current.id, parsed.data, clientIp(c));
    else await createBlock(db, actor, parsed.data, clientIp(c));
  } catch (err) {
    if (err instanceof AppError && err.status < 500 && err.status !== 403 && err.status !== 404) {
      const errors: FieldMessages = {};
      for (const [k, m] of Object.entries(err.fields ?? {})) {
        errors[k.startsWith("productIds") ? "productIds" : k] ??= m;
      }
      return await blockPage(c, id, { values, errors, message: c.get("t").msg(err.msg) }, err.status);
    }
    throw err;
  }
  return c.redirect(`/admin/home?done=${current ? "saved" : "created"}`, 303);
}
