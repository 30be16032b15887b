import type { Translator } from "../i18n/messages.ts";

/** The manager console's section navigation. */
export function AdminNav({ path, t }: { path: string; t: Translator }) {
  const items = [
    ["/admin", t("an.title")],
    ["/admin/orders", t("ops.orders")],
    ["/admin/products", t("cat.title")],
    ["/admin/withdrawals", t("ops.withdrawals")],
    ["/admin/settlements", t("ops.settlements")],
    ["/admin/distributors", t("ops.distributors")],
    ["/admin/plan", t("plan.title")],
    ["/admin/staff", t("ops.staff")],
    ["/admin/audit", t("ops.audit")],
  ] as const;
  return (
    <nav class="chips" aria-label={t("admin.title")}>
      {items.map(([href, label]) => {
        const active = path === href;
        return (
          <a key={href} class={active ? "chip active" : "chip"} href={href} aria-current={active ? "page" : undefined}>
            {label}
          </a>
        );
      })}
    </nav>
  );
}
