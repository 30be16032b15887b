/**
 * Issue 11 hardening: body limits while streaming (HTTP and socket.io), the sandbox payment provider
 * only when switched on, and scheme-aware Origin checks and Secure cookies behind trusted proxies.
 */
import assert from "node:assert/strict";
import { io as connect, type Socket } from "socket.io-client";
import { createApp, loadAppRoutes } from "../app.tsx";
import { CryptoBox } from "../lib/crypto_box.ts";
import { createLogger } from "../lib/log.ts";
import { buildIslands } from "../lib/islands_build.ts";
import { loadStaticAssets } from "../lib/static_files.ts";
import { startServer } from "../main.ts";
import { SandboxProvider } from "../services/payment_provider.ts";
import { createShop } from "../services/shop.ts";
import { createTestApp, openTestDb, startTestServer, TEST_ADDRESS, TestClient, testSettings } from "./helpers.ts";
import type { ServeEnv } from "../lib/proxy.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const app = await createTestApp();
const [islands, assets] = await Promise.all([buildIslands(), loadStaticAssets()]);

type ApiError = { error: { code: string; message: string; fields?: Record<string, string> } };

/** A body of `total` bytes made on demand, without a length; `pulled()` says how much was taken. */
function lazyBody(total: number, chunk = 64 * 1024) {
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(0x20));
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => sent };
}

/** The same app over the same database, with other settings, reached from `peer` over node:http's environment. */
async function appWith(overrides: Record<string, string>, peer = "127.0.0.1") {
  const settings = testSettings(overrides);
  const variant = createApp({
    db: app.db,
    settings,
    log: createLogger("silent"),
    islands,
    assets,
    shop: createShop(
      app.db,
      settings.paymentSandbox ? settings.paymentSandboxSecret : null,
      CryptoBox.fromSettings(settings),
    ),
    box: CryptoBox.fromSettings(settings),
  }, await loadAppRoutes());
  const env: ServeEnv = { remoteAddr: { hostname: peer } };
  return {
    fetch: async (req: Request) => await variant.fetch(req, env),
    client: (base = "http://localhost") => new TestClient(async (req) => await variant.fetch(req, env), base),
  };
}

// ---------------------------------------------------------------------------------------------------
// 4. Body limits while streaming

Deno.test(
  "POST /api/auth/login with a 300 MB chunked body (no Content-Length) answers 413 after reading at most the limit",
  opts,
  async () => {
    const body = lazyBody(300 * 1024 * 1024);
    const res = await app.fetch(
      new Request("http://localhost/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost" },
        body: body.stream,
        duplex: "half",
      } as RequestInit),
    );
    const json = await res.json() as ApiError;
    assert.equal(res.status, 413, JSON.stringify(json));
    assert.equal(json.error.code, "payload_too_large");
    assert.ok(json.error.fields?.body, "fields.body names the limit");
    assert.ok(body.pulled() <= 256 * 1024, `read ${body.pulled()} bytes of the body`);
  },
);

Deno.test(
  "POST /api/payments/webhook/sandbox with a chunked body answers 413 past 16 KiB without reading the rest",
  opts,
  async () => {
    const body = lazyBody(50 * 1024 * 1024, 4096);
    const res = await app.fetch(
      new Request("http://localhost/api/payments/webhook/sandbox", {
        method: "POST",
        headers: { "content-type": "application/json", "x-sandbox-signature": "sha256=00" },
        body: body.stream,
        duplex: "half",
      } as RequestInit),
    );
    assert.equal(res.status, 413, await res.clone().text());
    assert.equal((await res.json() as ApiError).error.code, "payload_too_large");
    assert.ok(body.pulled() <= 32 * 1024, `read ${body.pulled()} bytes of the body`);
  },
);

Deno.test("a declared Content-Length over the limit is refused with 413 before anything is read", opts, async () => {
  const body = lazyBody(1024 * 1024);
  const res = await app.fetch(
    new Request("http://localhost/api/auth/register", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": String(1024 * 1024),
        origin: "http://localhost",
      },
      body: body.stream,
      duplex: "half",
    } as RequestInit),
  );
  assert.equal(res.status, 413);
  await res.body?.cancel();
  assert.equal(body.pulled(), 0);
});

Deno.test(
  "over node:http a 200 MB chunked POST answers 413 and the server's memory does not grow with it",
  opts,
  async () => {
    const server = await startTestServer();
    try {
      const before = Deno.memoryUsage().rss;
      const body = lazyBody(200 * 1024 * 1024);
      let status = 0;
      try {
        const res = await fetch(`${server.url}/api/auth/login`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: server.url },
          body: body.stream,
          duplex: "half",
        } as RequestInit);
        status = res.status;
        await res.body?.cancel();
      } catch {
        // The server may close the connection under a body it will not read; the answer was sent first.
        status = 413;
      }
      assert.equal(status, 413);
      const grown = Deno.memoryUsage().rss - before;
      assert.ok(grown < 100 * 1024 * 1024, `rss grew by ${Math.round(grown / 1024 / 1024)} MB`);
      assert.ok(body.pulled() < 200 * 1024 * 1024, "the client could not push the whole body in");
    } finally {
      await server.close();
    }
  },
);

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (err) => reject(err));
  });
}

Deno.test(
  "socket.io closes a connection that sends a message over 16 KiB; small messages still work",
  opts,
  async () => {
    const server = await startTestServer();
    try {
      const socket = connect(server.url, { transports: ["websocket"], reconnection: false, forceNew: true });
      await connected(socket);
      const ok = await socket.timeout(2000).emitWithAck("resume", { lastEventId: 0 });
      assert.equal(ok.ok, true);
      const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
      socket.emit("join", { room: "x".repeat(64 * 1024) });
      const reason = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r("still open"), 3000))]);
      assert.notEqual(reason, "still open");
      socket.close();
    } finally {
      await server.close();
    }
  },
);

// ---------------------------------------------------------------------------------------------------
// 6. The sandbox payment provider only when switched on

Deno.test(
  "with PAYMENT_SANDBOX=off /sandbox/* is 404, the sandbox webhook is refused and an order cannot be marked paid",
  opts,
  async () => {
    const off = await appWith({ PAYMENT_SANDBOX: "off" });
    const admin = off.client();
    assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
    const product = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
      json: {
        name: "Sandbox test",
        category: "home",
        price: "10.00",
        costPrice: "5.00",
        stock: 5,
        lowStockThreshold: 1,
      },
    });
    assert.equal(product.status, 201, JSON.stringify(product.body));
    const buyer = off.client();
    await buyer.register("sandbox-off@example.com", "Buyer");
    const order = await buyer.json<{ order: { id: string } }>("POST", "/api/orders", {
      json: { items: [{ productId: product.body.product.id, quantity: 1 }], address: TEST_ADDRESS },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    assert.equal(order.status, 201);
    const orderId = order.body.order.id;

    // Paying through the sandbox is not on offer, and nothing is opened.
    const pay = await buyer.json<ApiError>("POST", `/api/orders/${orderId}/pay`, { json: { method: "sandbox" } });
    assert.equal(pay.status, 422, JSON.stringify(pay.body));
    const [{ n }] = await app.db.query<{ n: number }>("SELECT count(*)::int AS n FROM payments WHERE order_id = $1", [
      orderId,
    ]);
    assert.equal(n, 0);

    // A payment left over from when the sandbox was on cannot be completed either.
    await app.db.query(
      "INSERT INTO payments (id, order_id, provider, amount, status) SELECT 'pay_left_over', id, 'sandbox', total, 'pending' FROM orders WHERE id = $1",
      [orderId],
    );
    const page = await buyer.request("GET", "/sandbox/pay/pay_left_over");
    assert.equal(page.status, 404);
    await page.body?.cancel();
    const form = await buyer.form("/sandbox/pay/pay_left_over", { outcome: "succeeded" }, "/account");
    assert.equal(form.status, 404);
    await form.body?.cancel();
    const body = JSON.stringify({
      eventId: "evt_off",
      paymentId: "pay_left_over",
      amount: "20.00",
      status: "succeeded",
    });
    const hook = await off.fetch(
      new Request("http://localhost/api/payments/webhook/sandbox", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-sandbox-signature": await new SandboxProvider(app.settings.paymentSandboxSecret).sign(body),
        },
        body,
      }),
    );
    assert.equal(hook.status, 404);
    await hook.body?.cancel();
    const [{ status }] = await app.db.query<{ status: string }>("SELECT status FROM orders WHERE id = $1", [orderId]);
    assert.equal(status, "pending_payment");
  },
);

Deno.test("the start-up log says which payment providers are live", opts, async () => {
  for (const [value, expected] of [["on", ["sandbox"]], ["off", []]] as const) {
    const lines: string[] = [];
    const testDb = await openTestDb();
    const server = await startServer(testSettings({ PAYMENT_SANDBOX: value, LOG_LEVEL: "info" }), {
      db: testDb.db,
      log: createLogger("info", (line) => lines.push(line)),
    });
    await server.close();
    await testDb.close();
    const entry = lines.map((l) => JSON.parse(l)).find((l) => String(l.msg).startsWith("payment providers live"));
    assert.ok(entry, lines.join("\n"));
    assert.deepEqual(entry.providers, expected);
  }
});

// ---------------------------------------------------------------------------------------------------
// 7. Origin and cookies behind a proxy

Deno.test("a state-changing request whose Origin has another scheme or port is refused (403)", opts, async () => {
  for (const origin of ["https://localhost", "http://localhost:8080", "https://localhost:80"]) {
    const res = await app.client().json<ApiError>("POST", "/api/auth/register", {
      json: { email: `scheme-${crypto.randomUUID()}@example.com`, password: "password-123", name: "Scheme" },
      headers: { origin },
    });
    assert.equal(res.status, 403, `${origin}: ${JSON.stringify(res.body)}`);
  }
  const same = await app.client().json("POST", "/api/auth/register", {
    json: { email: "scheme-ok@example.com", password: "password-123", name: "Scheme" },
    headers: { origin: "http://localhost:80" },
  });
  assert.equal(same.status, 201, "the default port counts as given");
});

Deno.test(
  "without TRUST_PROXY, X-Forwarded-Proto is ignored: no Secure cookie and an https Origin is refused",
  opts,
  async () => {
    const direct = await appWith({}, "203.0.113.5");
    const c = direct.client();
    const res = await c.json("POST", "/api/auth/register", {
      json: { email: "noproxy@example.com", password: "password-123", name: "No proxy" },
      headers: { "x-forwarded-proto": "https", "x-forwarded-host": "shop.example", origin: "http://localhost" },
    });
    assert.equal(res.status, 201);
    for (const line of res.headers.getSetCookie()) assert.doesNotMatch(line, /;\s*Secure/i, line);
    const spoofed = await direct.client().json("POST", "/api/auth/login", {
      json: { email: "noproxy@example.com", password: "password-123" },
      headers: { "x-forwarded-proto": "https", "x-forwarded-host": "shop.example", origin: "https://shop.example" },
    });
    assert.equal(spoofed.status, 403);
  },
);

Deno.test(
  "behind a trusted proxy an https request gets Secure cookies and only the https Origin of the forwarded host",
  opts,
  async () => {
    const proxied = await appWith({ TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" }, "10.1.2.3");
    const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "shop.example", host: "internal:8000" };
    const c = proxied.client();
    const page = await c.request("GET", "/login", { headers: forwarded });
    assert.equal(page.status, 200);
    await page.body?.cancel();
    const csrf = page.headers.getSetCookie().find((l) => l.startsWith("csrf="));
    assert.match(csrf ?? "", /;\s*Secure/i);
    const res = await c.json("POST", "/api/auth/register", {
      json: { email: "proxied@example.com", password: "password-123", name: "Proxied" },
      headers: { ...forwarded, origin: "https://shop.example" },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const sid = res.headers.getSetCookie().find((l) => l.startsWith("sid="));
    assert.match(sid ?? "", /;\s*Secure/i);
    assert.match(sid ?? "", /HttpOnly/i);
    for (const origin of ["http://shop.example", "https://internal:8000", "https://evil.example"]) {
      const refused = await proxied.client().json("POST", "/api/auth/login", {
        json: { email: "proxied@example.com", password: "password-123" },
        headers: { ...forwarded, origin },
      });
      assert.equal(refused.status, 403, origin);
    }
    // Plain http through the proxy: no Secure, and the http Origin is the right one.
    const plain = await proxied.client().json("POST", "/api/auth/login", {
      json: { email: "proxied@example.com", password: "password-123" },
      headers: { ...forwarded, "x-forwarded-proto": "http", origin: "http://shop.example" },
    });
    assert.equal(plain.status, 200);
    assert.doesNotMatch(plain.headers.getSetCookie().find((l) => l.startsWith("sid=")) ?? "", /Secure/i);
  },
);

Deno.test("X-Forwarded-* from a peer that is not a listed proxy are ignored", opts, async () => {
  const outsider = await appWith({ TRUST_PROXY: "10.0.0.1" }, "198.51.100.20");
  const res = await outsider.client().json("POST", "/api/auth/register", {
    json: { email: "outsider@example.com", password: "password-123", name: "Outsider" },
    headers: { "x-forwarded-proto": "https", "x-forwarded-host": "shop.example", origin: "https://shop.example" },
  });
  assert.equal(res.status, 403);
});

Deno.test("the socket.io handshake refuses an Origin with another scheme", opts, async () => {
  const server = await startTestServer();
  try {
    const socket = connect(server.url, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: server.url.replace("http://", "https://") },
    });
    await assert.rejects(connected(socket));
    socket.close();
    const good = connect(server.url, {
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      extraHeaders: { origin: server.url },
    });
    await connected(good);
    good.close();
  } finally {
    await server.close();
  }
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
