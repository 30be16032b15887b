import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { checkCsrf, clientIp, readForm, readQuery } from "../lib/http.ts";
import { renderPage } from "../lib/render.tsx";
import { AppError, fail } from "../lib/errors.ts";
import { can, type Permission, STAFF_ROLES, staffRoleOf } from "../domain/permissions.ts";
import { findUserByEmail } from "../db/users_repo.ts";
import { changeRole } from "../services/accounts.ts";
import { setStaffRole } from "../services/members_admin.ts";
import { maskPhone } from "../domain/pii.ts";
import { ORDER_STATUSES } from "../domain/orders/order_state.ts";
import { listOrders } from "../db/orders_repo.ts";
import { type MessageKey, translateMessage } from "../i18n/messages.ts";
import { shipOrder } from "../services/orders.ts";
import { approveRefund, rejectRefund } from "../services/refunds.ts";
import { approveWithdrawal, rejectWithdrawal, withdrawalsForReview } from "../services/earnings.ts";
import { reauthenticate, recentlyAuthenticated } from "../services/accounts.ts";
import { FormAlert, PostForm } from "../components/Form.tsx";
import { DecisionForms } from "../components/DecisionForms.tsx";
import { AdminNav } from "../components/AdminNav.tsx";
import { toCsv } from "../lib/csv.ts";
import {
  applicationsOf,
  distributorOverview,
  distributorProfile,
  pendingApplications,
} from "../services/distributors_admin.ts";
import { DistributorTags, SalesDropLine, TagRules } from "../components/DistributorTags.tsx";
import { teamFigures } from "../services/earnings.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { decideApplication } from "../services/programme.ts";
import { bulkShip } from "../services/bulk_ship.ts";
import { readUpload } from "../lib/upload.ts";
import { closePeriod, closePeriodSchema } from "../services/settlement.ts";
import { staffPage } from "./staff_page.ts";
import { Pager } from "../components/Pager.tsx";
import { shortTime } from "../client/format.ts";
import { fromShopLocalInput, toShopLocalInput } from "../lib/shop_time.ts";
import { appConfig } from "../fresh.config.ts";
import { text } from "../lib/text.ts";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-22").optional().or(z.literal(""));
/** The managers' order list filters (also carried into the CSV download). */
const orderFilterSchema = z.object({
  status: z.enum(ORDER_STATUSES).optional().or(z.literal("")),
  q: text().trim().max(60).optional(),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

/** The list filters as `listOrders` takes them, and as a query string for links that keep them. */
function orderFilter(c: Ctx) {
  const q = readQuery(c, orderFilterSchema);
  const filter = {
    status: q.status || undefined,
    q: q.q || undefined,
    from: q.from || undefined,
    to: q.to || undefined,
    timeZone: appConfig.timeZone,
  };
  const keep = Object.fromEntries(
    Object.entries({ status: q.status, q: q.q, from: q.from, to: q.to }).filter(([, v]) => v) as [string, string][],
  );
  return { q, filter, keep };
}

/** Most bytes of a bulk-ship CSV file. */
const BULK_SHIP_LIMIT = 1024 * 1024;

/** The order list; `message` is a refusal (red), `notice` a success (a status message). */
async function ordersPage(c: Ctx, message?: string, status = 200, notice?: string) {
  const t = c.get("t");
  const { q, filter, keep } = orderFilter(c);
  const db = c.get("deps").db;
  const viewer = c.get("user")!;
  const { rows, total } = await listOrders(db, { ...filter, limit: 50, offset: (q.page - 1) * 50 });
  const withStatus = (s?: string) => {
    const params = new URLSearchParams({ ...keep });
    params.delete("status");
    if (s) params.set("status", s);
    const text = params.toString();
    return `/admin/orders${text ? `?${text}` : ""}`;
  };
  const csvQuery = new URLSearchParams(keep).toString();
  const refunds = await db.query<
    { id: string; order_id: string; amount: string; shipping_refund: string; reason: string; kind: string }
  >(
    "SELECT id, order_id, amount, shipping_refund, reason, kind FROM refunds WHERE status = 'requested' ORDER BY id LIMIT 50",
  );
  const seePhones = can(staffRoleOf(viewer), "pii.read");
  const csrf = c.get("csrf");
  return renderPage(
    c,
    <section class="stack">
      <AdminNav path={c.req.path} t={t} user={c.get("user")} />
      <h1>{t("ops.orders")}</h1>
      <FormAlert message={message} />
      {notice && <p class="alert" role="status" data-testid="notice">{notice}</p>}
      {refunds.length > 0 && can(staffRoleOf(viewer), "refunds.decide") && (
        <section class="card" aria-labelledby="refund-review">
          <h2 id="refund-review">{t("ops.refundReview")}</h2>
          <ul class="plain-list">
            {refunds.map((r) => (
              <li key={r.id}>
                #{r.order_id} · ¥{r.amount} · {t(`refund.kind.${r.kind}` as MessageKey)} · {r.reason}
                <DecisionForms base={`/admin/refunds/${r.id}`} csrf={csrf} t={t} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <nav class="chips" aria-label={t("ops.filter")}>
        <a class={!q.status ? "chip active" : "chip"} href={withStatus()}>{t("ops.allOrders")}</a>
        {ORDER_STATUSES.map((s) => (
          <a key={s} class={q.status === s ? "chip active" : "chip"} href={withStatus(s)}>
            {t(`status.${s}` as MessageKey)}
          </a>
        ))}
      </nav>
      <form method="get" action="/admin/orders" class="card filters" role="search">
        {q.status && <input type="hidden" name="status" value={q.status} />}
        <label>
          {t("ops.orderSearch")}
          <input type="search" name="q" value={q.q ?? ""} maxLength={60} placeholder={t("ops.orderSearchHint")} />
        </label>
        <label>
          {t("ops.from")}
          <input type="date" name="from" value={q.from ?? ""} />
        </label>
        <label>
          {t("ops.to")}
          <input type="date" name="to" value={q.to ?? ""} />
        </label>
        <button class="btn btn-ghost btn-sm" type="submit">{t("filter.apply")}</button>
      </form>
      {can(staffRoleOf(viewer), "orders.ship") && (
        <form method="post" action="/admin/orders/ship-csv" enctype="multipart/form-data" class="card filters">
          <input type="hidden" name="_csrf" value={csrf} />
          <label>
            {t("ops.bulkShip")}
            <input type="file" name="file" accept=".csv,text/csv" required />
          </label>
          <button class="btn btn-ghost btn-sm" type="submit">{t("cat.upload")}</button>
          <span class="muted">number,carrier,trackingNumber</span>
        </form>
      )}
      <p class="muted">
        {t("ops.total", { n: total })} · <a href={`/admin/orders.csv${csvQuery ? `?${csvQuery}` : ""}`}>CSV</a>
      </p>
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t("orders.number")}</th>
              <th scope="col">{t("earn.status")}</th>
              <th scope="col">{t("price.total")}</th>
              <th scope="col">{t("checkout.name")}</th>
              <th scope="col">{t("checkout.phone")}</th>
              <th scope="col">{t("order.shipping")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.id}>
                <td>
                  <a href={`/admin/orders/${o.id}`}>{o.number}</a>
                  <span class="muted block">{shortTime(new Date(o.created_at).toISOString())}</span>
                </td>
                <td>
                  <span class={`status status-${o.status}`}>{t(`status.${o.status}` as MessageKey)}</span>
                </td>
                <td>¥{o.total}</td>
                <td>{o.address.name}</td>
                <td>{seePhones ? o.address.phone : maskPhone(o.address.phone ?? "")}</td>
                <td>
                  {o.status === "paid" && can(staffRoleOf(viewer), "orders.ship")
                    ? (
                      <PostForm action={`/admin/orders/${o.id}/ship`} csrf={csrf} class="inline-form">
                        <input
                          name="carrier"
                          aria-label={t("ops.carrier")}
                          placeholder={t("ops.carrier")}
                          required
                          maxLength={60}
                          size={6}
                        />
                        <input
                          name="trackingNumber"
                          aria-label={t("ops.tracking")}
                          placeholder={t("ops.tracking")}
                          required
                          maxLength={60}
                          size={12}
                        />
                        <button class="btn btn-primary btn-sm" type="submit">{t("ops.ship")}</button>
                      </PostForm>
                    )
                    : o.carrier
                    ? `${o.carrier} ${o.tracking_number}`
                    : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 && <p class="empty card">{t("ops.noOrders")}</p>}
      <Pager page={q.page} pageSize={50} total={total} baseQuery={keep} t={t} />
    </section>,
    { title: t("ops.orders"), status },
  );
}

async function withdrawalsPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const db = c.get("deps").db;
  const rows = await withdrawalsForReview(db, { limit: 100 });
  const fresh = await recentlyAuthenticated(db, c.get("sessionToken"));
  const csrf = c.get("csrf");
  return renderPage(
    c,
    <section class="stack">
      <AdminNav path={c.req.path} t={t} user={c.get("user")} />
      <h1>{t("ops.withdrawals")}</h1>
      <FormAlert message={message} />
      {!fresh && <p class="alert">{t("ops.reauthHint")}</p>}
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("auth.name")}</th>
              <th scope="col">{t("earn.amount")}</th>
              <th scope="col">{t("earn.tax")}</th>
              <th scope="col">{t("earn.net")}</th>
              <th scope="col">{t("earn.status")}</th>
              <th scope="col">{t("ops.action")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((w) => (
              <tr key={w.id}>
                <td>{w.id}</td>
                <td>{w.name}</td>
                <td>
                  ¥{w.amount}
                  {w.unusual.map((r) => (
                    <span key={r} class="badge badge-warn">{t(`ops.unusual.${r}` as MessageKey)}</span>
                  ))}
                </td>
                <td>¥{w.tax}</td>
                <td>¥{w.net}</td>
                <td>{t(`earn.w.${w.status}` as MessageKey)}</td>
                <td>
                  {w.status === "requested" && (
                    <>
                      <PostForm action={`/admin/withdrawals/${w.id}/approve`} csrf={csrf} class="inline-form">
                        {!fresh && (
                          <input
                            type="password"
                            name="password"
                            aria-label={t("auth.password")}
                            placeholder={t("auth.password")}
                            required
                          />
                        )}
                        <button class="btn btn-primary btn-sm" type="submit">{t("ops.approve")}</button>
                      </PostForm>
                      <PostForm action={`/admin/withdrawals/${w.id}/reject`} csrf={csrf} class="inline-form">
                        <input
                          name="reason"
                          aria-label={t("ops.reason")}
                          placeholder={t("ops.reason")}
                          required
                          maxLength={200}
                          size={8}
                        />
                        <button class="btn btn-ghost btn-sm" type="submit">{t("ops.reject")}</button>
                      </PostForm>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>,
    { title: t("ops.withdrawals"), status },
  );
}

async function settlementsPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const db = c.get("deps").db;
  const periods = await db.query<
    { id: string; starts_at: Date; ends_at: Date; closed_at: Date; statements: number; total: string }
  >(
    `SELECT p.id, p.starts_at, p.ends_at, p.closed_at, count(s.id)::int AS statements,
            coalesce(sum(s.closing), 0)::numeric(20,2)::text AS total
       FROM settlement_periods p LEFT JOIN statements s ON s.period_id = p.id GROUP BY p.id ORDER BY p.starts_at DESC LIMIT 50`,
  );
  // The next period starts exactly where the last one ended; the first one from a day the manager picks.
  const start = periods[0] ? new Date(periods[0].ends_at).toISOString() : null;
  const end = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
  return renderPage(
    c,
    <section class="stack">
      <AdminNav path={c.req.path} t={t} user={c.get("user")} />
      <h1>{t("ops.settlements")}</h1>
      <FormAlert message={message} />
      <PostForm action="/admin/settlements" csrf={c.get("csrf")} class="card filters">
        {start
          ? (
            <p class="muted">
              {t("ops.periodStart")} {shortTime(start)}
              <input type="hidden" name="startsAt" value={start} />
            </p>
          )
          : (
            <label>
              {t("ops.periodStart")}
              <input type="datetime-local" name="startsAt" value="2026-01-01T00:00" required />
            </label>
          )}
        <label>
          {t("ops.periodEnd")}
          <input type="datetime-local" name="endsAt" value={toShopLocalInput(end)} required />
        </label>
        <span class="muted">{t("ops.shopTime")}</span>
        <button class="btn btn-primary btn-sm" type="submit">{t("ops.close")}</button>
      </PostForm>
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("ops.periodStart")}</th>
              <th scope="col">{t("ops.periodEnd")}</th>
              <th scope="col">{t("earn.statements")}</th>
              <th scope="col">{t("ops.owed")}</th>
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.id}>
                <td>
                  <a href={`/admin/settlements/${p.id}`} aria-label={`${t("stmt.review")} #${p.id}`}>
                    {t("stmt.period", { id: p.id })}
                  </a>
                </td>
                <td>{new Date(p.starts_at).toISOString().slice(0, 16).replace("T", " ")}</td>
                <td>{new Date(p.ends_at).toISOString().slice(0, 16).replace("T", " ")}</td>
                <td>{p.statements}</td>
                <td>¥{p.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>,
    { title: t("ops.settlements"), status },
  );
}

async function staffListPage(c: Ctx, message?: string, status = 200) {
  const t = c.get("t");
  const staff = await c.get("deps").db.query<{ id: string; name: string; email: string; staff_role: string | null }>(
    "SELECT id, name, email, staff_role FROM users WHERE role = 'manager' ORDER BY id",
  );
  const csrf = c.get("csrf");
  return renderPage(
    c,
    <section class="stack">
      <AdminNav path={c.req.path} t={t} user={c.get("user")} />
      <h1>{t("ops.staff")}</h1>
      <FormAlert message={message} />
      <PostForm action="/admin/staff" csrf={csrf} class="card filters">
        <label>
          {t("ops.addManager")}
          <input name="email" type="email" required maxLength={254} placeholder="name@example.com" />
        </label>
        <button class="btn btn-primary btn-sm" type="submit">{t("cat.create")}</button>
      </PostForm>
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t("auth.name")}</th>
              <th scope="col">{t("auth.email")}</th>
              <th scope="col">{t("ops.staffRole")}</th>
            </tr>
          </thead>
          <tbody>
            {staff.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>
                  <PostForm action="/admin/staff" csrf={csrf} class="inline-form">
                    <input type="hidden" name="userId" value={String(m.id)} />
                    <select name="staffRole" aria-label={t("ops.staffRole")}>
                      {STAFF_ROLES.map((r) => (
                        <option key={r} value={r} selected={staffRoleOf(m) === r}>
                          {t(`staff.${r}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                    <button class="btn btn-ghost btn-sm" type="submit">{t("cart.update")}</button>
                  </PostForm>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>,
    { title: t("ops.staff"), status },
  );
}

/** Runs a staff form action, re-rendering the page with the error when it is refused. */
async function action(
  c: Ctx,
  permission: Permission,
  page: (c: Ctx, m?: string, s?: number) => Promise<Response>,
  back: string,
  run: (form: Record<string, string>) => Promise<unknown>,
) {
  const s = staffPage(c, permission);
  if ("redirect" in s) return s.redirect;
  const form = await readForm(c);
  checkCsrf(c, form);
  try {
    await run(form);
    // A form on an order's own page returns there; only paths inside the console are followed.
    const to = /^\/admin\/orders\/\d+$/.test(form.back ?? "") ? form.back : back;
    return c.redirect(to, 303);
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      return await page(c, Object.values(err.fields ?? {})[0] ?? err.message, err.status);
    }
    throw err;
  }
}

/** Manager pages for daily operations: orders and after-sales, withdrawals, the audit log. */
export const pagesAdminOps = new Hono<AppEnv>()
  .get("/admin/orders", async (c) => {
    const s = staffPage(c, "orders.read");
    if ("redirect" in s) return s.redirect;
    return await ordersPage(c);
  })
  .get("/admin/orders.csv", async (c) => {
    const s = staffPage(c, "orders.read");
    if ("redirect" in s) return s.redirect;
    const { filter } = orderFilter(c);
    const { rows } = await listOrders(c.get("deps").db, { ...filter, limit: 10_000, offset: 0 });
    const pii = can(staffRoleOf(s.user), "pii.read");
    await appendAudit(c.get("deps").db, {
      actorId: String(s.user.id),
      action: "data.export",
      target: "orders",
      ip: clientIp(c),
      after: { rows: rows.length, phones: pii ? "full" : "masked", filter },
    });
    const csv = toCsv([
      ["number", "status", "total", "name", "phone", "city", "created_at"],
      ...rows.map((
        o,
      ) => [
        o.number,
        o.status,
        o.total,
        o.address.name,
        pii ? o.address.phone : maskPhone(o.address.phone ?? ""),
        o.address.city,
        new Date(o.created_at).toISOString(),
      ]),
    ]);
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="orders.csv"',
    });
  })
  .post("/admin/orders/:id/ship", (c) =>
    action(c, "orders.ship", ordersPage, "/admin/orders", (form) => {
      const parsed = z.object({
        carrier: text().trim().min(1).max(60),
        trackingNumber: text().trim().min(4).max(60),
      }).safeParse(form);
      if (!parsed.success) throw fail.invalid("Enter carrier and tracking number", { trackingNumber: "Required" });
      return shipOrder(c.get("deps").shop, c.req.param("id"), c.get("user")!, parsed.data);
    }))
  .post("/admin/orders/ship-csv", async (c) => {
    const s = staffPage(c, "orders.ship");
    if ("redirect" in s) return s.redirect;
    try {
      const body = await readUpload(c, BULK_SHIP_LIMIT);
      const file = body.file;
      if (!(file instanceof File) || file.size === 0 || file.size > BULK_SHIP_LIMIT) {
        throw fail.invalid("Choose a CSV file of at most 1 MB", { file: "Required" });
      }
      const shipped = await bulkShip(c.get("deps").shop, s.user, await file.text());
      return await ordersPage(c, undefined, 200, c.get("t")("ops.shipped", { n: shipped }));
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 403) {
        // Bad lines are listed after the message; a file-level refusal is its (translated) message alone.
        const lines = Object.entries(err.fields ?? {}).filter(([k]) => k.startsWith("line "))
          .map(([k, v]) => `${k}: ${v}`).join("; ");
        const text = translateMessage(c.get("locale"), err.message);
        return await ordersPage(c, `${text}${lines ? ` — ${lines}` : ""}`, err.status);
      }
      throw err;
    }
  })
  .post(
    "/admin/refunds/:id/approve",
    (c) =>
      action(
        c,
        "refunds.decide",
        ordersPage,
        "/admin/orders",
        (form) => {
          const note = (form.note ?? "").trim();
          if (note.length > 500) throw fail.invalid("The note is at most 500 characters", { note: "Too long" });
          return approveRefund(c.get("deps").shop, c.req.param("id"), c.get("user")!, clientIp(c), note || null);
        },
      ),
  )
  .post("/admin/refunds/:id/reject", (c) =>
    action(c, "refunds.decide", ordersPage, "/admin/orders", (form) => {
      if (!form.reason?.trim()) throw fail.invalid("Give a reason", { reason: "Required" });
      return rejectRefund(
        c.get("deps").shop,
        c.req.param("id"),
        c.get("user")!,
        form.reason.trim().slice(0, 500),
        clientIp(c),
      );
    }))
  .get("/admin/withdrawals", async (c) => {
    const s = staffPage(c, "withdrawals.read");
    if ("redirect" in s) return s.redirect;
    return await withdrawalsPage(c);
  })
  .post(
    "/admin/withdrawals/:id/approve",
    (c) =>
      action(c, "withdrawals.approve", withdrawalsPage, "/admin/withdrawals", async (form) => {
        const db = c.get("deps").db;
        if (form.password) await reauthenticate(db, c.get("sessionToken"), c.get("user")!, form.password, clientIp(c));
        else if (!(await recentlyAuthenticated(db, c.get("sessionToken")))) {
          throw new AppError("unauthenticated", "Please re-enter your password to approve payouts");
        }
        return approveWithdrawal(db, c.get("user")!, c.req.param("id"), clientIp(c));
      }),
  )
  .post(
    "/admin/withdrawals/:id/reject",
    (c) =>
      action(c, "withdrawals.approve", withdrawalsPage, "/admin/withdrawals", (form) => {
        if (!form.reason?.trim()) throw fail.invalid("Give a reason", { reason: "Required" });
        return rejectWithdrawal(
          c.get("deps").db,
          c.get("user")!,
          c.req.param("id"),
          form.reason.trim().slice(0, 500),
          clientIp(c),
        );
      }),
  )
  .get("/admin/distributors", async (c) => {
    const s = staffPage(c, "members.read");
    if ("redirect" in s) return s.redirect;
    const t = c.get("t");
    const db = c.get("deps").db;
    const [{ profiles, alerts }, applications] = await Promise.all([
      distributorOverview(db, c.get("deps").shop.now()),
      pendingApplications(db, s.user),
    ]);
    const csrf = c.get("csrf");
    return renderPage(
      c,
      <section class="stack">
        <AdminNav path={c.req.path} t={t} user={c.get("user")} />
        <h1>{t("ops.distributors")}</h1>
        <section class="card" aria-labelledby="drop-alerts">
          <h2 id="drop-alerts">{t("ops.dropAlerts")}</h2>
          {alerts.length === 0
            ? <p class="muted">{t("ops.noDropAlerts")}</p>
            : (
              <ul class="plain-list" data-testid="drop-alerts">
                {alerts.map((p) => (
                  <li key={p.id}>
                    <a href={`/admin/distributors/${p.id}`}>{p.name}</a> <SalesDropLine drop={p.drop!} t={t} />
                  </li>
                ))}
              </ul>
            )}
          <p class="muted">{t("ops.rule.drop")}</p>
        </section>
        {applications.length > 0 && (
          <section class="card" aria-labelledby="apps">
            <h2 id="apps">{t("ops.applications")}</h2>
            <ul class="plain-list">
              {applications.map((a) => (
                <li key={a.id}>
                  <strong>{a.name}</strong> · {a.contact} · {a.channels}{" "}
                  {a.experience && <span class="muted">· {a.experience}</span>}
                  <DecisionForms base={`/admin/applications/${a.id}`} csrf={csrf} t={t} />
                </li>
              ))}
            </ul>
          </section>
        )}
        <div class="table-scroll">
          <table class="table" data-testid="distributors">
            <thead>
              <tr>
                <th scope="col">{t("auth.name")}</th>
                <th scope="col">{t("dash.rank")}</th>
                <th scope="col">{t("dash.members")}</th>
                <th scope="col">{t("ops.thisMonth")}</th>
                <th scope="col">{t("ops.lastMonth")}</th>
                <th scope="col">{t("ops.tags")}</th>
              </tr>
            </thead>
            <tbody>
              {profiles.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={`/admin/distributors/${p.id}`}>{p.name}</a>
                  </td>
                  <td>{t(`rank.${p.rank}` as MessageKey)}</td>
                  <td>{p.members}</td>
                  <td>
                    ¥{p.sales.thisMonth} {p.drop && <span class="badge badge-warn">{t("ops.drop")}</span>}
                  </td>
                  <td>¥{p.sales.lastMonth}</td>
                  <td>
                    <DistributorTags tags={p.tags} t={t} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <TagRules t={t} />
      </section>,
      { title: t("ops.distributors") },
    );
  })
  .get("/admin/distributors/:id", async (c) => {
    const s = staffPage(c, "members.read");
    if ("redirect" in s) return s.redirect;
    const t = c.get("t");
    const db = c.get("deps").db;
    const id = c.req.param("id");
    const profile = await distributorProfile(db, id, c.get("deps").shop.now());
    if (!profile) throw fail.notFound("Distributor");
    const [apps, ranks, figures] = await Promise.all([
      applicationsOf(db, s.user, id),
      db.query<{ from_rank: string; to_rank: string; reason: string; at: Date }>(
        "SELECT from_rank, to_rank, reason, at FROM rank_changes WHERE user_id = $1 ORDER BY id DESC LIMIT 20",
        [id],
      ),
      teamFigures(db, id),
    ]);
    return renderPage(
      c,
      <section class="stack">
        <AdminNav path="/admin/distributors" t={t} user={c.get("user")} />
        <h1>{profile.name}</h1>
        <div class="card">
          <p>
            {t("dash.rank")}: <strong>{t(`rank.${profile.rank}` as MessageKey)}</strong> · {t("dash.members")}:{" "}
            {profile.members}
          </p>
          <DistributorTags tags={profile.tags} t={t} />
          {profile.drop && (
            <p>
              <SalesDropLine drop={profile.drop} t={t} />
            </p>
          )}
          <div class="table-scroll">
            <table class="table" data-testid="distributor-months">
              <thead>
                <tr>
                  <th scope="col">{t("ops.month")}</th>
                  <th scope="col">{t("ops.grossSales")}</th>
                  <th scope="col">{t("ops.refunded")}</th>
                  <th scope="col">{t("ops.netSales")}</th>
                  <th scope="col">{t("ops.refundRate")}</th>
                </tr>
              </thead>
              <tbody>
                {profile.months.map((m, i) => (
                  <tr key={m.month}>
                    <td>{m.month}{i === 3 && t("ops.soFar")}</td>
                    <td>¥{m.sales}</td>
                    <td>¥{m.refunds}</td>
                    <td>¥{m.net}</td>
                    <td>{(Number(m.refundRate) * 100).toFixed(1)}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <div class="card">
          <h2>{t("dash.teamSales")}</h2>
          <ul class="plain-list">
            {figures.map((f) => <li key={f.tier}>{t(`dash.tier${f.tier}` as MessageKey)}: {f.members} · ¥{f.d30}</li>)}
          </ul>
        </div>
        <div class="card">
          <h2>{t("ops.qualifications")}</h2>
          {apps.length === 0 ? <p class="muted">—</p> : (
            <ul class="plain-list">
              {apps.map((a, i) => <li key={i}>{a.contact} · {a.channels} · {a.experience} ({a.status})</li>)}
            </ul>
          )}
          <h2>{t("ops.rankHistory")}</h2>
          {ranks.length === 0 ? <p class="muted">—</p> : (
            <ul class="plain-list">
              {ranks.map((r, i) => (
                <li key={i}>{new Date(r.at).toISOString().slice(0, 10)} {r.from_rank} → {r.to_rank} · {r.reason}</li>
              ))}
            </ul>
          )}
        </div>
        <TagRules t={t} />
      </section>,
      { title: profile.name },
    );
  })
  .post("/admin/applications/:id/:decision{approve|reject}", async (c) => {
    const s = staffPage(c, "applications.decide");
    if ("redirect" in s) return s.redirect;
    const form = await readForm(c);
    checkCsrf(c, form);
    const approve = c.req.param("decision") === "approve";
    if (!approve && !form.reason?.trim()) throw fail.invalid("Give a reason", { reason: "Required" });
    await decideApplication(
      c.get("deps").db,
      s.user,
      c.req.param("id"),
      approve,
      (form.reason ?? "").trim().slice(0, 500),
      clientIp(c),
    );
    return c.redirect("/admin/distributors", 303);
  })
  .get("/admin/settlements", async (c) => {
    const s = staffPage(c, "settlements.close");
    if ("redirect" in s) return s.redirect;
    return await settlementsPage(c);
  })
  .post("/admin/settlements", (c) =>
    action(c, "settlements.close", settlementsPage, "/admin/settlements", (form) => {
      const parsed = closePeriodSchema.safeParse({
        startsAt: fromShopLocalInput(form.startsAt ?? ""),
        endsAt: fromShopLocalInput(form.endsAt ?? ""),
      });
      if (!parsed.success) throw fail.invalid("Choose the period", { endsAt: parsed.error.issues[0].message });
      return closePeriod(c.get("deps").db, c.get("user")!, parsed.data, clientIp(c));
    }))
  .get("/admin/staff", async (c) => {
    const s = staffPage(c, "users.role");
    if ("redirect" in s) return s.redirect;
    return await staffListPage(c);
  })
  .post("/admin/staff", (c) =>
    action(c, "users.role", staffListPage, "/admin/staff", async (form) => {
      const db = c.get("deps").db;
      if (form.email) {
        const member = await findUserByEmail(db, form.email.trim());
        if (!member) throw fail.invalid("No member has this email", { email: "Unknown email" });
        await changeRole(db, c.get("user")!, String(member.id), "manager", clientIp(c), c.get("deps").sessionSockets);
        return;
      }
      const parsed = z.object({ userId: z.string().regex(/^\d{1,18}$/), staffRole: z.enum(STAFF_ROLES) }).safeParse(
        form,
      );
      if (!parsed.success) throw fail.invalid("Choose a staff role", { staffRole: "Required" });
      await setStaffRole(db, c.get("user")!, parsed.data.userId, parsed.data.staffRole, clientIp(c));
    }));
