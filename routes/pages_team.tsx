import { Hono } from "hono";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { readQuery, requireUser } from "../lib/http.ts";
import { portalMember, renderPortal } from "../lib/portal.tsx";
import { Island } from "../lib/island.tsx";
import {
  defaultDir,
  searchTeam,
  teamChildren,
  teamChildrenQuerySchema,
  teamSearchQuerySchema,
  teamTierTotals,
  TREE_PAGE_SIZE,
} from "../services/team.ts";
import TeamTree, { type TeamTreeLabels } from "../islands/TeamTree.tsx";
import TeamTable, { type TeamTableLabels, type TeamTableQuery } from "../islands/TeamTable.tsx";
import { money, toMoneyString } from "../domain/money.ts";
import type { Translator } from "../i18n/messages.ts";

const PATH = "/distributor/team";

function treeLabels(t: Translator): TeamTreeLabels {
  return {
    title: t("team.tree"),
    hint: t("team.treeHint"),
    empty: t("team.empty"),
    tier: t("team.tier"),
    referrals: t("team.referrals"),
    sales30d: t("team.sales30d"),
    active: t("team.active"),
    inactive: t("team.inactive"),
    joined: t("team.joined"),
    loadMore: t("team.loadMore"),
    loading: t("team.loading"),
    failed: t("team.failed"),
    retry: t("team.retry"),
    signedOut: t("team.signedOut"),
  };
}

function tableLabels(t: Translator): TeamTableLabels {
  return {
    title: t("team.list"),
    search: t("team.search"),
    searchHint: t("team.searchHint"),
    submit: t("team.submit"),
    tierFilter: t("team.col.tier"),
    allTiers: t("team.allTiers"),
    tier: t("team.tier"),
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
    count: t("team.count"),
    empty: t("team.noMatch"),
    loading: t("team.loading"),
    failed: t("team.failed"),
    signedOut: t("team.signedOut"),
    pager: t("pager.label"),
    prev: t("pager.prev"),
    next: t("pager.next"),
    page: t("pager.page"),
  };
}

/** The table's state from the page URL; anything invalid falls back to the defaults (a page never 400s). */
function tableQuery(c: Ctx): TeamTableQuery {
  const parsed = teamSearchQuerySchema.safeParse(c.req.query());
  const q = parsed.success ? parsed.data : teamSearchQuerySchema.parse({});
  return {
    q: q.q ?? "",
    tier: q.tier ? String(q.tier) : "",
    active: q.active ?? "",
    sort: q.sort,
    dir: q.dir ?? defaultDir(q.sort),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * The distributor's team: JSON endpoints for the tree (children of one member, loaded lazily)
 * and the table (search), and the "My team" portal page, which renders only the first page of
 * each so that it stays fast for a downline of tens of thousands.
 */
export const pagesTeam = new Hono<AppEnv>()
  .get("/api/me/team/children", async (c) => {
    const user = requireUser(c);
    const q = readQuery(c, teamChildrenQuerySchema);
    return c.json(await teamChildren(c.get("deps").db, String(user.id), q));
  })
  .get("/api/me/team/search", async (c) => {
    const user = requireUser(c);
    const q = readQuery(c, teamSearchQuerySchema);
    return c.json(await searchTeam(c.get("deps").db, String(user.id), q));
  })
  .get(PATH, async (c) => {
    const member = portalMember(c);
    if ("redirect" in member) return member.redirect;
    const { user } = member;
    const t = c.get("t");
    const db = c.get("deps").db;
    const query = tableQuery(c);
    const me = String(user.id);
    const [tiers, children, table] = await Promise.all([
      teamTierTotals(db, me),
      teamChildren(db, me, { page: 1, pageSize: TREE_PAGE_SIZE }),
      searchTeam(db, me, {
        q: query.q || undefined,
        tier: query.tier ? Number(query.tier) : undefined,
        active: query.active ? query.active as "yes" | "no" : undefined,
        sort: query.sort,
        dir: query.dir,
        page: query.page,
        pageSize: query.pageSize,
      }),
    ]);
    const totalMembers = tiers.reduce((n, r) => n + r.members, 0);
    const totalSales = toMoneyString(tiers.reduce((s, r) => s.plus(money(r.sales30d)), money("0")));
    return renderPortal(
      c,
      <section class="stack" data-testid="team-page">
        <header>
          <h1>{t("portal.team")}</h1>
          <p class="muted">{t("team.intro")}</p>
        </header>
        <div
          class="grid"
          style={{ display: "grid", gap: "12px", gridTemplateColumns: "repeat(auto-fit, minmax(160px, 1fr))" }}
          data-testid="team-totals"
        >
          {tiers.map((r) => (
            <div class="card stat" key={r.tier} data-tier={r.tier}>
              <span class="stat-label">{t("team.tier", { tier: r.tier })}</span>
              <strong class="stat-value">{t("team.people", { count: r.members })}</strong>
              <span class="muted">{t("team.sales30d")} ¥{r.sales30d}</span>
            </div>
          ))}
          <div class="card stat" data-tier="all">
            <span class="stat-label">{t("team.total")}</span>
            <strong class="stat-value">{t("team.people", { count: totalMembers })}</strong>
            <span class="muted">{t("team.sales30d")} ¥{totalSales}</span>
          </div>
        </div>
        <Island
          of={TeamTree}
          props={{ items: children.items, total: children.total, pageSize: TREE_PAGE_SIZE, labels: treeLabels(t) }}
        />
        <Island
          of={TeamTable}
          props={{ items: table.items, total: table.total, query, path: PATH, labels: tableLabels(t) }}
        />
      </section>,
      t("portal.team"),
    );
  });
