import assert from "node:assert/strict";
import { io as connect, type Socket } from "socket.io-client";
import { startServer } from "../main.ts";
import { createLogger } from "../lib/log.ts";
import { appendEvent } from "../db/events_repo.ts";
import { openTestDb, startTestServer, TestClient, testSettings } from "./helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

interface Ev {
  id: number;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

function socketFor(url: string, client?: TestClient, auth?: Record<string, unknown>, origin?: string): Socket {
  const headers: Record<string, string> = {};
  if (client?.cookieHeader) headers.cookie = client.cookieHeader;
  if (origin) headers.origin = origin;
  return connect(url, { transports: ["websocket"], extraHeaders: headers, auth, reconnection: false, forceNew: true });
}

/** Collects `event`s; `waitFor(n)` resolves when n have arrived. */
function collect(socket: Socket) {
  const events: Ev[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  socket.on("event", (e: Ev) => {
    events.push(e);
    for (const w of waiters.filter((w) => events.length >= w.n)) w.resolve();
  });
  return {
    events,
    waitFor(n: number, ms = 3000) {
      if (events.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${events.length}/${n} events after ${ms} ms`)), ms);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (err) => reject(err));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("a manager's socket receives member_joined within a second of a registration", opts, async () => {
  const server = await startTestServer();
  try {
    const manager = server.client();
    assert.equal((await manager.login("admin@test.example", "admin-password-1")).status, 200);
    const socket = socketFor(server.url, manager, { lastEventId: null });
    const got = collect(socket);
    await connected(socket);
    await sleep(600); // past the resume grace period: live from now
    const started = performance.now();
    await server.client().register("live1@example.com", "Live One");
    await got.waitFor(1, 1000);
    assert.ok(performance.now() - started < 1000);
    assert.equal(got.events[0].type, "member_joined");
    assert.equal(got.events[0].data.name, "Live One");
    assert.equal(typeof got.events[0].id, "number");
    socket.close();
  } finally {
    await server.close();
  }
});

Deno.test("resume replays missed events in order without duplicates, also across a server restart", opts, async () => {
  const testDb = await openTestDb();
  let server = await startServer(testSettings(), { db: testDb.db, log: createLogger("silent") });
  const port = new URL(server.url).port;
  const clientAt = () => new TestClient((r) => fetch(r), server.url);
  try {
    const manager = clientAt();
    assert.equal((await manager.login("admin@test.example", "admin-password-1")).status, 200);
    let socket = socketFor(server.url, manager, { lastEventId: 0 });
    let got = collect(socket);
    await connected(socket);
    await clientAt().register("r1@example.com", "R1");
    // Replaying from 0 also brings earlier events (the manager's own registration): wait for R1's.
    for (let i = 0; i < 50 && !got.events.some((e) => e.data.name === "R1"); i++) await sleep(50);
    const last = got.events.find((e) => e.data.name === "R1")!.id;
    socket.close();

    // Two registrations while disconnected, then a restart of the server on the same database.
    await clientAt().register("r2@example.com", "R2");
    await clientAt().register("r3@example.com", "R3");
    await server.close();
    server = await startServer(testSettings({ PORT: port }), { db: testDb.db, log: createLogger("silent") });

    socket = socketFor(server.url, manager, { lastEventId: last });
    got = collect(socket);
    await connected(socket);
    await got.waitFor(2);
    assert.deepEqual(got.events.map((e) => e.data.name), ["R2", "R3"]);
    assert.ok(got.events[0].id > last && got.events[1].id > got.events[0].id);

    // And live after the replay, still in order.
    await clientAt().register("r4@example.com", "R4");
    await got.waitFor(3);
    assert.deepEqual(got.events.map((e) => e.data.name), ["R2", "R3", "R4"]);
    await sleep(300);
    assert.equal(got.events.length, 3);
    socket.close();
  } finally {
    await server.close();
    await testDb.close();
  }
});

Deno.test("the resume message replays after lastEventId and acknowledges", opts, async () => {
  const server = await startTestServer();
  try {
    const manager = server.client();
    await manager.login("admin@test.example", "admin-password-1");
    await server.client().register("m1@example.com", "M1");
    await server.client().register("m2@example.com", "M2");
    const socket = socketFor(server.url, manager);
    const got = collect(socket);
    await connected(socket);
    const ack = await socket.timeout(2000).emitWithAck("resume", { lastEventId: 0 });
    assert.equal(ack.ok, true);
    // The replay may begin with earlier events (the manager's own sign-up): wait for the last one asked about.
    const joined = () => got.events.filter((e) => e.type === "member_joined").map((e) => e.data.name);
    for (const until = Date.now() + 3000; !joined().includes("M2") && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(joined().slice(-2), [
      "M1",
      "M2",
    ]);
    const bad = await socket.timeout(2000).emitWithAck("resume", { lastEventId: "x" });
    assert.deepEqual(bad, { ok: false, error: "invalid_input" });
    socket.close();
  } finally {
    await server.close();
  }
});

Deno.test("rooms are authorised: no manager events for shoppers or anonymous sockets, join refused", opts, async () => {
  const server = await startTestServer();
  try {
    const shopper = server.client();
    const me = await shopper.register("s@example.com", "Shopper");
    const shopperSocket = socketFor(server.url, shopper, { lastEventId: 0 });
    const anonSocket = socketFor(server.url, undefined, { lastEventId: 0 });
    const shopperGot = collect(shopperSocket);
    const anonGot = collect(anonSocket);
    await Promise.all([connected(shopperSocket), connected(anonSocket)]);
    assert.deepEqual(await shopperSocket.timeout(2000).emitWithAck("join", { room: "managers" }), {
      ok: false,
      error: "forbidden",
    });
    assert.deepEqual(await shopperSocket.timeout(2000).emitWithAck("join", { room: "user:999" }), {
      ok: false,
      error: "forbidden",
    });
    assert.deepEqual(await anonSocket.timeout(2000).emitWithAck("join", { room: `user:${me.id}` }), {
      ok: false,
      error: "forbidden",
    });
    assert.deepEqual(await shopperSocket.timeout(2000).emitWithAck("join", { room: `user:${me.id}` }), { ok: true });
    await server.client().register("x@example.com", "Stranger");
    // A member referred by the shopper is the shopper's business: it reaches their own room.
    await server.client().register("child@example.com", "Child", { referralCode: me.referralCode });
    await shopperGot.waitFor(1);
    await sleep(300);
    assert.deepEqual(shopperGot.events.map((e) => e.data.name), ["Child"]);
    assert.equal(anonGot.events.length, 0);
    shopperSocket.close();
    anonSocket.close();
  } finally {
    await server.close();
  }
});

Deno.test("a socket handshake from a foreign Origin is refused", opts, async () => {
  const server = await startTestServer();
  try {
    const socket = socketFor(server.url, undefined, undefined, "http://evil.example");
    await assert.rejects(connected(socket));
    socket.close();
  } finally {
    await server.close();
  }
});

Deno.test("an event in a rolled-back transaction is never sent; a committed one is", opts, async () => {
  const server = await startTestServer();
  try {
    const manager = server.client();
    await manager.login("admin@test.example", "admin-password-1");
    const socket = socketFor(server.url, manager, { lastEventId: null });
    const got = collect(socket);
    await connected(socket);
    await sleep(600);
    await assert.rejects(server.db.transaction(async (tx) => {
      await appendEvent(tx, "distributor_joined", { userId: "1" }, ["managers"]);
      throw new Error("roll back");
    }));
    await server.db.transaction((tx) => appendEvent(tx, "distributor_joined", { userId: "2" }, ["managers"]));
    await got.waitFor(1);
    await sleep(300);
    assert.deepEqual(got.events.map((e) => e.data.userId), ["2"]);
    socket.close();
  } finally {
    await server.close();
  }
});
