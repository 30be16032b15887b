import type { Handlers } from "../lib/fs_router.ts";
import { renderPage } from "../lib/render.tsx";
import { money, toMoneyString } from "../domain/money.ts";
import { MEMBER_LEVELS, type MemberLevel } from "../domain/pricing/member_price.ts";
import { appConfig } from "../fresh.config.ts";
import { accountHub } from "../services/account_hub.ts";
import { AccountHub } from "../components/AccountHub.tsx";

/** The next member level and the spend still needed for it, or null at the top. */
function nextLevel(
  level: MemberLevel,
  spent: string,
): { level: Exclude<MemberLevel, "ordinary">; amount: string } | null {
  const next = MEMBER_LEVELS[MEMBER_LEVELS.indexOf(level) + 1] as Exclude<MemberLevel, "ordinary"> | undefined;
  if (!next) return null;
  return { level: next, amount: toMoneyString(money(appConfig.shop.levelThresholds[next]).minus(money(spent))) };
}

/**
 * `/account` (我的): the member's hub: level, points, coupons; orders by status with counts; the
 * distribution centre or the distributor application; addresses; referral code and link; points history.
 */
export const handler: Handlers = {
  async GET(c) {
    const user = c.get("user");
    if (!user) return c.redirect("/login?next=/account");
    const t = c.get("t");
    const { db, box, shop } = c.get("deps");
    const hub = await accountHub(db, box, user, shop.now());
    const next = nextLevel(user.level, hub.spent);
    const link = `${new URL(c.req.url).origin}/register?ref=${user.referral_code}`;
    const nextText = next && t("account.nextLevel", { amount: next.amount, level: t(`level.${next.level}`) });
    return renderPage(c, <AccountHub t={t} user={user} hub={hub} link={link} nextLevel={nextText} />, {
      title: t("account.title"),
    });
  },
};

export default AccountHub;
