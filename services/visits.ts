import type { Db } from "../db/db.ts";
import { appendEvent } from "../db/events_repo.ts";
import { MANAGERS_ROOM, userRoom } from "../realtime/rooms.ts";
import { appConfig } from "../fresh.config.ts";
import type { Logger } from "../lib/log.ts";
import { shopDay } from "../domain/shop_time.ts";

/** A click on a member's referral link (`?ref=CODE`), as seen by one request. */
export interface LinkClick {
  /** The referral code, upper case. */
  code: string;
  /** The product the link points at, or null for the shop, sign-up and other links. */
  productId: string | null;
  /** The visitor key (cookie or member key). */
  visitor: string;
  /** The signed-in member who clicked: a member's own clicks do not count. */
  viewerId?: string;
  /**
   * For a visitor without our cookie yet (every request of a cookie-less client looks new): their
   * address and browser, so that repeats from it count once per link and day on this instance.
   */
  fingerprint?: string;
  /**
   * The client's address: whatever visitor id or browser a client claims, one address counts at most
   * `appConfig.visits.clicksPerAddress` clicks per link and day (on this instance).
   */
  address?: string;
}

interface PendingClick extends LinkClick {
  day: string;
  at: string;
}

/** Most keys remembered as already counted before the memory is cleared (the database still refuses repeats). */
const REMEMBERED = 200_000;
/**
 * How long repeats of a link by a client without our cookie (same address and browser) count as one click.
 * Short, so that two people behind one address with the same browser clicking the same link are still two.
 */
const COOKIELESS_REPEAT_MS = 10 * 60_000;
/** New visitors one address and browser without our cookie may bring per `COOKIELESS_REPEAT_MS`. */
const COOKIELESS_VISITORS = 30;

/**
 * Visit and link-click counting off the request path. Requests only note what they saw in memory;
 * `flush` (about every second, and at shutdown) writes them set-based in one transaction each:
 *
 * - a visitor counts once per business day (`daily_visitors`, `ON CONFLICT DO NOTHING`), and one
 *   `visitor` event per day and flush carries how many were new (`{ day, count }`);
 * - a link click counts once per visitor, link (referrer and product) and day (a unique index on
 *   `referral_visits`, so the rule holds across instances), a member's own clicks never, and each counted
 *   click sends one `link_click` event to the link owner from the flush transaction. A client that keeps no
 *   cookie is a new visitor on every request; its repeats of a link (same address and browser) within
 *   `COOKIELESS_REPEAT_MS` count once, and its visits at most `COOKIELESS_VISITORS` times.
 *
 * At most `maxPerFlush` new visitors and clicks are buffered per flush; a flood beyond that is dropped
 * and logged, so the writes stay bounded whatever the request rate.
 */
export class VisitCounter {
  #visits = new Map<string, { day: string; visitor: string; at: string }>();
  #clicks = new Map<string, PendingClick>();
  #counted = new Set<string>();
  #fingerprints = new Map<string, { until: number; times: number }>();
  /** New visitors per cookie-less address and browser (apart from clicks: a flood of one never resets the other). */
  #visitorFingerprints = new Map<string, { until: number; times: number }>();
  /** Clicks counted per `day|link|address` (cleared with the day, like `#counted`). */
  #perAddress = new Map<string, number>();
  #countedDay = "";
  #dropped = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #flushing: Promise<void> | undefined;
  #maxPending: number;

  constructor(private db: Db, private log?: Logger, options: { maxPerFlush?: number } = {}) {
    this.#maxPending = options.maxPerFlush ?? appConfig.visits.maxPerFlush;
  }

  #remember(key: string, day: string): boolean {
    if (day !== this.#countedDay || this.#counted.size >= REMEMBERED) {
      this.#counted.clear();
      this.#perAddress.clear();
      this.#countedDay = day;
    }
    if (this.#counted.has(key)) return false;
    this.#counted.add(key);
    return true;
  }

  /**
   * Whether a cookie-less client (`key` names it and what it did) already did the same `allowed` times
   * within `COOKIELESS_REPEAT_MS`.
   */
  #repeatOfCookieless(seenBy: Map<string, { until: number; times: number }>, key: string, now: Date, allowed = 1) {
    const seen = seenBy.get(key);
    if (seen && seen.until > now.getTime()) {
      if (seen.times >= allowed) return true;
      seen.times++;
      return false;
    }
    if (seenBy.size >= REMEMBERED) seenBy.clear();
    seenBy.set(key, { until: now.getTime() + COOKIELESS_REPEAT_MS, times: 1 });
    return false;
  }

  /**
   * Notes a visit of a shop page by `visitor` (counted at the next flush, once per day). `fingerprint`
   * (address and browser) is given for a visitor without our cookie yet: a client that never keeps it
   * would be a new visitor on every request, so one address and browser brings at most
   * `COOKIELESS_VISITORS` new visitors per `COOKIELESS_REPEAT_MS` (people behind one address still count).
   */
  visit(visitor: string, now = new Date(), fingerprint?: string): void {
    if (fingerprint && this.#repeatOfCookieless(this.#visitorFingerprints, fingerprint, now, COOKIELESS_VISITORS)) {
      return;
    }
    const day = shopDay(now);
    const key = `v|${day}|${visitor}`;
    if (this.#visits.has(key) || this.#counted.has(key)) return;
    if (this.#visits.size >= this.#maxPending) {
      this.#dropped++;
      return;
    }
    if (this.#remember(key, day)) this.#visits.set(key, { day, visitor, at: now.toISOString() });
  }

  /** Notes a click on a referral link (counted at the next flush, once per visitor, link and day). */
  click(click: LinkClick, now = new Date()): void {
    const day = shopDay(now);
    const link = `${click.code}|${click.productId ?? ""}`;
    const key = `c|${day}|${link}|${click.visitor}`;
    if (this.#clicks.has(key) || this.#counted.has(key)) return;
    // A client that never keeps our cookie: its repeats of a link within a few minutes are one click.
    if (click.fingerprint && this.#repeatOfCookieless(this.#fingerprints, `${link}|${click.fingerprint}`, now)) return;
    if (this.#clicks.size >= this.#maxPending) {
      this.#dropped++;
      return;
    }
    // A client can invent a visitor cookie or a browser name on every request; its address it cannot.
    const addressKey = click.address === undefined ? undefined : `${day}|${link}|${click.address}`;
    const fromAddress = addressKey === undefined ? 0 : this.#perAddress.get(addressKey) ?? 0;
    if (fromAddress >= appConfig.visits.clicksPerAddress) return;
    if (this.#remember(key, day)) {
      if (addressKey !== undefined) this.#perAddress.set(addressKey, fromAddress + 1);
      this.#clicks.set(key, { ...click, day, at: now.toISOString() });
    }
  }

  /** Visits and clicks noted but not yet written. */
  get pending(): number {
    return this.#visits.size + this.#clicks.size;
  }

  /** Writes what was noted so far (one flush at a time; a call during a flush waits for it and flushes again). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    this.#flushing = this.#write().finally(() => (this.#flushing = undefined));
    await this.#flushing;
  }

  async #write(): Promise<void> {
    const visits = [...this.#visits.values()];
    const clicks = [...this.#clicks.values()];
    this.#visits.clear();
    this.#clicks.clear();
    if (this.#dropped) {
      this.log?.warn("visits and link clicks not counted: too many at once", { dropped: this.#dropped });
      this.#dropped = 0;
    }
    try {
      if (visits.length) await writeVisits(this.db, visits);
      if (clicks.length) await writeClicks(this.db, clicks);
    } catch (err) {
      // Forget them as counted so a later visit or click may try again.
      for (const v of visits) this.#counted.delete(`v|${v.day}|${v.visitor}`);
      for (const c of clicks) this.#counted.delete(`c|${c.day}|${c.code}|${c.productId ?? ""}|${c.visitor}`);
      this.log?.warn("visits not counted", { error: String(err) });
    }
  }

  /** Flushes every `flushMs` until `stop`. */
  start(flushMs = appConfig.visits.flushMs): void {
    this.#timer ??= setInterval(() => void this.flush(), flushMs);
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }
}

/** Counts the day's new visitors and tells the managers how many, one event per day. */
async function writeVisits(db: Db, visits: { day: string; visitor: string; at: string }[]): Promise<void> {
  await db.transaction(async (tx) => {
    const inserted = await tx.query<{ day: string; n: number }>(
      `WITH added AS (
         INSERT INTO daily_visitors (day, visitor, first_seen_at)
         SELECT v.day, v.visitor, v.at FROM jsonb_to_recordset($1::text::jsonb) AS v(day date, visitor text, at timestamptz)
         ON CONFLICT DO NOTHING RETURNING day)
       SELECT to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM added GROUP BY day ORDER BY day`,
      [JSON.stringify(visits)],
    );
    // New visitors move the managers' live conversion rate.
    for (const d of inserted) {
      await appendEvent(tx, "visitor", { day: d.day, count: d.n }, [MANAGERS_ROOM]);
    }
  });
}

/** Counts link clicks once per visitor, link and day, with a `link_click` event to the owner per counted click. */
async function writeClicks(db: Db, clicks: PendingClick[]): Promise<void> {
  await db.transaction(async (tx) => {
    const counted = await tx.query<{ referrer_id: string; product_id: string | null }>(
      `INSERT INTO referral_visits (referrer_id, product_id, visitor, day, at)
       SELECT u.id, c."productId", c.visitor, c.day, c.at
         FROM jsonb_to_recordset($1::text::jsonb)
              AS c(code text, "productId" bigint, visitor text, "viewerId" bigint, day date, at timestamptz)
         JOIN users u ON u.referral_code = c.code
        WHERE (c."viewerId" IS NULL OR c."viewerId" <> u.id)
          AND (c."productId" IS NULL OR EXISTS (SELECT 1 FROM products p WHERE p.id = c."productId"))
       ON CONFLICT (referrer_id, day, visitor, (coalesce(product_id, 0))) WHERE visitor IS NOT NULL DO NOTHING
       RETURNING referrer_id, product_id`,
      [JSON.stringify(clicks.map((c) => ({ ...c, fingerprint: undefined })))],
    );
    for (const c of counted) {
      await appendEvent(tx, "link_click", { productId: c.product_id === null ? null : String(c.product_id) }, [
        userRoom(String(c.referrer_id)),
      ]);
    }
  });
}
