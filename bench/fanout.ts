/**
 * (d) Live fan-out: `clients` socket.io clients (a second process, bench/fanout_client.ts) signed in as
 * distributors (every member of the bench's referral chains) and managers, while buyers of those chains
 * pay orders over HTTP for `seconds`. Baseline: the same clients in the same rooms connected to a plain
 * socket.io server (bench/fanout_baseline.ts) that broadcasts the same events as fast as it can. Goals:
 * deliveries/s ≥ 0.8 × the baseline's, p99 commit-to-client latency (received − event `at`) < 1 s,
 * 0 lost and 0 duplicated event ids per client.
 */
import { allowedRooms } from "../realtime/rooms.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import type { FanoutClientSpec, FanoutJob, FanoutResult } from "./fanout_client.ts";
import {
  check,
  checkout,
  heading,
  log,
  type Member,
  openSetupDb,
  SANDBOX_SECRET,
  scratchDatabase,
  seedShop,
  spawnDeno,
  startApp,
  StatusCounts,
  stopping,
} from "./harness.ts";
import { int, table } from "./stats.ts";

/** Settings of the fan-out section. */
export interface FanoutConfig {
  databaseUrl: string;
  clients: number;
  managers: number;
  seconds: number;
  concurrency: number;
  requestTimeoutMs: number;
  goalRatio: number;
  goalP99Ms: number;
}

interface Run {
  result: FanoutResult;
  /** Deliveries per second from the start of production (first order / first emit) to the last delivery. */
  perSecond: number;
  windowMs: number;
}

async function runClients(
  name: string,
  job: FanoutJob,
  produce: () => Promise<number>,
  expectedFile: () => Promise<string>,
): Promise<Run> {
  const jobFile = await Deno.makeTempFile({ prefix: "bench_fanout_", suffix: ".json" });
  await Deno.writeTextFile(jobFile, JSON.stringify(job));
  const child = spawnDeno(name, "./fanout_client.ts", {}, [jobFile]);
  try {
    const ready = await child.next<{ connected: number; failed: number }>(180_000);
    log(`  ${name}: ${ready.connected} clients connected, ${ready.failed} failed`);
    const start = await produce();
    await child.send(`finish ${await expectedFile()}`);
    const result = await child.next<FanoutResult>(180_000);
    const windowMs = (result.lastReceivedAt ?? start) - start;
    return { result, perSecond: result.deliveries / Math.max(windowMs / 1000, 0.001), windowMs };
  } finally {
    await child.stop();
    await Deno.remove(jobFile).catch(() => {});
  }
}

/** Runs the fan-out section; records its goals. */
export async function benchFanout(cfg: FanoutConfig): Promise<void> {
  heading(`4d. Live fan-out: ${cfg.clients} socket.io clients while orders are paid vs plain socket.io broadcast`);
  const scratch = await scratchDatabase(cfg.databaseUrl, "bench_app");
  const app = await startApp("app", scratch.url, { maxSeconds: 900 });
  const db = await openSetupDb(scratch.url);
  const files: string[] = [];
  try {
    const chains = Math.max(1, Math.floor((cfg.clients - cfg.managers) / 3));
    const data = await seedShop(db, {
      chains,
      buyers: chains,
      managers: cfg.managers,
      spread: 100,
      stock: 1_000_000,
      hotStock: 1_000_000,
    });
    const watchers: Member[] = [...data.distributors, ...data.managers].slice(0, cfg.clients);
    // Event ids on the wire are outbox positions (db/events_repo.ts), not row ids.
    const [{ max }] = await db.query<{ max: string | null }>("SELECT max(pos) AS max FROM event_positions");
    const startId = Number(max ?? 0);
    log(
      `  app ${app.url}; ${chains} chains × 3 distributors + ${cfg.managers} managers = ${watchers.length} clients; ` +
        `${data.buyers.length} buyers pay with ${cfg.concurrency} in flight for ${cfg.seconds} s over 100 products`,
    );

    // 1. The app: clients resume after the last event before the bench's orders.
    const specs = (auth: (m: Member) => Record<string, unknown>, withCookie: boolean): FanoutClientSpec[] =>
      watchers.map((m) => ({
        cookie: withCookie ? m.cookie : undefined,
        rooms: allowedRooms({ id: m.id, role: m.role }),
        auth: auth(m),
      }));
    const provider = new SandboxProvider(SANDBOX_SECRET);
    const counts = new StatusCounts();
    let paid = 0;
    let events: { id: number; type: string; rooms: string[]; data: unknown }[] = [];
    const app_ = await runClients(
      "fanout_client_app",
      {
        url: app.url,
        clients: specs(() => ({ lastEventId: startId }), true),
        connectConcurrency: 50,
        connectTimeoutMs: 30_000,
      },
      async () => {
        const start = Date.now();
        const deadline = performance.now() + cfg.seconds * 1000;
        let n = 0;
        await Promise.all(Array.from({ length: cfg.concurrency }, async () => {
          while (performance.now() < deadline && !stopping.signal.aborted) {
            const i = n++;
            const buyer = data.buyers[i % data.buyers.length];
            const product = data.productIds[i % data.productIds.length];
            if (await checkout(app.url, buyer.cookie, product, provider, counts, cfg.requestTimeoutMs) === "paid") {
              paid++;
            }
          }
        }));
        return start;
      },
      async () => {
        events = (await db.query<{ id: string; type: string; rooms: string[]; data: unknown }>(
          `SELECT p.pos AS id, e.type, e.rooms, e.data FROM event_positions p JOIN events e ON e.id = p.event_id
            WHERE p.pos > $1 ORDER BY p.pos`,
          [startId],
        )).map((e) => ({ ...e, id: Number(e.id) }));
        const file = await Deno.makeTempFile({ prefix: "bench_events_", suffix: ".json" });
        files.push(file);
        await Deno.writeTextFile(file, JSON.stringify(events));
        return file;
      },
    );
    log(
      `  app: ${paid} orders paid (${counts.format()}), ${int(events.length)} events; ${int(app_.result.deliveries)} ` +
        `deliveries in ${(app_.windowMs / 1000).toFixed(1)} s = ${int(app_.perSecond)}/s`,
    );
    await app.stop();

    // 2. The baseline: the same clients and rooms on a plain socket.io server, the same events.
    const baseline = spawnDeno("fanout_baseline", "./fanout_baseline.ts", {});
    let base: Run;
    try {
      const { url } = await baseline.next<{ url: string }>(60_000);
      const eventsFile = files[0];
      base = await runClients(
        "fanout_client_baseline",
        {
          url,
          clients: specs((m) => ({ rooms: allowedRooms({ id: m.id, role: m.role }) }), false),
          connectConcurrency: 50,
          connectTimeoutMs: 30_000,
        },
        async () => {
          await baseline.send(`go ${eventsFile}`);
          const { emitStart, emitEnd } = await baseline.next<{ emitStart: number; emitEnd: number }>(120_000);
          log(`  baseline: emitted ${int(events.length)} events in ${emitEnd - emitStart} ms`);
          return emitStart;
        },
        () => Promise.resolve(eventsFile),
      );
    } finally {
      await baseline.stop();
    }

    const row = (name: string, r: Run) => [
      name,
      int(r.result.connected),
      int(r.result.deliveries),
      int(r.result.expected),
      `${(r.windowMs / 1000).toFixed(2)} s`,
      int(r.perSecond),
      `${r.result.latencyMs.p50} / ${r.result.latencyMs.p99} / ${r.result.latencyMs.max}`,
      String(r.result.lost),
      String(r.result.duplicated),
      String(r.result.unexpected),
    ];
    log("");
    log(table(
      [
        "run",
        "clients",
        "deliveries",
        "expected",
        "window",
        "deliveries/s",
        "latency p50/p99/max ms",
        "lost",
        "dup",
        "unexp.",
      ],
      [row("app (outbox → dispatcher → rooms)", app_), row("plain socket.io broadcast", base)],
    ));
    log(
      "  window: app from the first checkout request to the last delivery (so it includes how fast paid orders produce " +
        "events); baseline from the first emit to the last delivery. Latency = received − event `at`.",
    );
    const s = "d fan-out";
    const ratio = app_.perSecond / base.perSecond;
    check(
      s,
      "deliveries/s vs plain socket.io broadcast",
      `${int(app_.perSecond)}/s vs ${int(base.perSecond)}/s = ${ratio.toFixed(3)}×`,
      `≥ ${cfg.goalRatio}×`,
      ratio >= cfg.goalRatio,
    );
    check(
      s,
      "p99 commit-to-client latency",
      `${app_.result.latencyMs.p99} ms (p50 ${app_.result.latencyMs.p50}, max ${app_.result.latencyMs.max})`,
      `< ${cfg.goalP99Ms} ms`,
      app_.result.latencyMs.p99 < cfg.goalP99Ms,
    );
    check(
      s,
      "lost events (per client, by id)",
      `${app_.result.lost} of ${int(app_.result.expected)} (${app_.result.clientsWithLoss} clients)`,
      "0",
      app_.result.lost === 0 && app_.result.connected === watchers.length,
    );
    check(s, "duplicated events", String(app_.result.duplicated), "0", app_.result.duplicated === 0);
    check(
      s,
      "checkout errors while fanning out",
      `${counts.errors()} (${counts.format()})`,
      "0",
      counts.errors() === 0,
    );
  } finally {
    for (const f of files) await Deno.remove(f).catch(() => {});
    await db.closeNow();
    await app.stop();
    await scratch.drop();
  }
}
