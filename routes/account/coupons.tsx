import { z } from "zod";
import type { Handlers } from "../../lib/fs_router.ts";
import type { PlainKey, Translator } from "../../i18n/messages.ts";
import type { Locale } from "../../fresh.config.ts";
import { requireMember } from "../../lib/guards.ts";
import { renderPage } from "../../lib/render.tsx";
import { MY_COUPON_TABS, type MyCoupon, myCoupons, type MyCouponTab } from "../../services/coupons.ts";
import { CouponCard, shopDay } from "../../components/CouponCard.tsx";

const REFUSALS = ["not_found", "not_claimable", "not_started", "ended", "claimed", "sold_out", "new_only"] as const;
const REFUSAL_KEY: Record<typeof REFUSALS[number], PlainKey> = {
  not_found: "coupons.error.notFound",
  not_claimable: "coupons.error.notClaimable",
  not_started: "coupons.error.notStarted",
  ended: "coupons.error.ended",
  claimed: "coupons.error.claimed",
  sold_out: "coupons.error.soldOut",
  new_only: "coupons.error.newOnly",
};

const pageQuery = z.object({
  tab: z.enum(MY_COUPON_TABS).catch("usable").default("usable"),
  claimed: z.string().max(40).regex(/^[A-Za-z0-9_-]+$/).optional().catch(undefined),
  refused: z.enum(REFUSALS).optional().catch(undefined),
});

/** `/account/coupons`: my coupons in usable / used / expired tabs, and the outcome of a claim. */
export const handler: Handlers = {
  GET: [requireMember(), async (c) => {
    const t = c.get("t");
    const query = pageQuery.parse(c.req.query());
    const { db, shop } = c.get("deps");
    const { items } = await myCoupons(db, String(c.get("user")!.id), shop.now(), {
      tab: query.tab,
      page: 1,
      pageSize: 100,
    });
    const claimed = query.claimed?.toUpperCase();
    const notice = claimed && items.some((i) => i.code.toUpperCase() === claimed)
      ? { ok: true, text: t("coupons.claimed", { code: claimed }) }
      : query.refused
      ? { ok: false, text: t(REFUSAL_KEY[query.refused]) }
      : null;
    const props = { t, locale: c.get("locale"), tab: query.tab, items, notice };
    return renderPage(c, <MyCoupons {...props} />, { title: t("coupons.mine") });
  }],
};

/** The member's coupons with their tabs. */
export default function MyCoupons(
  { t, locale, tab, items, notice }: {
    t: Translator;
    locale: Locale;
    tab: MyCouponTab;
    items: MyCoupon[];
    notice: { ok: boolean; text: string } | null;
  },
) {
  return (
    <section class="stack order-column">
      <h1>{t("coupons.mine")}</h1>
      {notice && (
        <p class={notice.ok ? "alert" : "alert alert-error"} role="status" data-testid="notice">{notice.text}</p>
      )}
      <nav class="chips" aria-label={t("coupons.tabs")}>
        {MY_COUPON_TABS.map((k) => (
          <a
            key={k}
            href={`/account/coupons?tab=${k}`}
            class={k === tab ? "chip active" : "chip"}
            aria-current={k === tab ? "page" : undefined}
          >
            {t(`coupons.tab.${k}`)}
          </a>
        ))}
      </nav>
      {items.length === 0
        ? (
          <p class="empty-state">
            {t("coupons.empty")} <a href="/">{t("coupons.getMore")}</a>
          </p>
        )
        : (
          <div class="coupon-list">
            {items.map((c) => (
              <CouponCard
                key={c.code}
                c={c}
                t={t}
                locale={locale}
                muted={c.status !== "usable"}
                note={c.usedAt
                  ? t("coupons.usedOn", { date: shopDay(c.usedAt, locale) })
                  : c.status === "new_only"
                  ? t("coupons.newOnlyNote")
                  : c.status === "not_started" && c.startsAt
                  ? t("coupons.startsOn", { date: shopDay(c.startsAt, locale) })
                  : undefined}
              >
                {c.status === "usable" && <a class="btn btn-ghost btn-sm" href="/">{t("coupons.use")}</a>}
              </CouponCard>
            ))}
          </div>
        )}
    </section>
  );
}
