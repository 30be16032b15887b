import type { Translator } from "../i18n/messages.ts";
import type { SkuAxis } from "../domain/catalogue/skus.ts";
import { specsLabel } from "../domain/catalogue/skus.ts";
import { axesText } from "../lib/sku_form.ts";
import { PostForm } from "./Form.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** A stored SKU as the editor shows it. */
export interface EditorSku {
  id: string;
  code: string;
  specs: Record<string, string>;
  price: string;
  costPrice: string;
  stock: number;
  reserved: number;
  lowStockThreshold: number;
  imageUrl: string;
}

/**
 * The manager's SKU editor: the specification axes as text ("颜色: 红, 蓝" per line) and a table of SKUs
 * (code, price, cost, stock, threshold, picture). Saving with changed axes rebuilds the table from the
 * combinations (existing SKUs kept by their specs); it works without script.
 */
export function SkuEditor(
  { productId, csrf, axes, skus, message, t }: {
    productId: string;
    csrf: string;
    axes: SkuAxis[];
    skus: EditorSku[];
    message?: { kind: "ok" | "error"; text: string };
    t: Translator;
  },
) {
  return (
    <section class="card" aria-labelledby="edit-skus" data-testid="sku-editor">
      <h2 id="edit-skus">{t("sku.title")}</h2>
      {message && (
        <p
          class={message.kind === "error" ? "alert alert-error" : "alert"}
          role={message.kind === "error" ? "alert" : "status"}
        >
          {message.text}
        </p>
      )}
      <PostForm action={`/admin/products/${productId}/skus`} csrf={csrf} class="form">
        <div class="field field-wide">
          <label for="f-axes">{t("sku.axes")}</label>
          <textarea id="f-axes" name="axes" rows={3} aria-describedby="f-axes-hint">{axesText(axes)}</textarea>
          <p class="field-hint" id="f-axes-hint">{t("sku.hint")}</p>
        </div>
        <TableScroll label={t("sku.title")}>
          <table class="table sku-table">
            <thead>
              <tr>
                <th scope="col">{t("sku.specs")}</th>
                <th scope="col">{t("sku.code")}</th>
                <th scope="col">{t("sku.price")}</th>
                <th scope="col">{t("sku.costPrice")}</th>
                <th scope="col">{t("sku.stock")}</th>
                <th scope="col">{t("sku.reserved")}</th>
                <th scope="col">{t("sku.threshold")}</th>
                <th scope="col">{t("sku.imageUrl")}</th>
              </tr>
            </thead>
            <tbody>
              {skus.map((s, i) => {
                const label = specsLabel(s.specs, axes) || t("sku.single");
                const input = (
                  field: string,
                  value: string,
                  type: "text" | "number" = "text",
                  extra: Record<string, string> = {},
                ) => (
                  <input
                    name={`row.${i}.${field}`}
                    value={value}
                    {...{ type } as Record<string, string>}
                    aria-label={`${label} ${
                      t(`sku.${field === "lowStockThreshold" ? "threshold" : field}` as "sku.code")
                    }`}
                    {...extra}
                  />
                );
                return (
                  <tr key={s.id}>
                    <th scope="row">
                      {label}
                      <input type="hidden" name={`row.${i}.id`} value={s.id} />
                      <input type="hidden" name={`row.${i}.specs`} value={JSON.stringify(s.specs)} />
                    </th>
                    <td>{input("code", s.code)}</td>
                    <td>{input("price", s.price, "text", { inputmode: "decimal" })}</td>
                    <td>{input("costPrice", s.costPrice, "text", { inputmode: "decimal" })}</td>
                    <td>{input("stock", String(s.stock), "number", { min: String(s.reserved) })}</td>
                    <td>{s.reserved}</td>
                    <td>{input("lowStockThreshold", String(s.lowStockThreshold), "number", { min: "0" })}</td>
                    <td>{input("imageUrl", s.imageUrl)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
        <button class="btn btn-primary" type="submit" data-testid="save-skus">{t("sku.save")}</button>
      </PostForm>
    </section>
  );
}
