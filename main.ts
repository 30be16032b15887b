import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { frontHandler } from "./lib/front.ts";
import { hopSecret, keepHopOffProxies } from "./lib/socket_hop.ts";
import { msg, render } from "./i18n/messages.ts";
import { welcomeBanner, type WelcomeFacts } from "./lib/welcome.ts";
import { findUserByEmail } from "./db/users_repo.ts";
import { parseSettings, type Settings, SettingsError } from "./config.ts";
import { type Db, openDb } from "./db/db.ts";
import { migrate } from "./db/migrate.ts";
import { createLogger, flushStdout, type Logger } from "./lib/log.ts";
import { setRetryLogger } from "./db/retry.ts";
import { buildIslands } from "./lib/islands_build.ts";
import { loadStaticAssets } from "./lib/static_files.ts";
import { createApp, loadAppRoutes } from "./app.tsx";
import type { Server as SocketServer } from "socket.io";
import { attachRealtime, sessionSockets } from "./realtime/socket_server.ts";
import { attachPostgresAdapter } from "./realtime/adapter.ts";
import { ensureManager } from "./services/accounts.ts";
import { createShop } from "./services/shop.ts";
import { CryptoBox } from "./lib/crypto_box.ts";
import { localKeyPath, withLocalKey } from "./lib/local_key.ts";
import { rotateKeys } from "./services/key_rotation.ts";
import { Scheduler } from "./services/scheduler.ts";
import { BackupJob, serveBackupControl } from "./services/backup.ts";
import { PageCache, wirePageCache } from "./lib/page_cache.ts";
import { VisitCounter } from "./services/visits.ts";
import { nextCatalogueChange } from "./services/catalogue.ts";
import { appConfig } from "./fresh.config.ts";
import {
  DEMO_DISTRIBUTOR,
  DEMO_MEMBER_PASSWORD,
  demoShopperWithHistory,
  ensureCategories,
  needsDemoData,
  seedDemoData,
} from "./services/demo_data.ts";

/** A running server and the handles to stop it. */
export interface RunningServer {
  url: string;
  db: Db;
  settings: Settings;
  scheduler: Scheduler;
  /** Who to sign in as: the start log's closing block (`welcomeBanner`). */
  welcome: WelcomeFacts;
  /** The shop pages this instance keeps (its `stats` count hits, and hits answered before Hono). */
  pageCache: PageCache;
  close(): Promise<void>;
}

/** Options that tests use to run a server in-process. */
export interface StartOptions {
  /** An already-open database (tests); otherwise opened from the settings. */
  db?: Db;
  log?: Logger;
  /** The socket.io adapter's NOTIFY channel prefix (instances sharing one form a cluster; tests isolate theirs). */
  socketChannel?: string;
  /** Wraps the public port's handler (the bench counts each request's statements this way). */
  wrapHandler?: (handler: Deno.ServeHandler<Deno.NetAddr>) => Deno.ServeHandler<Deno.NetAddr>;
}

/** Advisory lock key held while an instance creates the first manager and the demo data. */
const BOOTSTRAP_LOCK = 727_004;

/**
 * Starts the whole product on one port: opens the database, migrates, seeds demo data when the
 * shop is empty, builds the island bundle, serves pages, `/api`, static files and socket.io.
 */
export async function startServer(given: Settings, options: StartOptions = {}): Promise<RunningServer> {
  const settings = await withLocalKey(given);
  const log = options.log ?? createLogger(settings.LOG_LEVEL);
  setRetryLogger((r) => log.warn("transaction retried", r));
  const started = performance.now();
  const db = options.db ??
    await openDb({ databaseUrl: settings.DATABASE_URL, dataDir: settings.DATA_DIR });
  const applied = await migrate(db);
  if (applied.length) log.info("migrations applied", { versions: applied });
  if (settings.paymentSandbox && !settings.PAYMENT_SANDBOX_SECRET) {
    log.warn("PAYMENT_SANDBOX_SECRET is not set; using the development secret 'dev-sandbox-secret'");
  }

  const box = CryptoBox.fromSettings(settings);
  // The island bundle builds in its own process meanwhile (the demo history keeps this one busy).
  const building = Promise.all([buildIslands(), loadStaticAssets(), loadAppRoutes()]);
  building.catch(() => {}); // awaited below; a failure is reported there

  // One instance at a time creates the first manager and the demo shop: instances may start together.
  const { admin, seeded } = await db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [BOOTSTRAP_LOCK]);
    const admin = await ensureManager(tx, settings.ADMIN_EMAIL, settings.ADMIN_PASSWORD);
    const seeded = settings.DEMO_DATA === "on" && await needsDemoData(tx)
      ? await seedDemoData(tx, appConfig.demo, { box, log })
      : null;
    await ensureCategories(tx);
    return { admin, seeded };
  });
  if (admin.created) {
    log.info("manager account created", {
      email: admin.email,
      ...(admin.password ? { password: admin.password, note: "shown once; change it after logging in" } : {}),
    });
  }
  if (seeded) {
    log.info("demo data created", {
      ...seeded,
      distributor: { email: DEMO_DISTRIBUTOR.email, password: DEMO_DISTRIBUTOR.password },
      memberPassword: DEMO_MEMBER_PASSWORD,
    });
  }

  const [islands, assets, routes] = await building;
  const shop = createShop(db, settings.paymentSandbox ? settings.paymentSandboxSecret : null, box);
  if (settings.paymentSandbox) {
    log.warn("payment providers live: sandbox", {
      providers: ["sandbox"],
      note: "test payments: any buyer can mark an order paid; set PAYMENT_SANDBOX=off for a real shop",
    });
  } else log.info("payment providers live: none", { providers: [], note: "the sandbox is off (PAYMENT_SANDBOX)" });
  if (settings.localEncryptionKey) {
    log.warn("personal data is encrypted with a key generated for this shop", {
      file: settings.DATA_DIR.startsWith("memory://") ? "(memory: this run only)" : localKeyPath(settings.DATA_DIR),
      created: "localKeyCreated" in settings,
      note: "back the file up with the data; instances sharing one PostgreSQL need one key: set ENCRYPTION_KEYS",
    });
  }
  if (box.usesDevelopmentKey) {
    log.warn("personal data is encrypted with the built-in development key (DEV_ENCRYPTION_KEY=allow)", {
      note: "set ENCRYPTION_KEYS and ENCRYPTION_KEY_ID for a real shop",
    });
  }
  // Ending a session closes its sockets; socket.io is attached below, once the HTTP server exists.
  const realtime: { io?: SocketServer } = {};
  // Shop pages from memory, invalidated by the outbox events this instance dispatches (wired below).
  const pageCache = new PageCache({ ...appConfig.pageCache, nextChange: () => nextCatalogueChange(db) });
  const visits = new VisitCounter(db, log);
  const app = createApp({
    db,
    settings,
    log,
    islands,
    assets,
    shop,
    box,
    sessionSockets: sessionSockets(() => realtime.io),
    pageCache,
    visits,
  }, routes);
  const scheduler = new Scheduler(shop, log);
  // socket.io keeps a node:http server of its own on a loopback port; the public port's front passes
  // `/socket.io/` to it (lib/socket_hop.ts), answers kept anonymous pages itself and the rest with Hono.
  const sockets = createServer((_req, res) => res.writeHead(404).end());
  keepHopOffProxies();
  const hop = { port: 0, secret: hopSecret() };
  const { io, dispatcher } = attachRealtime(sockets, {
    db,
    log,
    trustProxy: settings.trustProxy,
    hopSecret: hop.secret,
  });
  realtime.io = io;
  wirePageCache(pageCache, dispatcher);
  // Several instances may share this PostgreSQL: socket commands (such as closing an ended session's
  // sockets) go to all of them. Embedded PGlite has only ever one instance: the in-memory adapter stays.
  const adapter = settings.DATABASE_URL && db.kind === "postgres"
    ? await attachPostgresAdapter(io, settings.DATABASE_URL, log, { channelPrefix: options.socketChannel })
    : undefined;
  await dispatcher.start();
  scheduler.start();
  // Embedded PGlite on disk: `deno task backup` asks this process for a snapshot through a Unix socket,
  // and BACKUP_EVERY_HOURS writes one on a schedule. PostgreSQL is backed up with pg_dump.
  const onDisk = !options.db && db.kind === "pglite" && !!db.snapshot && !settings.DATA_DIR.startsWith("memory://");
  const backupControl = onDisk ? await serveBackupControl(db, settings.DATA_DIR, log) : undefined;
  const backups = onDisk && settings.BACKUP_EVERY_HOURS > 0
    ? new BackupJob(db, {
      dir: settings.BACKUP_DIR,
      everyHours: settings.BACKUP_EVERY_HOURS,
      keep: settings.BACKUP_KEEP,
    }, log)
    : undefined;
  backups?.start();
  visits.start();
  // Personal data still in clear (from before migration 0018) or under an older key id is sealed under
  // the current key in the background, a few seconds after start (start-up is not slowed), in short
  // batches that never wait for a request's row locks.
  const rotation = new AbortController();
  const rotating = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 3_000);
    rotation.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()));
  }).then(() => rotation.signal.aborted ? undefined : rotateKeys(db, box, { signal: rotation.signal })).then((r) => {
    if (!r) return;
    if (r.users + r.addresses + r.orders) log.info("personal data sealed under the current key", { ...r });
    if (r.remaining) {
      log.warn("some personal data is not under the current key", {
        ...r,
        note: "a key id it was sealed with is missing from ENCRYPTION_KEYS; run deno task rotate-keys with it",
      });
    }
  }, (err) => {
    if (!rotation.signal.aborted) log.error("sealing personal data failed", { error: String(err) });
  });
  await new Promise<void>((resolve, reject) => {
    sockets.once("error", reject);
    sockets.listen(0, "127.0.0.1", () => resolve());
  });
  hop.port = (sockets.address() as AddressInfo).port;
  const handler = frontHandler({
    pages: { cache: pageCache, visits, sessionCookie: appConfig.session.cookieName, trustProxy: settings.trustProxy },
    hop,
    app,
  });
  const front = Deno.serve({
    port: settings.PORT,
    hostname: settings.HOST,
    onListen: () => {},
    onError: (err) => {
      const id = crypto.randomUUID();
      log.error("request failed", { id, error: String(err) });
      const message = render(appConfig.defaultLocale, msg("err.internal", { id }));
      return Response.json({ error: { code: "internal", message } }, { status: 500 });
    },
  }, options.wrapHandler ? options.wrapHandler(handler) : handler);
  const port = front.addr.port;
  const url = `http://${settings.HOST.includes(":") ? `[${settings.HOST}]` : settings.HOST}:${port}`;
  log.info("listening", { url, db: db.kind, startupMs: Math.round(performance.now() - started) });
  const demoShown = settings.DEMO_DATA === "on" && !!(await findUserByEmail(db, DEMO_DISTRIBUTOR.email));
  const welcome: WelcomeFacts = {
    url,
    db: db.kind,
    manager: {
      email: admin.created ? admin.email : settings.ADMIN_EMAIL,
      password: admin.created ? admin.password : undefined,
      createdNow: admin.created,
    },
    demo: demoShown
      ? {
        distributor: { email: DEMO_DISTRIBUTOR.email, password: DEMO_DISTRIBUTOR.password },
        memberEmails: `member1@demo.example … member${appConfig.demo.members}@demo.example`,
        memberPassword: DEMO_MEMBER_PASSWORD,
        shopper: await demoShopperWithHistory(db),
        history: seeded?.history ? { days: seeded.history.days, orders: seeded.history.orders } : undefined,
      }
      : undefined,
  };

  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      rotation.abort();
      await rotating;
      await scheduler.stop();
      await backups?.stop();
      await backupControl?.close();
      await dispatcher.stop();
      await new Promise<void>((resolve) => {
        io.close(() => resolve()); // ends every socket (their bridges close) and the socket server
      });
      await front.shutdown(); // stops accepting and waits for the requests in flight
      await visits.stop(); // writes the visits and clicks counted since the last flush
      await adapter?.close();
      if (!options.db) await db.close();
      log.info("stopped");
    })();
  return { url, db, settings, scheduler, pageCache, welcome, close };
}

if (import.meta.main) {
  let settings: Settings;
  try {
    settings = await withLocalKey(parseSettings(Deno.env.toObject()));
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(err.message);
      Deno.exit(2);
    }
    throw err;
  }
  const server = await startServer(settings);
  if (settings.LOG_LEVEL !== "silent") {
    flushStdout(); // the JSON lines logged so far come first: the block is the last thing on screen
    console.log(`\n${welcomeBanner(server.welcome)}\n`);
  }
  const shutdown = async () => {
    await server.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
}
