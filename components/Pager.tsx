import type { Translator } from "../i18n/messages.ts";

/** Previous/next links for a paged list; keeps the other query parameters. */
export function Pager(
  { page, pageSize, total, baseQuery, t }: {
    page: number;
    pageSize: number;
    total: number;
    baseQuery: Record<string, string>;
    t: Translator;
  },
) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (p: number) => `?${new URLSearchParams({ ...baseQuery, page: String(p) })}`;
  return (
    <nav class="pager" aria-label={t("pager.label")}>
      {page > 1 ? <a class="btn btn-ghost" href={href(page - 1)} rel="prev">{t("pager.prev")}</a> : <span />}
      <span class="pager-info">{t("pager.page", { page, pages })}</span>
      {page < pages ? <a class="btn btn-ghost" href={href(page + 1)} rel="next">{t("pager.next")}</a> : <span />}
    </nav>
  );
}
