/**
 * # Shop pages from memory
 *
 * The anonymous shop pages (home, category, filters and search on `/`, product pages `/products/:id`)
 * are the same for every visitor of a language, so each instance keeps them rendered in memory.
 *
 * **What is kept.** A page is kept as a *fragment* (the content of `<main>` and its island scripts,
 * see `lib/render.tsx`) under a key of the variant, the language and the normalised URL:
 * `anon|en|/?category=beauty&sort=price_asc` or `m:gold|zh-CN|/products/42`. Only the query
 * parameters the page reads count (`q`, `category`, `brand`, `minPrice`, `maxPrice`, `sort`, `page`
 * > 1); `?ref=…`, tracking parameters and their order do not split the cache. The path is part of the
 * key because the frame links back to it (language switch).
 *
 * **No visitor's data in a kept page.** Pages are rendered for the cache with a placeholder instead
 * of the CSRF token (`CSRF_SLOT`). The *anonymous* variant is kept as one whole document in which the
 * hidden `_csrf` field is removed altogether (the add-to-cart form of a visitor is checked by its
 * same-origin `Origin`/`Sec-Fetch-Site` instead, see `checkCsrf`); it is compressed once per coding
 * (br, gzip) on first demand and answered with an `ETag` (304 when the browser's copy is current,
 * `Cache-Control: private, no-cache`). A *signed-in member* gets the fragment of their member level (it
 * shows their member price), with their own CSRF token put in, framed per request by the layout (their
 * name, their menu, their logout form) and never stored whole. Managers (who also see off-shelf
 * products) are never served from the cache, nor are distributors' product pages ("分享赚" is theirs),
 * and a member's shop home is kept per member level *and* their coupon state (`memberCouponState`: its
 * 领券 strip says which coupons they hold and offers 新人专享 ones only to new members).
 *
 * **Invalidation is driven by the outbox.** Every change a kept page shows writes an event in the same
 * transaction: `catalogue_changed` (`{ productIds? }`, to the internal room) for product create/edit,
 * price, stock set by a manager, shelf times, archive/restore and imports, and whenever an order,
 * payment, cancellation or return changes the stock state a page shows (in stock / "only N left" /
 * sold out, `domain/stock_shown.ts`); `stock_low`/`stock_ok` are honoured too. Each instance's
 * dispatcher hands every event to `PageCache.handleEvent` (`wirePageCache`), so every instance drops
 * the product's page and all list pages (an event without product ids drops everything). A manager's
 * change to the home's arrangement (banners, featured blocks) writes `home_changed`, which drops the
 * unfiltered home (`HOME_TAG`) in every language and member level. A request that wrote something
 * waits until its own instance has dispatched (`sync`), so the writer reads its write. A render that
 * overlaps an invalidation is not kept (an epoch counter), so a page read before a commit can never
 * outlive the event of that commit. (Only page form posts wait: API clients and webhooks never read
 * kept HTML, so `/api` answers do not wait for the dispatcher.)
 *
 * **Time.** Flash sales, scheduled shelves and scheduled banners and blocks change pages without a
 * write: an entry never outlives the next scheduled start or end (`nextChange`), nor `ttlMs` (a few
 * seconds), which also bounds how stale the best-seller order (sales counts, not evented) and
 * out-of-band SQL edits can be.
 *
 * **Load.** Concurrent misses of one key wait for the first render (single flight); at most
 * `maxEntries` pages are kept (oldest first out).
 */
import type { MiddlewareHandler } from "hono";
import { renderToString } from "preact-render-to-string";
import { h } from "preact";
import type { AppEnv, Ctx } from "./app_env.ts";
import type { EventOf } from "../realtime/events.ts";
import { type PageFragment, renderFramed } from "./render.tsx";
import { EncodedBody, type Encoding, negotiateEncoding, notModified } from "./compress.ts";
import { encodeHex } from "./hex.ts";
import { productQuerySchema } from "../services/catalogue.ts";
import { memberCouponState } from "../services/coupons.ts";

/** Stands for the visitor's CSRF token in kept pages. */
export const CSRF_SLOT = "__CSRF_SLOT_5b2e9a__";
/** The hidden field as rendered with the slot (removed from anonymous pages). */
const CSRF_FIELD = renderToString(h("input", { type: "hidden", name: "_csrf", value: CSRF_SLOT }));

/** The tag of every list page (`/` with any query). */
export const LISTS_TAG = "lists";
/** The tag of the shop home itself (`/` without a query): the one page that shows the arrangement. */
export const HOME_TAG = "home";
/** The tag of one product's page. */
export function productTag(id: string): string {
  return `product:${id}`;
}

/** Settings of the cache. */
export interface PageCacheOptions {
  ttlMs: number;
  maxEntries: number;
  /** When the next scheduled catalogue change happens (flash sale or shelf time), or null for none. */
  nextChange?: () => Promise<Date | null>;
  /** Resolves once this instance has dispatched every event committed so far (read-your-writes). */
  sync?: () => Promise<void>;
  now?: () => number;
}

/** One kept page. */
interface Entry {
  key: string;
  tags: string[];
  expiresAt: number;
  /** The fragment with `CSRF_SLOT` in place of the token. */
  fragment: PageFragment;
  /** The whole anonymous document and its codings. */
  doc?: EncodedBody;
}

/** An event as the dispatcher hands it over (the typed live-event union). */
export type CacheEvent = EventOf;

/** The in-memory page store of one instance; see the module comment. */
export class PageCache {
  #entries = new Map<string, Entry>();
  #byTag = new Map<string, Set<string>>();
  #pending = new Map<string, Promise<void>>();
  #epoch = 0;
  #next: Promise<number> | undefined;
  #now: () => number;
  /** Counters for tests and logs. */
  readonly stats = { hits: 0, fast: 0, misses: 0, stored: 0, invalidated: 0 };

  constructor(private options: PageCacheOptions) {
    this.#now = options.now ?? Date.now;
  }

  /** Increments on every invalidation; a render that saw another epoch is not kept. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Number of kept pages. */
  get size(): number {
    return this.#entries.size;
  }

  /** A live entry, or undefined. */
  get(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#delete(key);
      return undefined;
    }
    return entry;
  }

  /** Marks a render of `key` in progress; others missing the same key wait for `finish`. */
  begin(key: string): { epoch: number; finish(): void; waiting: Promise<void> | undefined } {
    const waiting = this.#pending.get(key);
    let finish = () => {};
    if (!waiting) {
      this.#pending.set(key, new Promise<void>((resolve) => (finish = resolve)));
    }
    return {
      epoch: this.#epoch,
      waiting,
      finish: () => {
        if (!waiting) {
          this.#pending.delete(key);
          finish();
        }
      },
    };
  }

  /** Keeps a rendered page unless an invalidation happened since its render began. */
  async store(
    key: string,
    tags: string[],
    fragment: PageFragment,
    anonymousDoc: string | undefined,
    epoch: number,
  ): Promise<Entry | undefined> {
    const nextChange = await this.#nextChangeAt();
    const doc = anonymousDoc === undefined ? undefined : new TextEncoder().encode(anonymousDoc);
    const tag = doc ? encodeHex(new Uint8Array(await crypto.subtle.digest("SHA-256", doc))).slice(0, 20) : "";
    if (epoch !== this.#epoch) return undefined;
    const entry: Entry = {
      key,
      tags,
      expiresAt: Math.min(this.#now() + this.options.ttlMs, nextChange),
      fragment,
      doc: doc ? new EncodedBody(doc, `p-${tag}`) : undefined,
    };
    if (entry.expiresAt <= this.#now()) return undefined;
    this.#delete(key);
    this.#entries.set(key, entry);
    for (const t of tags) {
      let keys = this.#byTag.get(t);
      if (!keys) this.#byTag.set(t, keys = new Set());
      keys.add(key);
    }
    while (this.#entries.size > this.options.maxEntries) {
      this.#delete(this.#entries.keys().next().value!);
    }
    this.stats.stored++;
    return entry;
  }

  /** Drops the pages carrying any of these tags, or every page. */
  invalidate(tags: string[] | "all"): void {
    this.#epoch++;
    this.#next = undefined;
    this.stats.invalidated++;
    if (tags === "all") {
      this.#entries.clear();
      this.#byTag.clear();
      return;
    }
    for (const t of tags) {
      for (const key of [...(this.#byTag.get(t) ?? [])]) this.#delete(key);
    }
  }

  /** Invalidates what an outbox event changed (`catalogue_changed`, `home_changed`, `stock_low`, `stock_ok`). */
  handleEvent(e: CacheEvent): void {
    if (e.type === "home_changed") this.invalidate([HOME_TAG]);
    else if (e.type === "catalogue_changed") {
      const ids: unknown = e.data.productIds;
      if (Array.isArray(ids)) this.invalidate([LISTS_TAG, ...ids.map((id) => productTag(String(id)))]);
      else this.invalidate("all");
    } else if (e.type === "stock_low" || e.type === "stock_ok") {
      this.invalidate([LISTS_TAG, productTag(String(e.data.productId))]);
    }
  }

  /** Waits until this instance has dispatched every committed event (no-op without a dispatcher). */
  async sync(): Promise<void> {
    await this.options.sync?.();
  }

  /** Sets how `sync` waits for this instance's dispatcher. */
  attachSync(sync: () => Promise<void>): void {
    this.options.sync = sync;
  }

  #delete(key: string) {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    for (const t of entry.tags) {
      const keys = this.#byTag.get(t);
      keys?.delete(key);
      if (keys?.size === 0) this.#byTag.delete(t);
    }
  }

  /** The next scheduled change as epoch ms (Infinity for none); looked up once until it passes or is invalidated. */
  #nextChangeAt(): Promise<number> {
    if (!this.options.nextChange) return Promise.resolve(Infinity);
    const lookup = this.#next ??= this.options.nextChange().then(
      (d) => (d ? d.getTime() : Infinity),
      () => this.#now(), // unknown: keep nothing rather than something stale
    );
    return lookup.then((at) => {
      if (at <= this.#now() && this.#next === lookup) this.#next = undefined;
      return at;
    });
  }
}

/**
 * Wires a cache to an instance's outbox dispatcher: every dispatched event may invalidate, and a
 * request's `sync` waits for a drain that began after its commit.
 */
export function wirePageCache(
  cache: PageCache,
  dispatcher: { subscribe(listener: (e: CacheEvent) => void): () => void; poke(): Promise<void> },
): () => void {
  cache.attachSync(async () => {
    // A drain already running may have started before the caller's commit; the next one has not.
    await dispatcher.poke();
    await dispatcher.poke();
  });
  return dispatcher.subscribe((e) => cache.handleEvent(e));
}

/** The cached shop page a request asks for: its URL part of the key and its tags, or undefined. */
export function shopPage(c: Ctx): { url: string; tags: string[] } | undefined {
  const path = c.req.path;
  if (path === "/") {
    const parsed = productQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return undefined;
    const q = parsed.data;
    const params = new URLSearchParams();
    for (const key of ["q", "category", "brand", "minPrice", "maxPrice", "sort"] as const) {
      if (q[key]) params.set(key, String(q[key]));
    }
    if (q.page > 1) params.set("page", String(q.page));
    const query = params.toString();
    return query ? { url: `/?${query}`, tags: [LISTS_TAG] } : { url: "/", tags: [LISTS_TAG, HOME_TAG] };
  }
  const id = path.match(/^\/products\/(\d{1,18})$/)?.[1];
  if (id) return { url: path, tags: [productTag(String(BigInt(id)))] };
  return undefined;
}

/** Whether a successful write at `path` must be visible on this instance's kept pages at once. */
function changesKeptPages(path: string): boolean {
  return !path.startsWith("/api/") || path.startsWith("/api/admin/");
}

/**
 * Middleware for the shop pages: answers from the cache when it can, and otherwise lets the route
 * render (with the CSRF placeholder), keeps the result and answers from it. Without a cache in the
 * app's dependencies (in-process tests) it does nothing.
 */
export function pageCache(): MiddlewareHandler<AppEnv> {
  return async function pageCache(c, next) {
    const cache = c.get("deps").pageCache;
    if (!cache) return await next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      await next();
      // A form post or a manager's catalogue change is read back on the next page: wait for this
      // instance to have dispatched what it committed. Shoppers' API calls (checkout, payment) and
      // providers' webhooks do not change what a kept page shows right away, so they do not wait.
      if (c.res.status < 400 && changesKeptPages(c.req.path)) await cache.sync();
      return;
    }
    const page = shopPage(c);
    const user = c.get("user");
    if (!page || user?.role === "manager") return await next();
    // A distributor's product page shows what they earn by sharing it (their rank, their month): their own.
    if (user?.role === "distributor" && page.url.startsWith("/products/")) return await next();
    // A member's shop home also shows their coupons (已领取, 新人专享 only while new): kept per that state too.
    const coupons = user && page.tags.includes(HOME_TAG)
      ? `|c:${await memberCouponState(c.get("deps").db, String(user.id))}`
      : "";
    const key = `${user ? `m:${user.level}${coupons}` : "anon"}|${c.get("locale")}|${page.url}`;
    let entry = cache.get(key);
    if (!entry) {
      const render = cache.begin(key);
      if (render.waiting) {
        await render.waiting;
        entry = cache.get(key);
      }
      if (!entry) {
        cache.stats.misses++;
        const token = c.get("csrf");
        c.set("csrf", CSRF_SLOT);
        try {
          await next();
        } finally {
          c.set("csrf", token);
        }
        try {
          const fragment = c.get("pageFragment");
          if (!fragment) return;
          if (fragment.status === 200 && c.res.status === 200 && !fragment.main.includes(token)) {
            let doc: string | undefined;
            if (!user) {
              doc = renderFramed(c, fragment).replaceAll(CSRF_FIELD, "");
              if (doc.includes(CSRF_SLOT)) doc = undefined;
            }
            if (user || doc) entry = await cache.store(key, page.tags, fragment, doc, render.epoch);
          }
          if (!entry) {
            // Not kept: answer the render as it is, with the visitor's own token.
            c.res = c.html(renderFramed(c, withToken(fragment, token)), fragment.status as 200);
            return;
          }
        } finally {
          render.finish();
        }
        c.res = respond(c, entry);
        return;
      }
    }
    cache.stats.hits++;
    return respond(c, entry);
  };
}

function withToken(fragment: PageFragment, token: string): PageFragment {
  return { ...fragment, main: fragment.main.replaceAll(CSRF_SLOT, token) };
}

/** The headers of a kept anonymous page in one coding (shared with `lib/fast_pages.ts`). */
export function pageHeaders(body: EncodedBody, encoding: Encoding): Record<string, string> {
  return {
    "Content-Type": "text/html; charset=UTF-8",
    "Cache-Control": "private, no-cache",
    ETag: body.etag(encoding),
    Vary: "Accept-Encoding",
  };
}

function respond(c: Ctx, entry: Entry): Response {
  if (!entry.doc) return c.html(renderFramed(c, withToken(entry.fragment, c.get("csrf"))));
  const body = entry.doc;
  const encoding = body.compressible ? negotiateEncoding(c.req.header("accept-encoding")) : "identity";
  const headers = pageHeaders(body, encoding);
  if (notModified(c.req.header("if-none-match"), body.tag)) return c.body(null, 304, headers);
  const chosen = body.bytes(encoding);
  if (chosen.encoding !== "identity") headers["Content-Encoding"] = chosen.encoding;
  if (c.req.method === "HEAD") return c.body(null, 200, headers);
  return c.body(chosen.body as Uint8Array<ArrayBuffer>, 200, headers);
}
