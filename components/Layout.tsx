import type { ComponentChildren } from "preact";
import type { UserRow } from "../db/users_repo.ts";
import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import { Icon } from "./Icon.tsx";
import type { IconName } from "./icons.ts";

/** What the layout needs to know about the request. */
export interface LayoutProps {
  title: string;
  t: Translator;
  locale: Locale;
  user: UserRow | undefined;
  csrf: string;
  path: string;
  children: ComponentChildren;
  /** Narrow centred column for forms. */
  narrow?: boolean;
  /** The shop's frame (default) or the back office's (set by `routes/admin/_layout.tsx`). */
  frame?: "shop" | "console";
}

function NavLink({ href, path, children }: { href: string; path: string; children: ComponentChildren }) {
  const active = href === "/" ? path === "/" || path.startsWith("/products/") : path.startsWith(href);
  return (
    <a href={href} class={active ? "nav-link active" : "nav-link"} aria-current={active ? "page" : undefined}>
      {children}
    </a>
  );
}

/** The page frame: header with role navigation, language switch, main column, footer and phone tab bar. */
export function Layout(props: LayoutProps) {
  if (props.frame === "console") return <ConsoleFrame {...props} />;
  const { title, t, locale, user, csrf, path, children, narrow } = props;
  const otherLocale = locale === "en" ? "zh-CN" : "en";
  const back = encodeURIComponent(path);
  return (
    <>
      <a class="skip-link" href="#main">{t("nav.skip")}</a>
      <header class="topbar">
        <div class="topbar-inner">
          <a href="/" class="brand">
            <span class="brand-mark" aria-hidden="true">分</span>
            <span class="brand-name">{t("app.name")}</span>
          </a>
          <nav class="nav" aria-label={t("nav.mainLabel")}>
            <NavLink href="/" path={path}>{t("nav.shop")}</NavLink>
            <NavLink href="/cart" path={path}>{t("nav.cart")}</NavLink>
            {user && <NavLink href="/orders" path={path}>{t("nav.orders")}</NavLink>}
            {user && <NavLink href="/distributor" path={path}>{t("nav.distributor")}</NavLink>}
            {user && <NavLink href="/account" path={path}>{t("nav.account")}</NavLink>}
            {user?.role === "manager" && <NavLink href="/admin" path={path}>{t("nav.admin")}</NavLink>}
          </nav>
          <div class="topbar-actions">
            <a class="lang-switch" href={`/lang/${otherLocale}?back=${back}`} hreflang={otherLocale} lang={otherLocale}>
              {t("nav.language")}
            </a>
            {user
              ? (
                <form method="post" action="/logout" class="inline-form">
                  <input type="hidden" name="_csrf" value={csrf} />
                  <span class="whoami" title={user.email}>{user.name}</span>
                  <button type="submit" class="btn btn-ghost btn-sm">{t("nav.logout")}</button>
                </form>
              )
              : (
                <>
                  <a href="/login" class="btn btn-ghost btn-sm">{t("nav.login")}</a>
                  <a href="/register" class="btn btn-primary btn-sm">{t("nav.register")}</a>
                </>
              )}
          </div>
        </div>
      </header>
      <main id="main" class={narrow ? "container narrow" : "container"} aria-label={title}>
        {children}
      </main>
      <footer class="footer">
        <div class="container">{t("footer.text")}</div>
      </footer>
      <nav class="tabbar" aria-label={t("nav.tabsLabel")}>
        <a href="/" class={path === "/" ? "active" : ""} aria-current={path === "/" ? "page" : undefined}>
          <Icon name="home" size={22} />
          {t("nav.shop")}
        </a>
        <a
          href="/cart"
          class={path.startsWith("/cart") || path.startsWith("/checkout") ? "active" : ""}
          aria-current={path.startsWith("/cart") || path.startsWith("/checkout") ? "page" : undefined}
        >
          <Icon name="cart" size={22} />
          {t("nav.cart")}
        </a>
        {user && (
          <a
            href="/orders"
            class={path.startsWith("/orders") ? "active" : ""}
            aria-current={path.startsWith("/orders") ? "page" : undefined}
          >
            <Icon name="orders" size={22} />
            {t("nav.orders")}
          </a>
        )}
        {user?.role === "manager" && (
          <a
            href="/admin"
            class={path.startsWith("/admin") ? "active" : ""}
            aria-current={path.startsWith("/admin") ? "page" : undefined}
          >
            <Icon name="dashboard" size={22} />
            {t("nav.admin")}
          </a>
        )}
        <a
          href={user ? "/account" : "/login"}
          class={path.startsWith("/account") || path === "/login" ? "active" : ""}
          aria-current={path.startsWith("/account") || path === "/login" ? "page" : undefined}
        >
          <Icon name={user ? "user" : "login"} size={22} />
          {user ? t("nav.account") : t("nav.login")}
        </a>
      </nav>
    </>
  );
}

/** The back office's frame: a slim dark top bar (brand, the shop, language, who is signed in); no shop tabs. */
function ConsoleFrame({ title, t, locale, user, csrf, path, children }: LayoutProps) {
  const otherLocale = locale === "en" ? "zh-CN" : "en";
  const back = encodeURIComponent(path);
  const action = (href: string, icon: IconName, label: string, extra: Record<string, string> = {}) => (
    <a class="console-action" href={href} {...extra}>
      <Icon name={icon} size={18} />
      <span>{label}</span>
    </a>
  );
  return (
    <>
      <a class="skip-link" href="#main">{t("nav.skip")}</a>
      <header class="console-topbar">
        <a href="/admin" class="brand">
          <span class="brand-mark" aria-hidden="true">分</span>
          <span class="brand-name">{t("app.name")}</span>
          <span class="console-badge">{t("nav.admin")}</span>
        </a>
        <div class="console-actions">
          {action("/", "store", t("look.viewShop"))}
          {action(`/lang/${otherLocale}?back=${back}`, "globe", t("nav.language"), {
            hreflang: otherLocale,
            lang: otherLocale,
          })}
          {user
            ? (
              <form method="post" action="/logout" class="inline-form">
                <input type="hidden" name="_csrf" value={csrf} />
                <span class="whoami" title={user.email}>{user.name}</span>
                <button type="submit" class="console-action">
                  <Icon name="logout" size={18} />
                  <span>{t("nav.logout")}</span>
                </button>
              </form>
            )
            : action("/login", "login", t("nav.login"))}
        </div>
      </header>
      <main id="main" class="console-root" aria-label={title}>
        {children}
      </main>
    </>
  );
}
