import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { productEditView } from "../services/catalogue_admin.ts";
import { type ProductFormValues, productFormValues } from "../lib/product_form.ts";
import { ImageUploadForm, ProductEditForm } from "./ProductEditForm.tsx";
import { PostForm } from "./Form.tsx";
import { SkuEditor } from "./SkuEditor.tsx";
import { RestockForecast } from "./RestockForecast.tsx";
import type { productForecast } from "../services/stock_admin.ts";

/** The full product edit page; after a refused save it shows what was typed with the errors beside it. */
export function ProductEditPage(
  { t, csrf, view, notice, typed, errors, skuMessage, forecast }: {
    t: Translator;
    user: UserRow | undefined;
    csrf: string;
    view: Awaited<ReturnType<typeof productEditView>>;
    notice: string | null;
    typed?: { values: ProductFormValues; errors: Record<string, unknown> };
    /** The typed values' errors, in the manager's language. */
    errors: Record<string, string>;
    /** The SKU editor's outcome. */
    skuMessage?: { kind: "ok" | "error"; text: string };
    /** Each live SKU's restock forecast. */
    forecast: Awaited<ReturnType<typeof productForecast>>;
  },
) {
  return (
    <section class="stack">
      <a href="/admin/products" class="back-link">← {t("cat.back")}</a>
      <header class="card-head">
        <h1>
          {t("cat.edit")} · {view.product.name}
          {view.product.archived && <span class="badge badge-muted">{t("cat.archivedBadge")}</span>}
        </h1>
        <a class="btn btn-ghost btn-sm" href={`/products/${view.product.id}`}>{t("cat.view")}</a>
      </header>
      {notice && !typed && <p class="alert" role="status">{notice}</p>}
      {typed && (
        <p class="alert alert-error" role="alert">
          {errors.form ?? t("cat.fixErrors")}
        </p>
      )}
      <div class="card">
        <ProductEditForm
          action={`/admin/products/${view.product.id}/edit`}
          csrf={csrf}
          values={typed?.values ?? productFormValues(view.product)}
          reserved={view.product.reserved}
          categories={view.categories}
          brands={view.brands}
          errors={errors}
          t={t}
        />
      </div>
      <SkuEditor
        productId={view.product.id}
        csrf={csrf}
        axes={view.product.skuAxes}
        skus={view.product.skus}
        message={skuMessage}
        t={t}
      />
      {forecast && <RestockForecast t={t} forecast={forecast} />}
      <section class="card" aria-labelledby="edit-archive">
        <h2 id="edit-archive">{view.product.archived ? t("cat.archivedTitle") : t("cat.archiveTitle")}</h2>
        <p class="muted">{view.product.archived ? t("cat.restoreHint") : t("cat.archiveHint")}</p>
        <PostForm
          action={`/admin/products/${view.product.id}/${view.product.archived ? "restore" : "archive"}`}
          csrf={csrf}
          class="inline-form"
        >
          <button class={view.product.archived ? "btn btn-ghost btn-sm" : "btn btn-danger btn-sm"} type="submit">
            {view.product.archived ? t("cat.restore") : t("cat.archiveAction")}
          </button>
        </PostForm>
      </section>
      <section class="card" aria-labelledby="edit-image">
        <h2 id="edit-image">{t("cat.image")}</h2>
        <ImageUploadForm
          productId={view.product.id}
          csrf={csrf}
          label={t("cat.image")}
          upload={t("cat.upload")}
          thumb
        />
      </section>
    </section>
  );
}
