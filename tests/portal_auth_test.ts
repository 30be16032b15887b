import assert from "node:assert/strict";
import { io as connect, type Socket } from "socket.io-client";
import { startTestServer, type TestClient } from "./helpers.ts";
import { SandboxProvider } from "../services/payment_provider.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const address = { name: "张三", phone: "13800001234", line1: "人民路 1 号", city: "上海" };

function socketFor(url: string, client: TestClient, auth?: Record<string, unknown>): Socket {
  return connect(url, {
    transports: ["websocket"],
    extraHeaders: { cookie: client.cookieHeader },
    auth,
    reconnection: false,
    forceNew: true,
  });
}

Deno.test(
  "a distributor never receives another team's events, even by joining or resuming their room",
  opts,
  async () => {
    const server = await startTestServer();
    try {
      const admin = server.client();
      await admin.login("admin@test.example", "admin-password-1");
      const p = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
        json: {
          name: "面霜",
          category: "beauty",
          price: "100.00",
          costPrice: "10.00",
          stock: 100,
          lowStockThreshold: 1,
        },
      });
      const a = server.client();
      const aUser = await a.register("a@example.com", "A");
      const x = server.client();
      const xUser = await x.register("x@example.com", "X");
      const xBuyer = server.client();
      await xBuyer.register("xb@example.com", "XB", { referralCode: xUser.referralCode });

      const socket = socketFor(server.url, a, { lastEventId: 0 });
      const got: { type: string; data: Record<string, unknown> }[] = [];
      socket.on("event", (e) => got.push(e));
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });
      assert.deepEqual(await socket.timeout(2000).emitWithAck("join", { room: `user:${xUser.id}` }), {
        ok: false,
        error: "forbidden",
      });
      assert.deepEqual(await socket.timeout(2000).emitWithAck("join", { room: "managers" }), {
        ok: false,
        error: "forbidden",
      });
      const resumed = await socket.timeout(2000).emitWithAck("resume", { lastEventId: 0, room: `user:${xUser.id}` });
      assert.equal(resumed.ok, true, "resume ignores any room asked for: a socket only ever has its own rooms");

      // X's team buys: sale and commission events go to X only.
      const created = await xBuyer.json<{ order: { id: string } }>("POST", "/api/orders", {
        json: { items: [{ productId: p.body.product.id, quantity: 1 }], address },
        headers: { "idempotency-key": "1" },
      });
      const pay = await xBuyer.json<{ payment: { id: string; amount: string } }>(
        "POST",
        `/api/orders/${created.body.order.id}/pay`,
        { json: { method: "sandbox" } },
      );
      const body = JSON.stringify({
        eventId: "e1",
        paymentId: pay.body.payment.id,
        amount: pay.body.payment.amount,
        status: "succeeded",
      });
      await xBuyer.json("POST", "/api/payments/webhook/sandbox", {
        body,
        headers: {
          "content-type": "application/json",
          "x-sandbox-signature": await new SandboxProvider(server.settings.paymentSandboxSecret).sign(body),
        },
      });
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual(got.filter((e) => e.type === "sale" || e.type === "commission"), []);
      assert.ok(got.every((e) => e.type !== "member_joined" || e.data.uplineId === aUser.id));
      socket.close();

      // Over HTTP, A sees only A's own team and money.
      const team = await a.json<{ members: unknown[] }>("GET", "/api/me/team");
      assert.deepEqual(team.body.members, []);
      const commissions = await a.json<{ items: unknown[] }>("GET", "/api/me/commissions");
      assert.deepEqual(commissions.body.items, []);
      const xLines = await x.json<{ items: { id: string }[] }>("GET", "/api/me/commissions");
      assert.equal(xLines.body.items.length, 1);
      assert.equal((await a.json("GET", "/api/me/statements/1")).status, 404);
      assert.equal((await a.json("GET", `/api/admin/orders`)).status, 403);
    } finally {
      await server.close();
    }
  },
);
