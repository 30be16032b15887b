import type { Translator } from "../i18n/messages.ts";
import type { CategoryRow } from "../db/products_repo.ts";
import type { Locale } from "../fresh.config.ts";
import type { stockOverview } from "../services/stock_admin.ts";
import { type ImportOutcome, ImportReport } from "./ImportReport.tsx";
import { ImageUploadForm } from "./ProductEditForm.tsx";
import { PostForm } from "./Form.tsx";
import { Pager } from "./Pager.tsx";
import { Icon } from "./Icon.tsx";
import { ProductImg } from "./ProductImg.tsx";
import { EmptyRow, type SortDir, SortHeader } from "./DataTable.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** Catalogue and stock: import, a new product, the live or archived list with quick changes and pictures. */
export function CatalogueAdmin(
  { t, locale, csrf, message, report, q, keep, rows, total, categories }: {
    t: Translator;
    locale: Locale;
    csrf: string;
    /** The categories a new product may go in. */
    categories: CategoryRow[];
    message?: { kind: "ok" | "error"; text: string };
    report?: ImportOutcome;
    q: { q: string; archived: string; show: string; sort: string; dir: SortDir; page: number };
    keep: Record<string, string>;
    rows: Awaited<ReturnType<typeof stockOverview>>["rows"];
    total: number;
  },
) {
  const sortProps = { sort: q.sort || undefined, dir: q.dir, query: keep };
  return (
    <section class="stack">
      <h1>{t("cat.title")}</h1>
      {message && <p class={message.kind === "ok" ? "alert" : "alert alert-error"} role="status">{message.text}</p>}
      <section class="card" aria-labelledby="cat-import">
        <h2 id="cat-import">{t("cat.import")}</h2>
        <form method="post" action="/admin/products/import" enctype="multipart/form-data" class="filters">
          <input type="hidden" name="_csrf" value={csrf} />
          <label>
            {t("cat.file")}
            <input
              type="file"
              name="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              required
            />
          </label>
          <label>
            <span>
              <input type="checkbox" name="dryRun" value="true" checked /> {t("cat.dryRun")}
            </span>
          </label>
          <button class="btn btn-primary btn-sm" type="submit">{t("cat.upload")}</button>
          <a class="btn btn-ghost btn-sm" href="/api/admin/products/import-template.csv">{t("cat.template")}</a>
          <a class="btn btn-ghost btn-sm" href="/admin/products.csv">CSV</a>
          <a class="btn btn-ghost btn-sm" href="/admin/products.xlsx">XLSX</a>
          <a class="btn btn-ghost btn-sm" href="/admin/product-skus.csv">{t("sku.export")}</a>
        </form>
        {report && <ImportReport outcome={report} csrf={csrf} t={t} />}
      </section>
      <section class="card" aria-labelledby="cat-new">
        <h2 id="cat-new">{t("cat.new")}</h2>
        <PostForm action="/admin/products/new" csrf={csrf} class="filters">
          <label>
            {t("an.product")}
            <input name="name" required maxLength={120} />
          </label>
          <label>
            {t("product.category")}
            <select name="category" required>
              <option value="">{t("look.chooseCategory")}</option>
              {categories.map((c) => (
                <option key={c.slug} value={c.slug}>{locale === "en" ? c.name_en : c.name_zh}</option>
              ))}
            </select>
          </label>
          <label>
            {t("product.price")}
            <input name="price" required inputMode="decimal" placeholder="99.00" />
          </label>
          <label>
            {t("cat.cost")}
            <input name="costPrice" required inputMode="decimal" placeholder="40.00" />
          </label>
          <label>
            {t("product.stock")}
            <input name="stock" required inputMode="numeric" placeholder="100" />
          </label>
          <label>
            {t("cat.threshold")}
            <input name="lowStockThreshold" required inputMode="numeric" placeholder="10" />
          </label>
          <button class="btn btn-primary btn-sm" type="submit">{t("cat.create")}</button>
        </PostForm>
      </section>
      <nav class="chips" aria-label={t("cat.title")}>
        <a class={q.archived ? "chip" : "chip active"} href="/admin/products">{t("cat.live")}</a>
        <a class={q.archived ? "chip active" : "chip"} href="/admin/products?archived=1">{t("cat.archive")}</a>
      </nav>
      <form method="get" action="/admin/products" class="card filters" role="search">
        {q.archived && <input type="hidden" name="archived" value="1" />}
        {q.sort && <input type="hidden" name="sort" value={q.sort} />}
        {q.sort && <input type="hidden" name="dir" value={q.dir} />}
        <label>
          {t("cat.search")}
          <input type="search" name="q" value={q.q} maxLength={60} />
        </label>
        <label>
          {t("look.show")}
          <select name="show">
            <option value="">{t("look.showAll")}</option>
            <option value="low" selected={q.show === "low"}>{t("look.showLow")}</option>
            <option value="restock" selected={q.show === "restock"}>{t("look.showRestock")}</option>
          </select>
        </label>
        <button class="btn btn-ghost btn-sm" type="submit">
          <Icon name="search" size={16} />
          {t("filter.apply")}
        </button>
        <span class="muted">{t("cat.count", { n: total })}</span>
      </form>
      <TableScroll label={t("cat.title")}>
        <table class="table" data-testid="stock">
          <thead>
            <tr>
              <SortHeader label={t("an.product")} column="name" {...sortProps} />
              <SortHeader label={t("product.stock")} column="stock" class="num" {...sortProps} />
              <SortHeader label={t("cat.sold14")} column="sold" class="num" {...sortProps} />
              <SortHeader label={t("cat.daysLeft")} column="days" {...sortProps} />
              <SortHeader label={t("fc.reorder")} column="reorder" class="num" {...sortProps} />
              <th scope="col">{t("cat.adjust")}</th>
              <th scope="col">{t("cat.image")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <EmptyRow
                columns={7}
                text={q.archived ? t("cat.noArchived") : t("cat.noProducts")}
                hint={q.q || q.show ? t("look.tryOtherFilter") : undefined}
                icon="package"
              />
            )}
            {rows.map((p) => (
              <tr key={p.id}>
                <td>
                  <div class="cell-product">
                    <ProductImg id={p.id} size={40} />
                    <div>
                      <a href={`/admin/products/${p.id}/edit`}>{p.name}</a>
                      <span class="muted block">
                        ¥{p.price} {!p.onSale && <span class="badge badge-muted">{t("product.offShelf")}</span>}
                      </span>
                    </div>
                  </div>
                </td>
                <td class="num">
                  {p.sellable} {p.low && <span class="badge badge-warn">{t("cat.low")}</span>}
                </td>
                <td class="num">
                  {p.sold14} <span class="muted">({p.dailyRate}/d)</span>
                </td>
                <td>
                  {p.daysLeft ?? "—"} {p.restockNow
                    ? <span class="badge badge-warn">{t("cat.restock", { days: p.leadDays })}</span>
                    : <span class="muted">({t("cat.leadShort", { days: p.leadDays })})</span>}
                  {p.skuCount > 1 && p.skusToRestock > 0 && (
                    <a class="muted block" href={`/admin/products/${p.id}/edit#restock`}>
                      {t("fc.skusDue", { n: p.skusToRestock })}
                    </a>
                  )}
                </td>
                <td class="num" data-testid="reorder">{p.suggestedReorder > 0 ? p.suggestedReorder : "—"}</td>
                <td>
                  <PostForm action={`/admin/products/${p.id}`} csrf={csrf} class="row-actions">
                    <label>
                      {t("product.stock")}
                      <input
                        name="stock"
                        inputMode="numeric"
                        placeholder={String(p.sellable)}
                        size={5}
                        aria-label={`${t("product.stock")} ${p.name}`}
                      />
                    </label>
                    <label>
                      {t("product.price")}
                      <input
                        name="price"
                        inputMode="decimal"
                        placeholder={p.price}
                        size={7}
                        aria-label={`${t("product.price")} ${p.name}`}
                      />
                    </label>
                    <button
                      class="btn btn-ghost btn-sm"
                      type="submit"
                      aria-label={`${t("cart.update")} ${p.name}`}
                    >
                      <Icon name="check" size={16} />
                      {t("cart.update")}
                    </button>
                    <details class="row-schedule">
                      <summary>{t("look.schedule")}</summary>
                      <label>
                        {t("cat.onShelf")}
                        <input name="onShelfAt" type="datetime-local" />
                      </label>
                      <label>
                        {t("cat.offShelf")}
                        <input name="offShelfAt" type="datetime-local" />
                      </label>
                    </details>
                  </PostForm>
                </td>
                <td>
                  <ImageUploadForm
                    productId={p.id}
                    csrf={csrf}
                    label={t("cat.image")}
                    upload={t("cat.upload")}
                    subject={p.name}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <Pager page={q.page} pageSize={50} total={total} baseQuery={keep} t={t} />
    </section>
  );
}
