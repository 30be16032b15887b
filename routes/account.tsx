import type { Handlers } from "../lib/fs_router.ts";
import { renderPage } from "../lib/render.tsx";
import { memberBalance, memberById, pointsHistoryOf } from "../services/members.ts";
import type { MessageKey } from "../i18n/messages.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { MEMBER_LEVELS, type MemberLevel } from "../domain/pricing/member_price.ts";
import { appConfig } from "../fresh.config.ts";

/** The next member level and the spend still needed for it, or null at the top. */
function nextLevel(
  level: MemberLevel,
  spent: string,
): { level: Exclude<MemberLevel, "ordinary">; amount: string } | null {
  const next = MEMBER_LEVELS[MEMBER_LEVELS.indexOf(level) + 1] as Exclude<MemberLevel, "ordinary"> | undefined;
  if (!next) return null;
  return { level: next, amount: toMoneyString(money(appConfig.shop.levelThresholds[next]).minus(money(spent))) };
}

/** `/account` ("My account"): profile, level, points and their history, referral code and link. */
export const handler: Handlers = {
  async GET(c) {
    const user = c.get("user");
    if (!user) return c.redirect("/login?next=/account");
    const t = c.get("t");
    const db = c.get("deps").db;
    const upline = user.upline_id ? await memberById(db, String(user.upline_id)) : undefined;
    const member = await memberBalance(db, user.id);
    const history = await pointsHistoryOf(db, String(user.id), 20);
    const next = nextLevel(user.level, member.total_spent);
    const link = `${new URL(c.req.url).origin}/register?ref=${user.referral_code}`;
    return renderPage(
      c,
      <section class="stack account-layout">
        <h1>{t("account.title")}</h1>
        <div class="card profile">
          <div class="avatar" aria-hidden="true">{user.name.slice(0, 1)}</div>
          <div>
            <h2>{user.name}</h2>
            <p class="muted">{user.email}</p>
          </div>
        </div>
        <dl class="card facts">
          <dt>{t("account.role")}</dt>
          <dd>{t(`role.${user.role}`)}</dd>
          <dt>{t("account.level")}</dt>
          <dd>{t(`level.${user.level}`)}</dd>
          <dt>{t("account.referralCode")}</dt>
          <dd>
            <code class="code">{user.referral_code}</code>
          </dd>
          <dt>{t("account.referralLink")}</dt>
          <dd>
            <input class="copy-field" readOnly value={link} aria-label={t("account.referralLink")} />
          </dd>
          <dt>{t("account.upline")}</dt>
          <dd>{upline ? upline.name : t("account.none")}</dd>
          <dt>{t("account.points")}</dt>
          <dd data-testid="points">{member.points_balance}</dd>
          <dt>{t("account.spent")}</dt>
          <dd>¥{member.total_spent}</dd>
          <dt>{t("account.joined")}</dt>
          <dd>{new Date(user.created_at).toLocaleDateString(c.get("locale"))}</dd>
        </dl>
        <p>
          <a class="btn btn-ghost btn-sm" href="/account/coupons">{t("account.coupons")}</a>
        </p>
        {next && <p class="muted">{t("account.nextLevel", { amount: next.amount, level: t(`level.${next.level}`) })}
        </p>}
        <div class="card">
          <h2>{t("account.pointsHistory")}</h2>
          {history.length === 0 ? <p class="muted">—</p> : (
            <table>
              <caption class="sr-only">{t("account.pointsHistoryCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("account.pointsDate")}</th>
                  <th scope="col">{t("account.pointsReason")}</th>
                  <th scope="col" class="num">{t("account.pointsDelta")}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id}>
                    <td>{new Date(h.at).toISOString().slice(0, 10)}</td>
                    <td>{t(`points.${h.reason}` as MessageKey)}</td>
                    <td class={h.delta < 0 ? "minus" : "plus"}>{h.delta > 0 ? `+${h.delta}` : h.delta}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div class="card">
          <p class="muted">{t("account.exportHint")}</p>
          <a class="btn btn-ghost" href="/api/me/export" download data-testid="export-link">
            {t("account.export")}
          </a>
        </div>
      </section>,
      { title: t("account.title") },
    );
  },
};
