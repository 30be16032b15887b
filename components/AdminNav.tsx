import type { PlainKey, Translator } from "../i18n/messages.ts";
import { can, type Permission, staffRoleOf } from "../domain/permissions.ts";

/** The console's sections and the permission each needs (the pages check the same one). */
const SECTIONS: [href: string, label: PlainKey, permission: Permission][] = [
  ["/admin", "an.title", "analytics.read"],
  ["/admin/orders", "ops.orders", "orders.read"],
  ["/admin/products", "cat.title", "catalogue.write"],
  ["/admin/withdrawals", "ops.withdrawals", "withdrawals.read"],
  ["/admin/settlements", "ops.settlements", "settlements.close"],
  ["/admin/distributors", "ops.distributors", "members.read"],
  ["/admin/plan", "plan.title", "plan.read"],
  ["/admin/staff", "ops.staff", "users.role"],
  ["/admin/audit", "ops.audit", "audit.read"],
];

/** The manager console's section navigation: only the sections the staff member's role may open. */
export function AdminNav(
  { path, t, user }: { path: string; t: Translator; user: { staff_role?: string | null } | undefined },
) {
  const role = user ? staffRoleOf(user) : undefined;
  return (
    <nav class="chips" aria-label={t("admin.title")}>
      {SECTIONS.filter(([, , permission]) => role && can(role, permission)).map(([href, label]) => {
        const active = path === href;
        return (
          <a key={href} class={active ? "chip active" : "chip"} href={href} aria-current={active ? "page" : undefined}>
            {t(label)}
          </a>
        );
      })}
    </nav>
  );
}
