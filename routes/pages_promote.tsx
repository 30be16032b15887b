import { Hono } from "hono";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { requireUser } from "../lib/http.ts";
import { fail } from "../lib/errors.ts";
import { portalMember, renderPortal } from "../lib/portal.tsx";
import { Island } from "../lib/island.tsx";
import { latestEventId } from "../db/events_repo.ts";
import { findProduct } from "../db/products_repo.ts";
import type { Translator } from "../i18n/messages.ts";
import { toProductView } from "../services/catalogue.ts";
import { linkStats, posterPng, productLink, promotableProducts, promoteLinks, qrSvg } from "../services/promote.ts";
import PromoteStats, { type PromoteStatsLabels } from "../islands/PromoteStats.tsx";

const PATH = "/distributor/promote";
const STATS_PATH = `${PATH}/stats`;

/** This site's origin as the visitor reached it (links and QR codes point here). */
function siteOrigin(c: Ctx): string {
  return new URL(c.req.url).origin;
}

function statsLabels(t: Translator): PromoteStatsLabels {
  return {
    title: t("promote.stats.title"),
    clicks: t("promote.stats.clicks"),
    registrations: t("promote.stats.registrations"),
    orders: t("promote.stats.orders"),
    conversion: t("promote.stats.conversion"),
    hint: t("promote.stats.hint"),
    byProduct: t("promote.stats.byProduct"),
    product: t("promote.stats.product"),
    none: t("promote.stats.none"),
    status: { live: t("live.connected"), connecting: t("live.connecting"), offline: t("live.offline") },
  };
}

/** Page-only layout: padded cards, the QR code beside the links, product rows. Colours come from app.css. */
const PAGE_STYLE = `
.promote-card{padding:var(--s5) var(--s4)}
.promote-card>h2{margin:0 0 var(--s3)}
.promote-link{display:grid;grid-template-columns:1fr;gap:var(--s4);align-items:start}
.promote-link .copy-field{width:100%}
.promote-qr-figure{margin:0}
.promote-qr{width:168px;max-width:100%;padding:6px;background:#fff;border:1px solid var(--line);border-radius:var(--radius-sm)}
.promote-qr svg{display:block;width:100%;height:auto}
.promote-products img{border-radius:var(--radius-sm);flex:none}
.promote-products .copy-field{width:100%;margin-top:4px}
@media (min-width:600px){.promote-link{grid-template-columns:1fr auto}}
`;

/** The distributor's promotion tools: links, QR code, live link statistics, product posters. */
export const pagesPromote = new Hono<AppEnv>()
  .get(PATH, async (c) => {
    const m = portalMember(c);
    if ("redirect" in m) return m.redirect;
    const user = m.user;
    const t = c.get("t");
    const db = c.get("deps").db;
    const origin = siteOrigin(c);
    const links = promoteLinks(origin, user.referral_code);
    // The snapshot's event id is read first, so no event after the snapshot is missed.
    const lastEventId = await latestEventId(db);
    const [stats, products, qr] = await Promise.all([
      linkStats(db, String(user.id)),
      promotableProducts(db),
      qrSvg(links.register, 1),
    ]);
    return renderPortal(
      c,
      <section class="stack promote">
        <style dangerouslySetInnerHTML={{ __html: PAGE_STYLE }} />
        <h1>{t("promote.title")}</h1>
        <section class="card promote-card" aria-labelledby="promote-link-title">
          <h2 id="promote-link-title">{t("promote.link.title")}</h2>
          <div class="promote-link">
            <div class="stack">
              <p>
                {t("promote.link.code")} <code class="code" data-testid="referral-code">{user.referral_code}</code>
              </p>
              <div class="field">
                <label for="promote-register">{t("promote.link.register")}</label>
                <input
                  id="promote-register"
                  class="copy-field"
                  readOnly
                  value={links.register}
                  data-testid="register-link"
                />
              </div>
              <div class="field">
                <label for="promote-home">{t("promote.link.home")}</label>
                <input id="promote-home" class="copy-field" readOnly value={links.home} data-testid="home-link" />
              </div>
              <p class="muted">{t("promote.link.hint")}</p>
            </div>
            <figure class="promote-qr-figure">
              <div
                class="promote-qr"
                role="img"
                aria-label={t("promote.qr.alt")}
                data-testid="promote-qr"
                // The SVG comes from the qrcode package: path data only, no user text.
                dangerouslySetInnerHTML={{ __html: qr }}
              />
              <figcaption class="muted">{t("promote.qr.title")}</figcaption>
            </figure>
          </div>
        </section>
        <Island
          of={PromoteStats}
          props={{
            memberId: String(user.id),
            totals: stats.totals,
            products: stats.products,
            lastEventId,
            statsUrl: STATS_PATH,
            labels: statsLabels(t),
          }}
        />
        <section class="card promote-card" aria-labelledby="promote-products-title">
          <h2 id="promote-products-title">{t("promote.products.title")}</h2>
          <p class="muted">{t("promote.products.hint")}</p>
          {products.length === 0
            ? <p class="muted">{t("promote.products.empty")}</p>
            : (
              <ul class="member-list promote-products" data-testid="promote-products-list">
                {products.map((row) => {
                  const p = toProductView(row, undefined);
                  const link = productLink(origin, p.id, user.referral_code);
                  return (
                    <li key={p.id}>
                      <img src={p.imageUrl} alt="" width="56" height="56" loading="lazy" />
                      <div class="member-name">
                        <a href={`/products/${p.id}`}>{p.name}</a>
                        <div class="muted">¥{p.flashSale?.price ?? p.price}</div>
                        <input
                          class="copy-field"
                          readOnly
                          value={link}
                          aria-label={`${t("promote.products.link")}: ${p.name}`}
                        />
                      </div>
                      <a
                        class="btn btn-primary btn-sm"
                        href={`${PATH}/poster/${p.id}.png`}
                        download={`poster-${p.id}.png`}
                        data-testid="poster-link"
                      >
                        {t("promote.products.poster")}
                      </a>
                    </li>
                  );
                })}
              </ul>
            )}
        </section>
      </section>,
      t("promote.title"),
    );
  })
  .get(STATS_PATH, async (c) => {
    const user = c.get("user");
    if (!user) return c.json(fail.unauthenticated().toJSON(), 401);
    c.header("Cache-Control", "no-store");
    return c.json(await linkStats(c.get("deps").db, String(user.id)));
  })
  .get(`${PATH}/poster/:file`, async (c) => {
    // Always the signed-in member's own poster: the URL names no member, so nobody can ask for another's.
    const user = requireUser(c);
    const id = /^(\d{1,18})\.png$/.exec(c.req.param("file"))?.[1];
    const row = id ? await findProduct(c.get("deps").db, id) : undefined;
    if (!row || (!row.on_shelf && user.role !== "manager")) throw fail.notFound("Product");
    const t = c.get("t");
    const view = toProductView(row, undefined);
    const png = await posterPng({
      product: row,
      price: view.flashSale?.price ?? view.price,
      oldPrice: view.flashSale ? view.price : undefined,
      link: productLink(siteOrigin(c), view.id, user.referral_code),
      from: t("promote.poster.from", { name: user.name }),
      scan: t("promote.poster.scan"),
      shopName: t("app.name"),
    });
    return c.body(png, 200, {
      "Content-Type": "image/png",
      "Cache-Control": "private, max-age=300",
      "Vary": "Cookie, Accept-Language",
      "Content-Disposition": `inline; filename="poster-${view.id}.png"`,
    });
  });
