import { ProductImg } from "./ProductImg.tsx";
import type { ComponentChildren } from "preact";
import type { Translator } from "../i18n/messages.ts";
import { PostForm } from "./Form.tsx";
import type { ProductFormValues } from "../lib/product_form.ts";

/** One labelled control with its hint or error, wired for screen readers. */
function Control(
  props: { name: string; label: string; error?: string; hint?: string; wide?: boolean; children: ComponentChildren },
) {
  const id = `f-${props.name}`;
  return (
    <div class={["field", props.wide && "field-wide", props.error && "has-error"].filter(Boolean).join(" ")}>
      <label for={id}>{props.label}</label>
      {props.children}
      {props.error
        ? <p class="field-error" id={`${id}-error`}>{props.error}</p>
        : props.hint && <p class="field-hint" id={`${id}-hint`}>{props.hint}</p>}
    </div>
  );
}

/** Attributes linking an input to its Control's hint or error. */
function described(name: string, error?: string, hint?: string) {
  const id = `f-${name}`;
  return {
    id,
    name,
    "aria-invalid": error ? "true" as const : undefined,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  };
}

/** The manager's full product form: names, description, category, brand, specs, prices, stock, shelf. */
export function ProductEditForm(
  props: {
    action: string;
    csrf: string;
    values: ProductFormValues;
    reserved: number;
    /** The shop's categories to pick from (the value posted is the slug). */
    categories: { slug: string; name_zh: string; name_en: string }[];
    brands: string[];
    errors: Record<string, string>;
    t: Translator;
  },
) {
  const { values: v, errors: e, t } = props;
  const text = (name: keyof ProductFormValues, label: string, extra: Record<string, unknown> = {}, hint?: string) => (
    <Control name={name} label={label} error={e[name]} hint={hint}>
      <input {...described(name, e[name], hint)} value={String(v[name])} {...extra} />
    </Control>
  );
  return (
    <PostForm action={props.action} csrf={props.csrf} class="form product-form">
      <fieldset class="form-grid">
        <legend>{t("cat.edit")}</legend>
        {text("name", t("an.product"), { required: true, maxLength: 120 })}
        {text("nameEn", t("cat.nameEn"), { maxLength: 120, lang: "en" })}
        <Control name="category" label={t("product.category")} error={e.category}>
          <select {...described("category", e.category)} required>
            <option value="">{t("look.chooseCategory")}</option>
            {props.categories.map((c) => (
              <option
                key={c.slug}
                value={c.slug}
                selected={v.category === c.slug || v.category === c.name_zh}
              >
                {t.locale === "en" ? c.name_en : c.name_zh}
              </option>
            ))}
          </select>
        </Control>
        {text("brand", t("cat.brand"), { maxLength: 60, list: "brand-options" })}
        <datalist id="brand-options">{props.brands.map((b) => <option key={b} value={b} />)}</datalist>
        <Control name="description" label={t("cat.description")} error={e.description} wide>
          <textarea {...described("description", e.description)} rows={5} maxLength={5000}>{v.description}</textarea>
        </Control>
        <Control name="specs" label={t("cat.specs")} error={e.specs} hint={t("cat.specsHint")} wide>
          <textarea {...described("specs", e.specs, t("cat.specsHint"))} rows={4}>{v.specs}</textarea>
        </Control>
      </fieldset>
      <fieldset class="form-grid">
        <legend>{t("product.price")} · {t("product.stock")}</legend>
        {text("price", t("product.price"), { required: true, inputMode: "decimal" })}
        {text("costPrice", t("cat.cost"), { required: true, inputMode: "decimal" })}
        {text(
          "stock",
          t("product.stock"),
          { required: true, inputMode: "numeric" },
          props.reserved ? t("cat.reserved", { n: props.reserved }) : undefined,
        )}
        {text("lowStockThreshold", t("cat.threshold"), { required: true, inputMode: "numeric" })}
        {text(
          "restockLeadDays",
          t("cat.leadDays"),
          { inputMode: "numeric", maxLength: 3 },
          t("cat.leadDaysHint"),
        )}
      </fieldset>
      <fieldset class="form-grid">
        <legend>{t("cat.onShelf")} · {t("cat.offShelf")}</legend>
        {text("onShelfAt", t("cat.onShelf"), { type: "datetime-local" }, t("cat.shelfHint"))}
        {text("offShelfAt", t("cat.offShelf"), { type: "datetime-local" }, t("cat.shelfHint"))}
        <label class="check">
          <input type="checkbox" name="onSale" value="on" checked={v.onSale} /> {t("cat.onSale")}
        </label>
        <label class="check">
          <input type="checkbox" name="featured" value="on" checked={v.featured} /> {t("cat.featured")}
        </label>
      </fieldset>
      <div class="actions">
        <button class="btn btn-primary" type="submit">{t("cat.save")}</button>
      </div>
    </PostForm>
  );
}

/** The picture upload form of a product (PNG, JPEG or WebP), with an optional thumbnail of the current one. */
export function ImageUploadForm(
  { productId, csrf, label, upload, thumb, subject }: {
    productId: string;
    csrf: string;
    label: string;
    upload: string;
    thumb?: boolean;
    /** The product's name, when several forms share a page (a list's rows): it names the controls. */
    subject?: string;
  },
) {
  return (
    <form method="post" action={`/admin/products/${productId}/image`} enctype="multipart/form-data" class="inline-form">
      <input type="hidden" name="_csrf" value={csrf} />
      {thumb && <ProductImg id={productId} size={64} class="thumb" />}
      <input
        type="file"
        name="image"
        accept="image/png,image/jpeg,image/webp"
        aria-label={subject ? `${label} ${subject}` : label}
        required
      />
      <button class="btn btn-ghost btn-sm" type="submit" aria-label={subject ? `${upload} ${subject}` : undefined}>
        {upload}
      </button>
    </form>
  );
}
