import { Hono } from "hono";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { checkCsrf, clientIp, readForm, readQuery } from "../lib/http.ts";
import { z } from "zod";
import { Pager } from "../components/Pager.tsx";
import { localizeErrors, renderPage } from "../lib/render.tsx";
import { translateMessage } from "../i18n/messages.ts";
import { AppError, fail } from "../lib/errors.ts";
import { readUpload } from "../lib/upload.ts";
import { appendAudit } from "../db/audit_repo.ts";
import {
  archiveProduct,
  createProduct,
  productEditView,
  productInputSchema,
  restoreProduct,
  updateProduct,
} from "../services/catalogue_admin.ts";
import { type ProductFormValues, productFormValues, readProductForm } from "../lib/product_form.ts";
import { ImageUploadForm, ProductEditForm } from "../components/ProductEditForm.tsx";
import { fromShopLocalInput } from "../lib/shop_time.ts";
import {
  checkImportForLater,
  commitImportDraft,
  IMPORT_DRAFT_MINUTES,
  IMPORT_LIMIT,
  importProducts,
  ImportRefused,
  TEMPLATE_COLUMNS,
} from "../services/product_import.ts";
import { IMPORT_PROBLEMS_SHOWN, type ImportOutcome, ImportReport } from "../components/ImportReport.tsx";
import { toCsv } from "../lib/csv.ts";
import { xlsxResponse } from "../lib/xlsx_response.ts";
import { sniffImage, stockOverview } from "../services/stock_admin.ts";
import { PostForm } from "../components/Form.tsx";
import { AdminNav } from "../components/AdminNav.tsx";
import { staffPage } from "./staff_page.ts";
import { text } from "../lib/text.ts";

const IMAGE_LIMIT = 2 * 1024 * 1024;

/** Catalogue pages need the catalogue permission. */
const catalogueStaff = (c: Ctx) => staffPage(c, "catalogue.write");

const catalogueQuery = z.object({
  q: text().trim().max(60).default(""),
  archived: z.enum(["1", ""]).default(""),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

async function cataloguePage(
  c: Ctx,
  message?: { kind: "ok" | "error"; text: string },
  status = 200,
  report?: ImportOutcome,
) {
  const t = c.get("t");
  const q = readQuery(c, catalogueQuery);
  const { rows, total } = await stockOverview(c.get("deps").db, {
    q: q.q || undefined,
    archived: q.archived === "1",
    page: q.page,
    pageSize: 50,
  });
  const keep = Object.fromEntries(Object.entries({ q: q.q, archived: q.archived }).filter(([, v]) => v));
  const csrf = c.get("csrf");
  return renderPage(
    c,
    <section class="stack">
      <AdminNav path={c.req.path} t={t} user={c.get("user")} />
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
    </section>,
    { title: t("cat.title"), status },
  );
}

/** The full product edit page; after a refused save it shows what was typed with the errors beside it. */
async function productEditPage(
  c: Ctx,
  id: string,
  typed?: { values: ProductFormValues; errors: Record<string, string> },
  status = 200,
) {
  const t = c.get("t");
  const view = await productEditView(c.get("deps").db, id);
  const notice = c.req.query("saved") ? t("cat.saved") : c.req.query("created") ? t("cat.created") : null;
  return renderPage(
    c,
    <section class="stack">
      <AdminNav path="/admin/products" t={t} user={c.get("user")} />
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
          {typed.errors.form ? translateMessage(c.get("locale"), typed.errors.form) : t("cat.fixErrors")}
        </p>
      )}
      <div class="card">
        <ProductEditForm
          action={`/admin/products/${view.product.id}/edit`}
          csrf={c.get("csrf")}
          values={typed?.values ?? productFormValues(view.product)}
          reserved={view.product.reserved}
          categories={view.categories}
          brands={view.brands}
          errors={localizeErrors(c, typed?.errors ?? {})}
          t={t}
        />
      </div>
      <section class="card" aria-labelledby="edit-archive">
        <h2 id="edit-archive">{view.product.archived ? t("cat.archivedTitle") : t("cat.archiveTitle")}</h2>
        <p class="muted">{view.product.archived ? t("cat.restoreHint") : t("cat.archiveHint")}</p>
        <PostForm
          action={`/admin/products/${view.product.id}/${view.product.archived ? "restore" : "archive"}`}
          csrf={c.get("csrf")}
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
          csrf={c.get("csrf")}
          label={t("cat.image")}
          upload={t("cat.upload")}
          thumb
        />
      </section>
    </section>,
    { title: t("cat.edit"), status },
  );
}

/**
 * Runs an import step and shows the catalogue page with its outcome: a refused file as a table of every
 * bad row's line, column and reason (in the manager's language), a clean check with its import button.
 */
async function importPage(c: Ctx, run: () => Promise<ImportOutcome | { kind: "imported"; n: number }>) {
  const locale = c.get("locale");
  try {
    const outcome = await run();
    if (outcome.kind === "imported") {
      return await cataloguePage(c, { kind: "ok", text: c.get("t")("cat.imported", { n: outcome.n }) });
    }
    return await cataloguePage(c, undefined, 200, outcome);
  } catch (err) {
    if (err instanceof ImportRefused) {
      return await cataloguePage(c, undefined, err.status, {
        kind: "refused",
        problems: err.problems.slice(0, IMPORT_PROBLEMS_SHOWN).map((p) => ({
          ...p,
          reason: translateMessage(locale, p.reason),
        })),
        totalProblems: err.problems.length,
        badRows: err.badRows,
      });
    }
    if (err instanceof AppError && err.status < 500) {
      return await cataloguePage(c, { kind: "error", text: translateMessage(locale, err.message) }, err.status);
    }
    throw err;
  }
}

/**
 * The live catalogue as CSV or XLSX (archived products left out, so the file re-imports cleanly elsewhere),
 * in the import template's columns plus stock figures (audited).
 */
async function exportProducts(c: Ctx, format: "csv" | "xlsx") {
  const s = catalogueStaff(c);
  if ("redirect" in s) return s.redirect;
  const db = c.get("deps").db;
  const rows = await db.query<Record<string, string | number | boolean | null>>(
    `SELECT p.name, p.name_en, c.slug AS category, b.name AS brand, p.price, p.cost_price, p.stock, p.low_stock_threshold,
            p.on_sale, p.restock_lead_days, p.reserved
       FROM products p JOIN categories c ON c.id = p.category_id LEFT JOIN brands b ON b.id = p.brand_id
      WHERE p.archived_at IS NULL
      ORDER BY p.id`,
  );
  const table = [
    [...TEMPLATE_COLUMNS, "reserved"],
    ...rows.map((r) =>
      [
        r.name,
        r.name_en,
        r.category,
        r.brand ?? "",
        r.price,
        r.cost_price,
        r.stock,
        r.low_stock_threshold,
        r.on_sale,
        r.restock_lead_days,
        r.reserved,
      ].map((v) => String(v ?? ""))
    ),
  ];
  await appendAudit(db, {
    actorId: String(s.user.id),
    action: "data.export",
    target: "products",
    ip: clientIp(c),
    after: { rows: rows.length },
  });
  if (format === "xlsx") return xlsxResponse(c, table, "products");
  return c.body(toCsv(table), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": 'attachment; filename="products.csv"',
  });
}

/** Catalogue and stock for managers: restock forecast, quick stock and price changes, pictures, import. */
export const pagesAdminCatalogue = new Hono<AppEnv>()
  .get("/admin/products", async (c) => {
    const s = catalogueStaff(c);
    if ("redirect" in s) return s.redirect;
    return await cataloguePage(c);
  })
  .get("/admin/products.csv", (c) => exportProducts(c, "csv"))
  .get("/admin/products.xlsx", (c) => exportProducts(c, "xlsx"))
  .post("/admin/products/new", async (c) => {
    const s = catalogueStaff(c);
    if ("redirect" in s) return s.redirect;
    const form = await readForm(c);
    checkCsrf(c, form);
    const parsed = productInputSchema.safeParse({
      ...form,
      stock: Number(form.stock),
      lowStockThreshold: Number(form.lowStockThreshold),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return await cataloguePage(c, { kind: "error", text: `${String(issue.path[0])}: ${issue.message}` }, 400);
    }
    const created = await createProduct(c.get("deps").db, s.user, parsed.data, clientIp(c));
    return c.redirect(`/admin/products/${created.id}/edit?created=1`, 303);
  })
  .post("/admin/products/import", async (c) => {
    const s = catalogueStaff(c);
    if ("redirect" in s) return s.redirect;
    return await importPage(c, async () => {
      const body = await readUpload(c, IMPORT_LIMIT);
      const file = body.file;
      if (!(file instanceof File) || file.size === 0) {
        throw fail.invalid("Choose a CSV or XLSX file", { file: "Required" });
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const db = c.get("deps").db;
      if (body.dryRun === "true") {
        const checked = await checkImportForLater(db, s.user, bytes);
        return { kind: "checked", rows: checked.rows, token: checked.token, minutes: IMPORT_DRAFT_MINUTES };
      }
      return { kind: "imported", n: (await importProducts(db, s.user, bytes, false, clientIp(c))).imported };
    });
  })
  // The one-click import after a clean dry run: the checked file is taken from the server, not uploaded again.
  .post("/admin/products/import/commit", async (c) => {
    const s = catalogueStaff(c);
    if ("redirect" in s) return s.redirect;
    const form = await readForm(c);
    checkCsrf(c, form);
    return await importPage(c, async () => {
      const result = await commitImportDraft(c.get("deps").db, s.user, (form.token ?? "").slice(0, 100), clientIp(c));
      return { kind: "imported", n: result.imported };
    });
  })
  .post("/admin/products/:id/image", async (c) => {
    const s = catalogueStaff(c);
    if ("redirect" in s) return s.redirect;
    const id = c.req.param("id");
    try {
      const body = await readUpload(c, IMAGE_LIMIT);
      const file = body.image;
      if (!(file instanceof File)) throw fail.invalid("Choose an image", { image: "Required" });
      const bytes = new Uint8Array(await file.arrayBuffer());
      if (bytes.length > IMAGE_LIMIT) throw fail.invalid("The image is too large (limit 2 MB)", { image: "Too large" });
      const type = sniffImage(bytes);
      if (!type) throw fail.invalid("Upload a PNG, JPEG or WebP picture", { image: "Unsupported type" });
      const db = c.get("deps").db;
      await db.transaction(async (tx) => {
        const [product] = await tx.query("SELECT 1 FROM products WHERE id = $1", [/^\d{1,18}$/.test(id) ? id : "0"]);
        if (!product) throw fail.notFound("Product");
        await tx.query(
          `INSERT INTO product_images (product_id, content_type, data, uploaded_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (product_id) DO UPDATE SET content_type = EXCLUDED.content_type, data = EXCLUDED.data,
             uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()`,
          [id, type, bytes, s.user.id],
        );
        await appendAudit(tx, {
          actorId: String(s.user.id),
          action: "product.image",
          target: `product:${id}`,
          ip: clientIp(c),
          after: { type, bytes: bytes.length },
        });
      });
      return c.redirect("/admin/products", 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 403) {
        return await cataloguePage(
          c,
          { kind: "error", text: translateMessage(c.get("locale"), err.message) },
          err.status,
        );
      }
      throw err;
    }
  })
  .get("/admin/products/:id/edit", async (c) => {
    const s = catalogueStaff(c);
    if ("redirect" in s) return s.redirect;
    return await productEditPage(c, c.req.param("id"));
  })
  .post("/admin/products/:id/edit", async (c) => {
    const s = catalogueStaff(c);
    if ("redirect" in s) return s.redirect;
    const form = await readForm(c);
    checkCsrf(c, form);
    const id = c.req.param("id");
    const { values, input, errors } = readProductForm(form);
    const parsed = productInputSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    }
    if (!parsed.success || Object.keys(errors).length) return await productEditPage(c, id, { values, errors }, 400);
    try {
      await updateProduct(c.get("deps").db, s.user, id, parsed.data, clientIp(c));
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404 && err.status !== 403) {
        const fields = err.fields ?? {};
        return await productEditPage(c, id, { values, errors: { ...fields, form: err.message } }, err.status);
      }
      throw err;
    }
    return c.redirect(`/admin/products/${id}/edit?saved=1`, 303);
  })
  .post("/admin/products/:id/:change{archive|restore}", async (c) => {
    const s = catalogueStaff(c);
    if ("redirect" in s) return s.redirect;
    checkCsrf(c, await readForm(c));
    const id = c.req.param("id");
    const change = c.req.param("change") === "archive" ? archiveProduct : restoreProduct;
    await change(c.get("deps").db, s.user, id, clientIp(c));
    return c.redirect(`/admin/products/${id}/edit?saved=1`, 303);
  })
  .post("/admin/products/:id", async (c) => {
    const s = catalogueStaff(c);
    if ("redirect" in s) return s.redirect;
    const form = await readForm(c);
    checkCsrf(c, form);
    const patch: Record<string, unknown> = {};
    if (form.stock?.trim()) patch.stock = /^\d+$/.test(form.stock.trim()) ? Number(form.stock.trim()) : form.stock;
    if (form.price?.trim()) patch.price = form.price.trim();
    // Shelf times come from datetime-local inputs, in shop time (China, UTC+8).
    for (const key of ["onShelfAt", "offShelfAt"] as const) {
      const value = form[key]?.trim();
      if (value) patch[key] = fromShopLocalInput(value);
    }
    const parsed = productInputSchema.partial().safeParse(patch);
    if (!parsed.success || Object.keys(patch).length === 0) {
      return await cataloguePage(c, {
        kind: "error",
        text: parsed.success ? "Nothing to change" : parsed.error.issues[0].message,
      }, 400);
    }
    try {
      await updateProduct(c.get("deps").db, s.user, c.req.param("id"), parsed.data, clientIp(c));
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        return await cataloguePage(c, { kind: "error", text: err.message }, err.status);
      }
      throw err;
    }
    return c.redirect("/admin/products", 303);
  });
