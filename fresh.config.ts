/**
 * Typed application configuration as plain data: the product's tunable settings.
 * Environment-driven settings (port, database, secrets) live in `config.ts`.
 */
export const appConfig = {
  /** Locales the UI speaks; the first is the default. */
  locales: ["zh-CN", "en"] as const,
  defaultLocale: "zh-CN" as const,
  /** The business day ("today" on dashboards) follows this time zone. */
  timeZone: "Asia/Shanghai",
  session: {
    cookieName: "sid",
    /** Sessions live 30 days from login. */
    ttlDays: 30,
  },
  login: {
    /** At most this many failed logins per account and per IP within the window. */
    maxFailures: 10,
    windowMinutes: 15,
  },
  http: {
    /** Largest accepted JSON or form body, in bytes. */
    maxBodyBytes: 64 * 1024,
  },
  referral: {
    /** Referral attribution cookie lifetime (`?ref=CODE`). */
    cookieDays: 30,
  },
  demo: {
    products: 200,
    members: 2000,
    minDepth: 5,
  },
  pagination: { defaultPageSize: 20, maxPageSize: 100 },
};

export type Locale = (typeof appConfig.locales)[number];
