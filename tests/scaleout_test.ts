/**
 * Several instances on one PostgreSQL: the socket.io PostgreSQL adapter carries socket commands between
 * instances (ending a session closes its sockets everywhere), while the outbox still reaches each socket once.
 */
import assert from "node:assert/strict";
import { io as connect, type Socket } from "socket.io-client";
import { type RunningServer, startServer } from "../main.ts";
import { type Db, openDb } from "../db/db.ts";
import { createLogger } from "../lib/log.ts";
import { sha256Hex } from "../lib/tokens.ts";
import { appConfig } from "../fresh.config.ts";
import { DATABASE_URL, startTestServer, TestClient, testSettings } from "./helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

interface Ev {
  id: number;
  type: string;
  data: Record<string, unknown>;
}

/** One instance, with no DATABASE_URL setting: the default in-memory adapter (as on PGlite). */
const single = await startTestServer();

/** Two instances on one fresh schema of the PostgreSQL under test, each with its own pools. */
interface Cluster {
  a: RunningServer;
  b: RunningServer;
  close(): Promise<void>;
}
let cluster: Cluster | undefined;

async function startCluster(url: string): Promise<Cluster> {
  const schema = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const dbs: Db[] = [
    await openDb({ databaseUrl: url, schema, maxConnections: 5 }),
    await openDb({ databaseUrl: url, schema, maxConnections: 5 }),
  ];
  // A channel of their own, so that other test runs on this database are not in the cluster.
  const options = { log: createLogger("silent"), socketChannel: `socket.io-${schema}` };
  const settings = testSettings({ DATABASE_URL: url });
  // Started together on the empty schema: migrations and the first manager happen exactly once.
  const [a, b] = await Promise.all([
    startServer(settings, { ...options, db: dbs[0] }),
    startServer(settings, { ...options, db: dbs[1] }),
  ]);
  const [managers] = await dbs[0].query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'manager'");
  assert.equal(managers.n, 1);
  return {
    a,
    b,
    async close() {
      await Promise.all([a.close(), b.close()]);
      await dbs[0].exec(`DROP SCHEMA "${schema}" CASCADE`).catch(() => {});
      await Promise.all(dbs.map((db) => db.close()));
    },
  };
}

/** A socket to `url` carrying the client's cookies and `url` as Origin, as a browser tab on that instance. */
function socketFor(url: string, client: TestClient): Socket {
  return connect(url, {
    transports: ["websocket"],
    extraHeaders: { cookie: client.cookieHeader, origin: url },
    reconnection: false,
    forceNew: true,
  });
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (err) => reject(err));
  });
}

/** Connects and waits until the socket is live in its rooms (the `resume` ack comes after the join). */
async function live(socket: Socket): Promise<void> {
  await connected(socket);
  const ack = await socket.timeout(2000).emitWithAck("resume", {});
  assert.equal(ack.ok, true);
}

/** Resolves with the disconnect reason, or rejects after `ms`. */
function disconnectedWithin(socket: Socket, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still connected after ${ms} ms`)), ms);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sessionIdOf(client: TestClient): Promise<string> {
  return await sha256Hex(client.cookies.get(appConfig.session.cookieName)!);
}

Deno.test(
  "logging out on instance A disconnects the member's socket on instance B within 2 s; the outbox reaches B once",
  { ...opts, ignore: !DATABASE_URL },
  async () => {
    cluster = await startCluster(DATABASE_URL!);
    const { a, b } = cluster;
    const onA = new TestClient((req) => fetch(req), a.url);
    const member = await onA.register("scale@example.com", "Scale");
    const other = new TestClient((req) => fetch(req), a.url);
    await other.register("other@example.com", "Other");
    const oldCookies = new Map(onA.cookies);

    const socket = socketFor(b.url, onA);
    const events: Ev[] = [];
    socket.on("event", (e: Ev) => events.push(e));
    const bystander = socketFor(b.url, other);
    await Promise.all([live(socket), live(bystander)]);

    // A member referred on instance A: the event is committed there and B's dispatcher sends it, once.
    await new TestClient((req) => fetch(req), a.url).register("down@example.com", "Down", {
      referralCode: member.referralCode,
    });
    for (let i = 0; i < 60 && events.length === 0; i++) await sleep(50);
    await sleep(500);
    assert.deepEqual(events.map((e) => [e.type, e.data.name]), [["member_joined", "Down"]]);

    const disconnected = disconnectedWithin(socket, 2000);
    assert.equal((await onA.request("POST", "/api/auth/logout")).status, 204);
    assert.equal(await disconnected, "io server disconnect");
    await sleep(200);
    assert.equal(bystander.connected, true, "another member's socket on B stays connected");

    // The ended session's cookie opens only an anonymous socket now, on either instance.
    const stale = new TestClient((req) => fetch(req), b.url);
    stale.cookies = oldCookies;
    const again = socketFor(b.url, stale);
    await connected(again);
    assert.deepEqual(await again.timeout(2000).emitWithAck("join", { room: `user:${member.id}` }), {
      ok: false,
      error: "forbidden",
    });
    again.close();
    bystander.close();
  },
);

Deno.test("logout disconnects the member's socket on the same instance (in-memory adapter)", opts, async () => {
  const member = single.client();
  await member.register("single@example.com", "Single");
  const other = single.client();
  await other.register("single-other@example.com", "Other");
  const socket = socketFor(single.url, member);
  const bystander = socketFor(single.url, other);
  await Promise.all([live(socket), live(bystander)]);

  // The session room is the server's: no client may join it, not even the session's own socket.
  const room = `session:${await sessionIdOf(member)}`;
  assert.deepEqual(await socket.timeout(2000).emitWithAck("join", { room }), { ok: false, error: "forbidden" });
  assert.deepEqual(await bystander.timeout(2000).emitWithAck("join", { room }), { ok: false, error: "forbidden" });

  const disconnected = disconnectedWithin(socket, 2000);
  assert.equal((await member.request("POST", "/api/auth/logout")).status, 204);
  assert.equal(await disconnected, "io server disconnect");
  await sleep(200);
  assert.equal(bystander.connected, true);
  bystander.close();
});

Deno.test("signing in again closes the sockets of the session it replaces", opts, async () => {
  const member = single.client();
  await member.register("rotate@example.com", "Rotate");
  const socket = socketFor(single.url, member);
  await live(socket);
  const disconnected = disconnectedWithin(socket, 2000);
  assert.equal((await member.login("rotate@example.com", "password-123")).status, 200);
  assert.equal(await disconnected, "io server disconnect");
});

Deno.test("a manager demoted to member loses the managers' room at once: their sockets close", opts, async () => {
  const admin = single.client();
  await admin.login("admin@test.example", "admin-password-1");
  const staff = single.client();
  const user = await staff.register("demoted@example.com", "Demoted");
  assert.equal(
    (await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "manager" } })).status,
    200,
  );
  const socket = socketFor(single.url, staff);
  await live(socket);
  assert.deepEqual(await socket.timeout(2000).emitWithAck("join", { room: "managers" }), { ok: true });
  const disconnected = disconnectedWithin(socket, 2000);
  assert.equal(
    (await admin.json("POST", `/api/admin/users/${user.id}/role`, { json: { role: "shopper" } })).status,
    200,
  );
  assert.equal(await disconnected, "io server disconnect");
  const again = socketFor(single.url, staff);
  await connected(again);
  assert.deepEqual(await again.timeout(2000).emitWithAck("join", { room: "managers" }), {
    ok: false,
    error: "forbidden",
  });
  again.close();
});

Deno.test("teardown", opts, async () => {
  await cluster?.close();
  await single.close();
});
