import { z } from "zod";
import type { Ctx } from "../../../lib/app_env.ts";
import { readQuery } from "../../../lib/http.ts";
import { localizeErrors, renderPage } from "../../../lib/render.tsx";
import type { Msg } from "../../../i18n/messages.ts";
import { AppError } from "../../../lib/errors.ts";
import type { ProductFormValues } from "../../../lib/product_form.ts";
import { productEditView } from "../../../services/catalogue_admin.ts";
import { ImportRefused } from "../../../services/product_import.ts";
import { productForecast, stockOverview } from "../../../services/stock_admin.ts";
import { shopFilters } from "../../../services/catalogue.ts";
import { IMPORT_PROBLEMS_SHOWN, type ImportOutcome } from "../../../components/ImportReport.tsx";
import { CatalogueAdmin } from "../../../components/CatalogueAdmin.tsx";
import { ProductEditPage } from "../../../components/ProductEditPage.tsx";
import { text } from "../../../lib/text.ts";
import { says } from "../../../i18n/messages.ts";

/** The catalogue list's search. */
export const catalogueQuery = z.object({
  q: text().trim().max(60).default(""),
  archived: z.enum(["1", ""]).default(""),
  show: z.enum(["low", "restock", ""]).default(""),
  sort: z.enum(
    ["name", "stock", "sold", "days", "reorder", ""],
    says("list.err.sort", {
      allowed: "name, stock, sold, days, reorder",
    }),
  ).default(""),
  dir: z.enum(["asc", "desc"], says("list.err.dir")).default("asc"),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

/** The catalogue page, with a message (a success or a refusal) or an import's report. */
export async function cataloguePage(
  c: Ctx,
  message?: { kind: "ok" | "error"; text: string },
  status = 200,
  report?: ImportOutcome,
) {
  const t = c.get("t");
  const q = readQuery(c, catalogueQuery);
  const [{ rows, total }, { categories }] = await Promise.all([
    stockOverview(c.get("deps").db, {
      q: q.q || undefined,
      archived: q.archived === "1",
      show: q.show || undefined,
      sort: q.sort || undefined,
      dir: q.dir,
      page: q.page,
      pageSize: 50,
    }),
    shopFilters(c.get("deps").db),
  ]);
  const keep = Object.fromEntries(
    Object.entries({ q: q.q, archived: q.archived, show: q.show, sort: q.sort, dir: q.sort ? q.dir : "" })
      .filter(([, v]) => v),
  );
  const props = { t, locale: c.get("locale"), csrf: c.get("csrf"), message, report, q, keep, categories };
  return renderPage(c, <CatalogueAdmin {...props} rows={rows} total={total} />, { title: t("cat.title"), status });
}

/** The product edit page; after a refused save, what was typed with the errors beside it. */
export async function productEditPage(
  c: Ctx,
  id: string,
  typed?: { values: ProductFormValues; errors: Record<string, Msg> },
  status = 200,
  /** Why the SKU editor's save was refused (shown in the editor). */
  skuError?: Msg,
) {
  const t = c.get("t");
  const [view, forecast] = await Promise.all([
    productEditView(c.get("deps").db, id),
    productForecast(c.get("deps").db, id),
  ]);
  const skuMessage = skuError
    ? { kind: "error" as const, text: t.msg(skuError) }
    : c.req.query("skus")
    ? { kind: "ok" as const, text: t("sku.saved") }
    : undefined;
  const notice = c.req.query("saved") ? t("cat.saved") : c.req.query("created") ? t("cat.created") : null;
  const errors = localizeErrors(c, typed?.errors ?? {});
  const props = { t, user: c.get("user"), csrf: c.get("csrf"), view, notice, typed, errors };
  return renderPage(c, <ProductEditPage {...props} skuMessage={skuMessage} forecast={forecast} />, {
    title: t("cat.edit"),
    status,
  });
}

/**
 * Runs an import step and shows the catalogue page with its outcome: a refused file as a table of every
 * bad row's line, column and reason (in the manager's language), a clean check with its import button.
 */
export async function importPage(c: Ctx, run: () => Promise<ImportOutcome | { kind: "imported"; n: number }>) {
  const t = c.get("t");
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
          reason: t.msg(p.reason),
        })),
        totalProblems: err.problems.length,
        badRows: err.badRows,
      });
    }
    if (err instanceof AppError && err.status < 500) {
      return await cataloguePage(c, { kind: "error", text: t.msg(err.msg) }, err.status);
    }
    throw err;
  }
}
