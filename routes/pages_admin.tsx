import { Hono } from "hono";
import type { AppEnv } from "../lib/app_env.ts";
import { renderPage } from "../lib/render.tsx";
import { requireManager } from "../lib/http.ts";
import { Island } from "../lib/island.tsx";
import { memberSnapshot } from "../services/dashboard.ts";
import MembersLive from "../islands/MembersLive.tsx";

/** The manager console home. */
export const pagesAdmin = new Hono<AppEnv>()
  .get("/admin", async (c) => {
    if (!c.get("user")) return c.redirect("/login?next=/admin");
    requireManager(c);
    const t = c.get("t");
    const snap = await memberSnapshot(c.get("deps").db);
    return renderPage(
      c,
      <section class="stack">
        <h1>{t("admin.title")}</h1>
        <div class="grid kpis">
          <div class="card stat">
            <span class="stat-label">{t("admin.products")}</span>
            <strong class="stat-value">{snap.products}</strong>
          </div>
        </div>
        <Island
          of={MembersLive}
          props={{
            today: snap.today,
            total: snap.total,
            newest: snap.newest,
            lastEventId: snap.lastEventId,
            labels: {
              today: t("admin.membersToday"),
              total: t("admin.membersTotal"),
              newest: t("admin.newestMembers"),
              empty: t("admin.noMembers"),
              upline: t("admin.upline"),
              status: { live: t("live.connected"), connecting: t("live.connecting"), offline: t("live.offline") },
            },
          }}
        />
      </section>,
      { title: t("admin.title") },
    );
  });
