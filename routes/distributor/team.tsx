import type { Ctx } from "../../lib/app_env.ts";
import type { Handlers } from "../../lib/fs_router.ts";
import { renderPortal } from "../../lib/portal.tsx";
import { requireMember } from "../../lib/guards.ts";
import { tableLabels, treeLabels } from "../../components/team_labels.ts";
import { Island } from "../../lib/island.tsx";
import {
  defaultDir,
  searchTeam,
  teamChildren,
  teamSearchQuerySchema,
  teamTierTotals,
  TREE_PAGE_SIZE,
} from "../../services/team.ts";
import TeamTree from "../../islands/TeamTree.tsx";
import TeamTable, { type TeamTableQuery } from "../../islands/TeamTable.tsx";
import { money, toMoneyString } from "../../domain/money.ts";

const PATH = "/distributor/team";

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
 * `/distributor/team` ("My team"): renders only the first page of the tree and of the table (the rest comes
 * from `/api/me/team/children` and `/api/me/team/search`), so it stays fast for a downline of tens of thousands.
 */
export const handler: Handlers = {
  GET: [requireMember(), async (c) => {
    const user = c.get("user")!;
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
  }],
};
