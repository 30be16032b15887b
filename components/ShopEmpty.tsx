import type { Translator } from "../i18n/messages.ts";
import { EmptyState } from "./DataTable.tsx";

/**
 * The shop's list when it shows nothing: for a search or filters, that nothing matched and a way to clear
 * them; for an empty shop, a word for shoppers, and for managers where products are added.
 */
export function ShopEmpty(
  { t, query, filtered, manager }: {
    t: Translator;
    query: { q?: string; category?: string; brand?: string; minPrice?: unknown; maxPrice?: unknown };
    filtered: boolean;
    manager?: boolean;
  },
) {
  if (!filtered) {
    return manager
      ? (
        <EmptyState icon="package" text={t("home.empty")}>
          <a class="btn btn-primary" href="/admin/products">{t("home.addProducts")}</a>
        </EmptyState>
      )
      : <EmptyState icon="bag" text={t("home.emptyShopper")} hint={t("home.emptyShopperHint")} />;
  }
  // Price or brand filters on a search or category: first offer to drop just those.
  const narrowed = Boolean(query.brand || query.minPrice || query.maxPrice);
  const keep = new URLSearchParams();
  if (query.q) keep.set("q", query.q);
  if (query.category) keep.set("category", query.category);
  const keepHref = keep.size ? `/?${keep}` : "/";
  return (
    <EmptyState
      icon="searchX"
      text={query.q ? t("search.none") : t("home.noMatch")}
      hint={narrowed ? t("home.noMatchHint") : undefined}
    >
      <p class="empty-actions">
        {narrowed && keepHref !== "/" && (
          <a class="btn btn-ghost" href={keepHref} data-testid="clear-filters">{t("home.clearFilters")}</a>
        )}
        <a class="btn btn-primary" href="/" data-testid={narrowed && keepHref !== "/" ? undefined : "clear-filters"}>
          {narrowed && keepHref !== "/"
            ? t("home.seeAll")
            : query.q && !narrowed && !query.category
            ? t("home.clearSearch")
            : t("home.clearAll")}
        </a>
      </p>
    </EmptyState>
  );
}
