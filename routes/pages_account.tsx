import { Hono } from "hono";
import type { AppEnv } from "../lib/app_env.ts";
import { renderPage } from "../lib/render.tsx";
import { findUserById } from "../db/users_repo.ts";

/** "My account": profile, level, referral code and link. */
export const pagesAccount = new Hono<AppEnv>()
  .get("/account", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/login?next=/account");
    const t = c.get("t");
    const upline = user.upline_id ? await findUserById(c.get("deps").db, String(user.upline_id)) : undefined;
    const link = `${new URL(c.req.url).origin}/register?ref=${user.referral_code}`;
    return renderPage(
      c,
      <section class="stack">
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
          <dt>{t("account.joined")}</dt>
          <dd>{new Date(user.created_at).toLocaleDateString(c.get("locale"))}</dd>
        </dl>
      </section>,
      { title: t("account.title") },
    );
  });
