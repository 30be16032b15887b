import type { Translator } from "../i18n/messages.ts";
import type { TeamTreeLabels } from "../islands/TeamTree.tsx";
import type { TeamTableLabels } from "../islands/TeamTable.tsx";

/** The team tree island's labels. */
export function treeLabels(t: Translator): TeamTreeLabels {
  return {
    title: t("team.tree"),
    hint: t("team.treeHint"),
    empty: t("team.empty"),
    tier: t.raw("team.tier"),
    referrals: t.raw("team.referrals"),
    sales30d: t("team.sales30d"),
    active: t("team.active"),
    inactive: t("team.inactive"),
    joined: t("team.joined"),
    loadMore: t.raw("team.loadMore"),
    loading: t("team.loading"),
    failed: t("team.failed"),
    retry: t("team.retry"),
    signedOut: t("team.signedOut"),
  };
}

/** The team table island's labels. */
export function tableLabels(t: Translator): TeamTableLabels {
  return {
    title: t("team.list"),
    search: t("team.search"),
    searchHint: t("team.searchHint"),
    submit: t("team.submit"),
    tierFilter: t("team.col.tier"),
    allTiers: t("team.allTiers"),
    tier: t.raw("team.tier"),
    statusFilter: t("team.col.status"),
    anyStatus: t("team.anyStatus"),
    active: t("team.active"),
    inactive: t("team.inactive"),
    activeHint: t("team.activeHint"),
    sortBy: t("team.sortBy"),
    order: t("team.order"),
    sorts: { joined: t("team.joined"), sales: t("team.sales30d"), name: t("team.col.name") },
    dirs: { asc: t("team.dir.asc"), desc: t("team.dir.desc") },
    colName: t("team.col.name"),
    colTier: t("team.col.tier"),
    colJoined: t("team.joined"),
    colSales: t("team.sales30d"),
    colStatus: t("team.col.status"),
    colReferrals: t("team.col.referrals"),
    count: t.raw("team.count"),
    empty: t("team.noMatch"),
    loading: t("team.loading"),
    failed: t("team.failed"),
    signedOut: t("team.signedOut"),
    pager: t("pager.label"),
    prev: t("pager.prev"),
    next: t("pager.next"),
    page: t.raw("pager.page"),
  };
}

/** The table's state from the page URL; anything invalid falls back to the defaults (a page never 400s). */
