/** Who to sign in as, for the start log's closing block. */
export interface WelcomeFacts {
  url: string;
  db: "pglite" | "postgres";
  manager: { email: string; password?: string; createdNow: boolean };
  /** Demo accounts, when the shop holds the demo data. */
  demo?: { distributor: { email: string; password: string }; memberEmails: string; memberPassword: string };
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
  }
  lines.push(rule);
  return lines.join("\n");
}
