import type { Context } from "hono";
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { Settings } from "../config.ts";
import type { Logger } from "./log.ts";
import type { IslandBundle } from "./islands_build.ts";
import type { StaticAssets } from "./static_files.ts";
import type { Shop } from "../services/shop.ts";
import type { SessionSockets } from "../services/accounts.ts";
import type { CryptoBox } from "./crypto_box.ts";
import type { Locale } from "../fresh.config.ts";
import type { Translator } from "../i18n/messages.ts";
import type { PageCache } from "./page_cache.ts";
import type { PageFragment } from "./render.tsx";
import type { LayoutFile } from "./fs_router.ts";
import type { VisitCounter } from "../services/visits.ts";

/** Everything a request handler may use, built once by `main.ts`. */
export interface AppDeps {
  db: Db;
  settings: Settings;
  log: Logger;
  islands: IslandBundle;
  assets: StaticAssets;
  shop: Shop;
  box: CryptoBox;
  /** Closes a session's live connections when it ends; absent when no socket server runs (in-process tests). */
  sessionSockets?: SessionSockets;
  /** Shop pages kept in memory; absent in in-process tests that change the catalogue behind its back. */
  pageCache?: PageCache;
  /** Buffered visit and link-click counting, flushed about every second by `main.ts` (tests flush by hand). */
  visits?: VisitCounter;
}

/** The Hono environment: per-request state set by the middleware. */
export type AppEnv = {
  Variables: {
    deps: AppDeps;
    requestId: string;
    user: UserRow | undefined;
    sessionToken: string | undefined;
    locale: Locale;
    t: Translator;
    csrf: string;
    /** The page rendered by this request, without its frame (for the page cache). */
    pageFragment: PageFragment | undefined;
    /** The folder layouts (`_layout.tsx`) that frame this request's page, outer first. */
    layouts: LayoutFile[] | undefined;
    /** Who is visiting, for counting (see `visitorOf`). */
    visitor: { visitor: string; fingerprint?: string } | undefined;
  };
};

/** A request context of this app. */
export type Ctx = Context<AppEnv>;
