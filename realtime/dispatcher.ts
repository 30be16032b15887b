import type { Server } from "socket.io";
import type { Db } from "../db/db.ts";
import {
  EVENTS_CHANNEL,
  eventsAfter,
  latestEventId,
  publishedBy,
  publishEvents,
  type StoredEvent,
  toLiveEvent,
} from "../db/events_repo.ts";
import type { Logger } from "../lib/log.ts";

/** The socket.io event name under which every live event `{ id, type, at, data }` is sent. */
export const LIVE_EVENT = "event";

/**
 * Sends committed outbox events to this instance's sockets, in position order. Woken by NOTIFY
 * after each commit, it first publishes (gives committed events their positions, waiting its turn
 * when another instance or a page snapshot is publishing), then reads the positions
 * after its cursor. A slow poll is the safety net. Each instance dispatches to its own sockets
 * (`io.local`), so several instances on one database each deliver every event exactly once.
 *
 * Under load many commits notify within a few milliseconds: a notification starts a drain only after
 * `coalesceMs`, so they share one publication and one read, and the notification this instance's own
 * publication sends is not answered with a second drain (the drain that published reads on anyway).
 */
export class Dispatcher {
  /** The highest event id already sent to this instance's rooms. */
  cursor = 0;
  #draining: Promise<void> | null = null;
  #again = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #wake: ReturnType<typeof setTimeout> | undefined;
  /** Tells this instance's publications apart from other instances' in the NOTIFY payload. */
  readonly #origin = crypto.randomUUID().slice(0, 8);
  #unlisten: (() => Promise<void>) | undefined;
  #stopped = false;
  #listeners = new Set<(e: StoredEvent) => void>();

  constructor(
    private db: Db,
    private io: Server,
    private log: Logger,
    private pollMs = 1000,
    private coalesceMs = 5,
  ) {}

  /**
   * Calls `listener` for every event this instance dispatches (after it went to the sockets),
   * e.g. to invalidate a local cache. Returns a function that removes the listener.
   */
  subscribe(listener: (e: StoredEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts from the newest event: earlier ones are for clients to replay with `resume`. */
  async start(): Promise<void> {
    // Events committed before the start are history (clients replay them with `resume`): publish
    // them first, so the cursor starts after them.
    await publishEvents(this.db, this.#origin);
    this.cursor = await latestEventId(this.db);
    this.#unlisten = await this.db.listen(EVENTS_CHANNEL, (payload) => {
      if (payload !== publishedBy(this.#origin)) this.#soon();
    });
    this.#timer = setInterval(() => this.poke(), this.pollMs);
  }

  /** A drain after `coalesceMs`, shared by every notification that arrives meanwhile. */
  #soon(): void {
    if (this.#wake !== undefined || this.#stopped) return;
    this.#wake = setTimeout(() => {
      this.#wake = undefined;
      this.poke();
    }, this.coalesceMs);
  }

  /** Asks for a drain now (coalesced with one already running). */
  poke(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#draining) {
      this.#again = true;
      return this.#draining;
    }
    this.#draining = this.#drain().finally(() => {
      this.#draining = null;
      if (this.#again) {
        this.#again = false;
        this.poke();
      }
    });
    return this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      // Waits while another publisher (an instance, or a page snapshot) holds the lock: then every
      // event committed before this drain has its position, and a caller of `poke()` reads its writes.
      await publishEvents(this.db, this.#origin);
      while (!this.#stopped) {
        const batch = await eventsAfter(this.db, this.cursor, { limit: 500 });
        for (const e of batch) {
          this.io.local.to(e.rooms).emit(LIVE_EVENT, toLiveEvent(e));
          for (const listener of this.#listeners) {
            try {
              listener(e);
            } catch (err) {
              this.log.error("event listener failed", { error: String(err) });
            }
          }
          this.cursor = Number(e.id);
        }
        if (batch.length < 500) break;
      }
    } catch (err) {
      if (!this.#stopped) this.log.error("dispatch failed", { error: String(err) });
    }
  }

  /** Stops listening and polling. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#wake);
    await this.#draining;
    await this.#unlisten?.().catch(() => {});
  }
}
