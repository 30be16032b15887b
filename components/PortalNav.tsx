import type { Translator } from "../i18n/messages.ts";

/** The distributor portal's section navigation. */
export function PortalNav({ path, t }: { path: string; t: Translator }) {
  const items = [
    ["/distributor", t("portal.home")],
    ["/distributor/team", t("portal.team")],
    ["/distributor/earnings", t("portal.earnings")],
    ["/distributor/promote", t("portal.promote")],
    ["/distributor/alerts", t("portal.alerts")],
  ] as const;
  return (
    <nav class="portal-nav" aria-label={t("nav.distributor")}>
      {items.map(([href, label]) => {
        const active = href === "/distributor" ? path === href : path.startsWith(href);
        return (
          <a key={href} href={href} class={active ? "active" : ""} aria-current={active ? "page" : undefined}>
            {label}
          </a>
        );
      })}
    </nav>
  );
}
