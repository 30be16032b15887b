import type { ComponentChildren } from "preact";
import type { PlainKey, Translator } from "../i18n/messages.ts";
import { can, type Permission, staffRoleOf } from "../domain/permissions.ts";
import { Icon } from "./Icon.tsx";
import type { IconName } from "./icons.ts";

/** One console section: its URL, label, icon and the permission its page checks. */
export interface AdminSection {
  href: string;
  label: PlainKey;
  icon: IconName;
  permission: Permission;
}

/** The console's sections by area (经营 / 商品 / 订单 / 分销 / 财务 / 设置); each page checks the same permission. */
export const ADMIN_GROUPS: { label: PlainKey; sections: AdminSection[] }[] = [
  {
    label: "look.group.business",
    sections: [
      { href: "/admin", label: "an.title", icon: "analytics", permission: "analytics.read" },
      { href: "/admin/home", label: "hm.admin.title", icon: "layoutTemplate", permission: "home.write" },
    ],
  },
  {
    label: "look.group.catalogue",
    sections: [{ href: "/admin/products", label: "cat.title", icon: "package", permission: "catalogue.write" }],
  },
  {
    label: "look.group.orders",
    sections: [
      { href: "/admin/orders", label: "ops.orders", icon: "orders", permission: "orders.read" },
      { href: "/admin/refunds", label: "list.refunds", icon: "afterSales", permission: "orders.read" },
    ],
  },
  {
    label: "look.group.distribution",
    sections: [
      { href: "/admin/members", label: "list.members", icon: "contact", permission: "members.read" },
      { href: "/admin/distributors", label: "ops.distributors", icon: "users", permission: "members.read" },
      { href: "/admin/plan", label: "plan.title", icon: "percent", permission: "plan.read" },
    ],
  },
  {
    label: "look.group.finance",
    sections: [
      { href: "/admin/withdrawals", label: "ops.withdrawals", icon: "wallet", permission: "withdrawals.read" },
      { href: "/admin/settlements", label: "ops.settlements", icon: "landmark", permission: "settlements.close" },
    ],
  },
  {
    label: "look.group.settings",
    sections: [
      { href: "/admin/staff", label: "ops.staff", icon: "userCog", permission: "users.role" },
      { href: "/admin/audit", label: "ops.audit", icon: "audit", permission: "audit.read" },
    ],
  },
];

/** Extra pages under a section's URL that belong to another section (`/admin/statements/12` is a settlement's). */
const ALIASES: [prefix: string, section: string][] = [["/admin/statements", "/admin/settlements"]];

/** The section a console path belongs to, with its area. */
export function sectionOf(path: string): { group: PlainKey; section: AdminSection } | undefined {
  const alias = ALIASES.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
  const target = alias ? alias[1] : path;
  let best: { group: PlainKey; section: AdminSection } | undefined;
  for (const g of ADMIN_GROUPS) {
    for (const s of g.sections) {
      const inside = s.href === "/admin"
        ? target === "/admin" || target.startsWith("/admin/analytics")
        : target === s.href || target.startsWith(`${s.href}/`);
      if (inside && (!best || s.href.length > best.section.href.length)) best = { group: g.label, section: s };
    }
  }
  return best;
}

/** The areas and sections a staff member's role may open (empty areas left out). */
export function visibleGroups(user: { staff_role?: string | null; role?: string } | undefined) {
  const role = user?.role === "manager" ? staffRoleOf(user) : undefined;
  return ADMIN_GROUPS.map((g) => ({ ...g, sections: g.sections.filter((s) => role && can(role, s.permission)) }))
    .filter((g) => g.sections.length > 0);
}

/** The console's sidebar: the sections by area that the role may open; a drawer (popover) on phones. */
export function AdminSidebar(
  { path, t, user }: { path: string; t: Translator; user: { staff_role?: string | null } | undefined },
) {
  const current = sectionOf(path)?.section.href;
  return (
    <nav id="console-nav" class="console-nav" popover="auto" aria-label={t("look.consoleMenu")}>
      <div class="console-nav-head">
        <span>{t("admin.title")}</span>
        <button
          type="button"
          class="console-nav-close"
          popovertarget="console-nav"
          popovertargetaction="hide"
          aria-label={t("look.closeMenu")}
        >
          <Icon name="x" size={20} />
        </button>
      </div>
      {visibleGroups(user).map((g) => (
        <div class="console-nav-group" key={g.label}>
          <p class="console-nav-title" id={`nav-${g.label}`}>{t(g.label)}</p>
          <ul aria-labelledby={`nav-${g.label}`}>
            {g.sections.map((s) => (
              <li key={s.href}>
                <a
                  href={s.href}
                  class={s.href === current ? "console-link active" : "console-link"}
                  aria-current={s.href === path ? "page" : s.href === current ? "true" : undefined}
                >
                  <Icon name={s.icon} size={18} />
                  <span>{t(s.label)}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/** Where a console page sits: 管理后台 › area › section › the page (when it is not the section's own). */
export function Breadcrumbs({ path, t, title }: { path: string; t: Translator; title: string }) {
  const found = sectionOf(path);
  const crumbs: { label: string; href?: string }[] = [{ label: t("admin.title"), href: "/admin" }];
  if (found) {
    crumbs.push({ label: t(found.group) });
    const own = found.section.href === path;
    crumbs.push({ label: t(found.section.label), href: own ? undefined : found.section.href });
    if (!own && title !== t(found.section.label)) crumbs.push({ label: title });
  } else if (path !== "/admin") crumbs.push({ label: title });
  return (
    <nav class="breadcrumbs" aria-label={t("look.breadcrumbs")}>
      <ol>
        {crumbs.map((c, i) => (
          <li key={i} aria-current={i === crumbs.length - 1 ? "page" : undefined}>
            {c.href && i < crumbs.length - 1 ? <a href={c.href}>{c.label}</a> : <span>{c.label}</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The back office around a console page: the sidebar, a menu button on phones and the breadcrumbs. */
export function AdminShell(
  { path, t, user, title, children }: {
    path: string;
    t: Translator;
    user: { staff_role?: string | null; role?: string } | undefined;
    title: string;
    children: ComponentChildren;
  },
) {
  if (user?.role !== "manager") return <div class="container">{children}</div>;
  return (
    <div class="console">
      <AdminSidebar path={path} t={t} user={user} />
      <div class="console-main">
        <div class="console-bar">
          <button type="button" class="console-menu" popovertarget="console-nav" aria-label={t("look.openMenu")}>
            <Icon name="menu" size={20} />
          </button>
          <Breadcrumbs path={path} t={t} title={title} />
        </div>
        <div class="console-page">{children}</div>
      </div>
    </div>
  );
}
