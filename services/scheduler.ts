import type { Logger } from "../lib/log.ts";
import { appConfig } from "../fresh.config.ts";
import { advanceDueOrders, expireDueOrders, expirePoints } from "./orders.ts";
import type { Shop } from "./shop.ts";
import { currentPlan, releaseDueCommissions } from "./distribution.ts";
import { closeDuePeriods } from "./settlement.ts";
import { demoteInactive } from "./programme.ts";
import { alertSalesDrops } from "./distributors_admin.ts";
import { pruneThrottle } from "./login_throttle.ts";

/**
 * Runs the shop's time-driven work every few seconds: expiring unpaid orders, confirming
 * receipt, completing orders; hourly, demotions, points expiry, settlement periods and the
 * distributors' sales-drop alerts. All state lives in the database, so work that fell due while the
 * server was down is done at the first sweep after it starts; `SKIP LOCKED` lets several
 * instances sweep together without doing anything twice.
 */
export class Scheduler {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #lastDemotion = 0;

  constructor(private shop: Shop, private log: Logger, private intervalMs = appConfig.shop.sweepSeconds * 1000) {}

  /** Sweeps once now, then every interval. */
  start(): void {
    this.#tick();
  }

  /** One sweep (exposed for tests): the work due now, and the hourly work when an hour has passed. */
  async sweep(): Promise<{ expired: number; delivered: number; completed: number; released: number }> {
    const done = await this.sweepDue();
    if (this.shop.now().getTime() - this.#lastDemotion > 3_600_000) {
      this.#lastDemotion = this.shop.now().getTime();
      await this.sweepHourly();
    }
    if (done.expired || done.delivered || done.completed || done.released) this.log.info("scheduler", done);
    return done;
  }

  /** The work that falls due by the minute: expiring unpaid orders, receipt, completion, commission release. */
  async sweepDue(): Promise<{ expired: number; delivered: number; completed: number; released: number }> {
    const expired = await expireDueOrders(this.shop);
    const { delivered, completed } = await advanceDueOrders(this.shop);
    const released = await releaseDueCommissions(this.shop.db, this.shop.now());
    return { expired, delivered, completed, released };
  }

  /**
   * The hourly work: demotions, points expiry, settlement periods, and (unless `alerts` is false) the
   * distributors' sales-drop alerts and login-throttle pruning.
   */
  async sweepHourly({ alerts = true } = {}): Promise<void> {
    await demoteInactive(this.shop.db, this.shop.now());
    await expirePoints(this.shop);
    await closeDuePeriods(this.shop.db, this.shop.now(), (await currentPlan(this.shop.db)).settlementPeriod);
    if (!alerts) return;
    await alertSalesDrops(this.shop.db, this.shop.now());
    await pruneThrottle(this.shop.db);
  }

  #tick() {
    if (this.#stopped) return;
    this.#running = this.sweep()
      .then(() => {})
      .catch((err) => this.log.error("scheduler sweep failed", { error: String(err) }))
      .finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(() => this.#tick(), this.intervalMs);
      });
  }

  /** Stops after the sweep in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}
