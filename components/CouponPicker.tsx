import { msg, type Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import type { CouponChoice } from "../services/checkout.ts";
import { CouponCard } from "./CouponCard.tsx";
import { Icon } from "./Icon.tsx";

/**
 * The checkout's coupon picker: the member's claimed coupons, those that apply first with what they save
 * (a 使用 button each, 不使用 on the chosen one), then those that do not with the reason (e.g. ¥30 short
 * of the minimum). Each button posts the form, which prices the order again with that coupon.
 */
export function CouponPicker(
  { t, locale, choices, applied }: {
    t: Translator;
    locale: Locale;
    choices: CouponChoice[];
    /** The code of the coupon the breakdown includes. */
    applied: string | null;
  },
) {
  const usable = choices.filter((c) => c.discount !== null).length;
  if (choices.length === 0) {
    return (
      <p class="coupon-none">
        <Icon name="ticket" size={18} />
        <span>
          {t("checkout.noCoupons")} <a href="/#coupons">{t("coupons.getMore")}</a>
        </span>
      </p>
    );
  }
  return (
    <div class="coupon-picker" data-testid="coupon-picker">
      <p class="coupon-picker-head">
        <Icon name="ticket" size={18} />
        <span>{usable > 0 ? t("checkout.couponsUsable", { n: usable }) : t("checkout.couponsNone")}</span>
      </p>
      <div class="coupon-list">
        {choices.map(({ coupon, discount, problem }) => {
          const chosen = applied !== null && applied.toUpperCase() === coupon.code.toUpperCase();
          const note = problem
            ? t.msg(
              problem.key === "pricing.couponMinimum" && problem.params?.short
                ? msg("checkout.couponShort", { short: String(problem.params.short) })
                : problem,
            )
            : discount !== null
            ? t("checkout.saves", { amount: discount })
            : undefined;
          return (
            <div
              key={coupon.code}
              class={chosen ? "coupon-choice is-chosen" : "coupon-choice"}
              data-testid="coupon-choice"
              data-usable={discount !== null ? "true" : "false"}
            >
              <CouponCard c={coupon} t={t} locale={locale} muted={discount === null} note={note}>
                {discount !== null && (chosen
                  ? (
                    <span class="coupon-chosen">
                      <span class="badge">
                        <Icon name="check" size={14} />
                        {t("checkout.couponChosen")}
                      </span>
                      <button
                        class="btn btn-ghost btn-sm"
                        type="submit"
                        name="pick"
                        value=""
                        aria-label={t("checkout.dropCoupon", { code: coupon.code })}
                      >
                        {t("checkout.noCoupon")}
                      </button>
                    </span>
                  )
                  : (
                    <button
                      class="btn btn-primary btn-sm"
                      type="submit"
                      name="pick"
                      value={coupon.code}
                      aria-label={t("checkout.useCouponCode", { code: coupon.code })}
                    >
                      {t("checkout.useCoupon")}
                    </button>
                  ))}
              </CouponCard>
            </div>
          );
        })}
      </div>
    </div>
  );
}
