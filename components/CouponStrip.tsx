import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import type { ClaimableCoupon } from "../services/coupons.ts";
import { PostForm } from "./Form.tsx";
import { CouponCard } from "./CouponCard.tsx";

/**
 * The shop home's 领券 strip: claimable coupons, each with a claim button that is a plain form post
 * (works without JavaScript; a visitor is sent to log in first). For a signed-in member (whose home is
 * rendered for them alone, never kept: `lib/page_cache.ts`) a coupon they hold says 已领取 and links to
 * their coupons instead.
 */
export function CouponStrip(
  { coupons, t, locale, csrf }: { coupons: ClaimableCoupon[]; t: Translator; locale: Locale; csrf: string },
) {
  if (coupons.length === 0) return null;
  return (
    <section class="coupon-strip" aria-labelledby="coupon-strip-title">
      <h2 id="coupon-strip-title">{t("coupons.strip")}</h2>
      <div class="coupon-row">
        {coupons.map((c) => (
          <CouponCard
            key={c.code}
            c={c}
            t={t}
            locale={locale}
            note={c.remaining === null ? undefined : t("coupons.left", { n: c.remaining })}
          >
            {c.claimed
              ? (
                <a
                  class="btn btn-ghost btn-sm"
                  href="/account/coupons"
                  aria-label={t("coupons.heldOf", { code: c.code })}
                  data-testid="coupon-held"
                >
                  {t("coupons.held")}
                </a>
              )
              : (
                <PostForm action={`/coupons/${encodeURIComponent(c.code)}/claim`} csrf={csrf} class="inline-form">
                  <button
                    class="btn btn-primary btn-sm"
                    type="submit"
                    aria-label={t("coupons.claimOf", { code: c.code })}
                  >
                    {t("coupons.claim")}
                  </button>
                </PostForm>
              )}
          </CouponCard>
        ))}
      </div>
    </section>
  );
}
