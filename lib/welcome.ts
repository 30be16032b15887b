/** Who to sign in as, for the start log's closing block. */
export interface WelcomeFacts {
  url: string;
  db: "pglite" | "postgres";
  manager: { email: string; password?: string; createdNow: boolean };
  /** Demo accounts, when the shop holds the demo data. */
  demo?: {
    distributor: { email: string; password: string };
    memberEmails: string;
    memberPassword: string;
    /** A demo shopper with a history worth looking at (orders in every state, coupons, points). */
    shopper?: string;
    /** The history written at this start, when it was. */
    history?: { days: number; orders: number };
  };
}

/**
 * The readable block a person starting the app looks for at the end of its log: where the shop is and
 * who to sign in as. Plain text (not a JSON log line), in Chinese and English.
 */
export function welcomeBanner(facts: WelcomeFacts): string {
  const rule = "─".repeat(72);
  const managerPassword = facts.manager.password
    ? `${facts.manager.password}   (shown once · 仅显示这一次)`
    : facts.manager.createdNow
    ? "ADMIN_PASSWORD"
    : "(set earlier · 之前设置的密码)";
  const lines = [
    rule,
    `  分享商城 is running · 已启动   ${facts.url}   (${facts.db === "pglite" ? "embedded PGlite" : "PostgreSQL"})`,
    "",
    `  Manager 管理员        ${facts.manager.email}  /  ${managerPassword}`,
    `                        ${facts.url}/admin`,
  ];
  if (facts.demo) {
    lines.push(
      `  Distributor 分销员    ${facts.demo.distributor.email}  /  ${facts.demo.distributor.password}`,
      `                        ${facts.url}/distributor`,
      `  Shopper 顾客          ${facts.demo.memberEmails}  /  ${facts.demo.memberPassword}`,
    );
    if (facts.demo.shopper) {
      lines.push(`                        ${facts.demo.shopper}: 订单、优惠券、积分 · orders, coupons, points`);
    }
    if (facts.demo.history) {
      const { days, orders } = facts.demo.history;
      lines.push("", `  Demo history 演示数据  ${days} 天 · ${orders} 笔订单 · ${days} days, ${orders} orders`);
    }
  }
  lines.push(rule);
  return lines.join("\n");
}
