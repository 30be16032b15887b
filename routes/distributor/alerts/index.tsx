import type { Handlers } from "../../../lib/fs_router.ts";
import { renderPortal } from "../../../lib/portal.tsx";
import { requireMember } from "../../../lib/guards.ts";
import { lowStockAlerts, notificationsOf } from "../../../services/notifications.ts";
import { PostForm } from "../../../components/Form.tsx";

/** `/distributor/alerts`: notifications and low stock of the products the member promotes. */
export const handler: Handlers = {
  GET: [requireMember(), async (c) => {
    const t = c.get("t");
    const db = c.get("deps").db;
    const [notes, lowStock] = await Promise.all([
      notificationsOf(db, String(c.get("user")!.id), c.get("locale")),
      lowStockAlerts(db, String(c.get("user")!.id)),
    ]);
    return renderPortal(
      c,
      <section class="stack">
        <h1>{t("alerts.title")}</h1>
        {lowStock.length > 0 && (
          <section class="card" aria-labelledby="low-stock">
            <h2 id="low-stock">{t("alerts.lowStock")}</h2>
            <ul class="plain-list">
              {lowStock.map((p) => (
                <li key={p.id}>
                  <a href={`/products/${p.id}`}>{p.name}</a> ·{" "}
                  <span class="badge badge-warn">{t("alerts.stockLeft", { n: p.sellable })}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
        <section class="card" aria-labelledby="notes">
          <header class="card-head">
            <h2 id="notes">{t("alerts.title")} ({notes.unread})</h2>
            {notes.unread > 0 && (
              <PostForm action="/distributor/alerts/read" csrf={c.get("csrf")} class="inline-form">
                <button class="btn btn-ghost btn-sm" type="submit">{t("alerts.markRead")}</button>
              </PostForm>
            )}
          </header>
          {notes.items.length === 0 ? <p class="muted">{t("alerts.none")}</p> : (
            <ul class="plain-list">
              {notes.items.map((n) => (
                <li key={n.id} class={n.readAt ? "muted" : ""}>
                  {n.priority === "important" && <span class="badge badge-warn">{t("alerts.important")}</span>}{" "}
                  <strong>{n.title}</strong> {n.body}
                </li>
              ))}
            </ul>
          )}
        </section>
      </section>,
      t("alerts.title"),
    );
  }],
};
