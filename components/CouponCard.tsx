import type { ComponentChildren } from "preact";
import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import { appConfig } from "../fresh.config.ts";
import { couponFace } from "../domain/pricing/coupon_face.ts";

/** The fields a coupon card shows (a claimable coupon or one of the member's). */
export interface CouponCardData {
  code: string;
  kind: "amount_off" | "percent_off";
  value: string;
  minSubtotal: string | null;
  endsAt: string | null;
  newMembersOnly: boolean;
}

/** A day in the shop's time zone, in the reader's language. */
export function shopDay(iso: string, locale: Locale): string {
  return new Date(iso).toLocaleDateString(locale, { timeZone: appConfig.timeZone });
}

/** A coupon as a ticket: its face (¥20 / 9折), its condition and validity; `children` is its action. */
export function CouponCard(
  { c, t, locale, muted, note, children }: {
    c: CouponCardData;
    t: Translator;
    locale: Locale;
    muted?: boolean;
    /** A line under the validity (left, used on …). */
    note?: string;
    children?: ComponentChildren;
  },
) {
  const face = couponFace(c.kind, c.value);
  return (
    <article class={muted ? "coupon coupon-muted" : "coupon"} data-code={c.code}>
      <div class="coupon-face">
        <strong>
          {face.kind === "amount_off"
            ? t("coupons.amountOff", { amount: face.amount })
            : t("coupons.percentOff", { zhe: face.zhe, percent: face.percent })}
        </strong>
        <span>{c.minSubtotal ? t("coupons.minSubtotal", { amount: c.minSubtotal }) : t("coupons.noMinimum")}</span>
      </div>
      <div class="coupon-body">
        <span class="coupon-code">
          {t("coupons.code")} <code>{c.code}</code>
          {c.newMembersOnly && <span class="badge badge-info">{t("coupons.newMembers")}</span>}
        </span>
        <span class="muted">
          {c.endsAt ? t("coupons.validUntil", { date: shopDay(c.endsAt, locale) }) : t("coupons.noEnd")}
        </span>
        {note && <span class="muted">{note}</span>}
      </div>
      {children && <div class="coupon-action">{children}</div>}
    </article>
  );
}
