import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { stockOverview } from "../services/stock_admin.ts";
import { type ImportOutcome, ImportReport } from "./ImportReport.tsx";
import { ImageUploadForm } from "./ProductEditForm.tsx";
import { PostForm } from "./Form.tsx";
import { AdminNav } from "./AdminNav.tsx";
import { Pager } from "./Pager.tsx";

/** Catalogue and stock: import, a new product, the live or archived list with quick changes and pictures. */
export function CatalogueAdmin(
  { t, path, user, csrf, message, report, q, keep, rows, total }: {
    t: Translator;
    path: string;
    user: UserRow | undefined;
    csrf: string;
    message?: { kind: "ok" | "error"; text: string };
    report?: ImportOutcome;
    q: { q: string; archived: string; page: number };
    keep: Record<string, string>;
    rows: Awaited<ReturnType<typeof stockOverview>>["rows"];
    total: number;
  },
) {
  return (
    <section class="stack">
      <AdminNav path={path} t={t} user={user} />
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
            <input name="category" required maxLength={60} placeholder="beauty" />
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
        <label>
          {t("cat.search")}
          <input type="search" name="q" value={q.q} maxLength={60} />
        </label>
        <button class="btn btn-ghost btn-sm" type="submit">{t("filter.apply")}</button>
        <span class="muted">{t("cat.count", { n: total })}</span>
      </form>
      {rows.length === 0 && <p class="empty card">{q.archived ? t("cat.noArchived") : t("cat.noProducts")}</p>}
      <div class="table-scroll">
        <table class="table" data-testid="stock">
          <thead>
            <tr>
              <th scope="col">{t("an.product")}</th>
              <th scope="col">{t("product.stock")}</th>
              <th scope="col">{t("cat.sold14")}</th>
              <th scope="col">{t("cat.daysLeft")}</th>
              <th scope="col">{t("cat.adjust")}</th>
              <th scope="col">{t("cat.image")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/admin/products/${p.id}/edit`}>{p.name}</a> <span class="muted">¥{p.price}</span>
                  {!p.onSale && <span class="badge badge-muted">{t("product.offShelf")}</span>}
                </td>
                <td>
                  {p.sellable} {p.low && <span class="badge badge-warn">{t("cat.low")}</span>}
                </td>
                <td>
                  {p.sold14} <span class="muted">({p.dailyRate}/d)</span>
                </td>
                <td>
                  {p.daysLeft ?? "—"} {p.restockNow
                    ? <span class="badge badge-warn">{t("cat.restock", { days: p.leadDays })}</span>
                    : <span class="muted">({t("cat.leadShort", { days: p.leadDays })})</span>}
                </td>
                <td>
                  <PostForm action={`/admin/products/${p.id}`} csrf={csrf} class="inline-form">
                    <input
                      name="stock"
                      inputMode="numeric"
                      aria-label={t("product.stock")}
                      placeholder={String(p.sellable)}
                      size={5}
                    />
                    <input
                      name="price"
                      inputMode="decimal"
                      aria-label={t("product.price")}
                      placeholder={p.price}
                      size={7}
                    />
                    <input
                      name="onShelfAt"
                      type="datetime-local"
                      aria-label={t("cat.onShelf")}
                      title={t("cat.onShelf")}
                    />
                    <input
                      name="offShelfAt"
                      type="datetime-local"
                      aria-label={t("cat.offShelf")}
                      title={t("cat.offShelf")}
                    />
                    <button class="btn btn-ghost btn-sm" type="submit">{t("cart.update")}</button>
                  </PostForm>
                </td>
                <td>
                  <ImageUploadForm productId={p.id} csrf={csrf} label={t("cat.image")} upload={t("cat.upload")} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager page={q.page} pageSize={50} total={total} baseQuery={keep} t={t} />
    </section>
  );
}
