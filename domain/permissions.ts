/** Staff roles of managers, and what each may do. */
export const STAFF_ROLES = ["admin", "finance", "operations", "support"] as const;
/** A staff role. */
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Every permission an admin route needs. */
export const PERMISSIONS = {
  "analytics.read": ["admin", "finance", "operations", "support"],
  "orders.read": ["admin", "finance", "operations", "support"],
  "orders.ship": ["admin", "operations"],
  "refunds.decide": ["admin", "operations", "support"],
  "catalogue.write": ["admin", "operations"],
  "coupons.write": ["admin", "operations"],
  // Arrange the shop home (banners, featured blocks): the operations team's merchandising.
  "home.write": ["admin", "operations"],
  "plan.read": ["admin", "finance", "operations"],
  "plan.write": ["admin"],
  "withdrawals.read": ["admin", "finance"],
  "withdrawals.approve": ["admin", "finance"],
  "settlements.close": ["admin", "finance"],
  "applications.decide": ["admin", "operations"],
  "members.read": ["admin", "finance", "operations", "support"],
  "members.move": ["admin"],
  // Erase a member's personal data (POST /api/admin/users/:id/erase): irreversible, so admins only.
  "members.erase": ["admin"],
  "users.role": ["admin"],
  "audit.read": ["admin", "finance"],
  "pii.read": ["admin", "finance"],
} as const satisfies Record<string, readonly StaffRole[]>;

/** A permission name. */
export type Permission = keyof typeof PERMISSIONS;

/** Whether a staff role holds a permission. */
export function can(role: StaffRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly StaffRole[]).includes(role);
}

/** The staff role of a manager (a manager without one — the first admin — counts as admin). */
export function staffRoleOf(user: { staff_role?: string | null }): StaffRole {
  return (user.staff_role ?? "admin") as StaffRole;
}
