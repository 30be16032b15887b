import { ProductImg } from "./ProductImg.tsx";
import type { Translator } from "../i18n/messages.ts";
import { Island } from "../lib/island.tsx";
import type { ProductRow } from "../db/products_repo.ts";
import { toProductView } from "../services/catalogue.ts";
import { type LinkStats, productLink, type PromoteLinks } from "../services/promote.ts";
import PromoteStats, { type PromoteStatsLabels } from "../islands/PromoteStats.tsx";

/** The promotion page's URL. */
export const PATH = "/distributor/promote";
/** Its live link statistics. */
export const STATS_PATH = `${PATH}/stats`;

/** The statistics island's labels. */
export function statsLabels(t: Translator): PromoteStatsLabels {
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

/** Promotion tools: the member's links and QR code, live link statistics, product links and posters. */
export function PromotePage(
  { t, user, origin, links, qr, stats, products, lastEventId }: {
    t: Translator;
    user: { id: string | number; referral_code: string };
    origin: string;
    links: PromoteLinks;
    qr: string;
    stats: LinkStats;
    products: ProductRow[];
    lastEventId: number;
  },
) {
  return (
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
                    <ProductImg id={p.id} imageUrl={p.imageUrl} size={56} />
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
    </section>
  );
}
