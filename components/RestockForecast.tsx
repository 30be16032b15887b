import type { Translator } from "../i18n/messages.ts";
import type { productForecast } from "../services/stock_admin.ts";
import { EmptyState } from "./DataTable.tsx";

/** The console product page's restock forecast: one row per live SKU (its rate, days of cover, reorder). */
export function RestockForecast(
  { t, forecast }: { t: Translator; forecast: NonNullable<Awaited<ReturnType<typeof productForecast>>> },
) {
  const { summary, skus, leadDays } = forecast;
  return (
    <section class="card" id="restock" aria-labelledby="restock-title" data-testid="restock-forecast">
      <header class="card-head">
        <h2 id="restock-title">{t("fc.title")}</h2>
        {summary.restockNow
          ? <span class="badge badge-warn">{t("fc.skusDue", { n: summary.skusToRestock })}</span>
          : summary.low
          ? <span class="badge badge-warn">{t("fc.low")}</span>
          : <span class="badge badge-muted">{t("fc.ok")}</span>}
      </header>
      <p class="muted">{t("fc.hint", { days: leadDays })}</p>
      {skus.length === 0
        ? <EmptyState text={t("fc.noSkus")} icon="package" />
        : (
          <div class="table-scroll" tabIndex={0} role="region" aria-labelledby="restock-title">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t("fc.sku")}</th>
                  <th scope="col" class="num">{t("fc.sellable")}</th>
                  <th scope="col" class="num">{t("fc.threshold")}</th>
                  <th scope="col" class="num">{t("cat.sold14")}</th>
                  <th scope="col" class="num">{t("fc.rate")}</th>
                  <th scope="col" class="num">{t("cat.daysLeft")}</th>
                  <th scope="col" class="num">{t("fc.reorder")}</th>
                </tr>
              </thead>
              <tbody>
                {skus.map((s) => (
                  <tr key={s.id} data-sku={s.id}>
                    <th scope="row">
                      {s.label || t("sku.single")}
                      <span class="muted block">{s.code}</span>
                    </th>
                    <td class="num">
                      {s.sellable} {s.low && <span class="badge badge-warn">{t("fc.low")}</span>}
                    </td>
                    <td class="num">{s.threshold}</td>
                    <td class="num">{s.sold14}</td>
                    <td class="num">{s.dailyRate}</td>
                    <td class="num">
                      {s.daysLeft ?? <span class="muted">{t("fc.noSales")}</span>}{" "}
                      {s.restockNow && <span class="badge badge-warn">{t("fc.due")}</span>}
                    </td>
                    <td class="num" data-testid="sku-reorder">{s.suggestedReorder > 0 ? s.suggestedReorder : "—"}</td>
                  </tr>
                ))}
              </tbody>
              {skus.length > 1 && (
                <tfoot>
                  <tr>
                    <th scope="row">{t("fc.total")}</th>
                    <td class="num">{skus.reduce((n, s) => n + s.sellable, 0)}</td>
                    <td />
                    <td class="num">{skus.reduce((n, s) => n + s.sold14, 0)}</td>
                    <td class="num">{summary.dailyRate}</td>
                    <td class="num">{summary.daysLeft ?? "—"}</td>
                    <td class="num">{summary.suggestedReorder > 0 ? summary.suggestedReorder : "—"}</td>
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
        )}
    </section>
  );
}
