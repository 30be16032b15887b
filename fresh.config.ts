import { SHOP_TIME_ZONE } from "./domain/shop_time.ts";

/**
 * Typed application configuration as plain data: the product's tunable settings.
 * Environment-driven settings (port, database, secrets) live in `config.ts`.
 */
export const appConfig = {
  /** Locales the UI speaks; the first is the default. */
  locales: ["zh-CN", "en"] as const,
  defaultLocale: "zh-CN" as const,
  /** The business day ("today" on dashboards) follows this time zone: the shop's, from domain/shop_time.ts. */
  timeZone: SHOP_TIME_ZONE,
  session: {
    cookieName: "sid",
    /** Sessions live 30 days from login. */
    ttlDays: 30,
  },
  login: {
    /**
     * Password checks per window: for an account from devices that never signed in to it, for one such
     * device, and for one session's password re-entry. Past it: 429 until the window ends.
     */
    maxFailures: 10,
    windowMinutes: 15,
    /**
     * After this many failures from unknown devices, each further attempt on the account waits (1 s,
     * then doubling up to `maxDelaySeconds`), the member is told once per window, and the account
     * counts as under attack.
     */
    suspectFailures: 5,
    maxDelaySeconds: 60,
    /**
     * Failed logins per IP and window (shared carrier NAT puts many members behind one address): past
     * it, that IP may still sign in to accounts that are not under attack.
     */
    ipMaxFailures: 100,
    /** Lifetime of the `did` cookie that makes a device known to the accounts that signed in on it. */
    deviceDays: 365,
  },
  http: {
    /**
     * Largest accepted request body, in bytes, on every route (counted while it streams in, declared
     * or not); routes that take uploads raise it for themselves. Past it: 413.
     */
    maxBodyBytes: 64 * 1024,
    /** Largest socket.io message a client may send (socket.io's `maxHttpBufferSize`). */
    maxSocketMessageBytes: 16 * 1024,
  },
  referral: {
    /** Referral attribution cookie lifetime (`?ref=CODE`). */
    cookieDays: 30,
  },
  demo: {
    products: 200,
    members: 2000,
    minDepth: 5,
    /** About 30 / 150 / 420 of the members in the demo distributor's tiers 1–3. */
    teamShares: [0.015, 0.075, 0.21] as const,
    /**
     * The days the demo shop has lived at its first start, its orders per day (first day, last day), and the
     * last days lived order by order through the use-cases (the older ones are written a day at a time).
     */
    history: { days: 90, ordersPerDay: [3, 10] as const, liveDays: 4 },
  },
  pagination: { defaultPageSize: 20, maxPageSize: 100 },
  pageCache: {
    /** Longest a cached shop page lives without an invalidating event (a backstop; events invalidate at once). */
    ttlMs: 5000,
    /** Most pages (all variants) kept in memory; the least recently used go first. */
    maxEntries: 2000,
  },
  compression: {
    /** Bodies smaller than this are sent as they are. */
    minBytes: 1024,
  },
  visits: {
    /** How often counted visits and link clicks are written to the database. */
    flushMs: 1000,
    /** Most new visitors and link clicks written per flush; more are dropped (and logged) under a flood. */
    maxPerFlush: 2000,
    /**
     * Most clicks one address counts per link and day (members behind one carrier NAT share an address;
     * a client inventing a new visitor cookie or browser on every request gets no further).
     */
    clicksPerAddress: 20,
  },
  withdrawalAlerts: {
    /** A withdrawal of at least this much (yuan) is flagged for a closer look. */
    largeAmount: "5000.00",
    /** So is the Nth request by one member within 24 hours. */
    perDay: 3,
  },
  shop: {
    /** Member-level price multipliers. */
    levelDiscounts: { ordinary: "1", silver: "0.98", gold: "0.95", diamond: "0.90" },
    /** Cumulative paid spend (yuan) that raises a member to each level. */
    levelThresholds: { silver: "1000.00", gold: "5000.00", diamond: "20000.00" },
    /** 100 points = ¥1; points pay at most half of the goods after the coupon. */
    pointValue: "0.01",
    pointsMaxShare: "0.5",
    /** Points earned per yuan actually paid, credited when the order completes. */
    pointsPerYuan: 1,
    pointsExpiryDays: 365,
    shippingFee: "10.00",
    freeShippingOver: "99.00",
    /** An unpaid order is cancelled and its stock released after this many minutes. */
    paymentTimeoutMinutes: 30,
    /** A shipped order is confirmed received automatically after this many days. */
    autoConfirmDays: 10,
    /** After receipt, the return window; when it closes the order completes. */
    returnWindowDays: 7,
    /** How often the scheduler sweeps for due work. */
    sweepSeconds: 5,
  },
};

export type Locale = (typeof appConfig.locales)[number];
