/**
 * `deno task simulate`: keeps a running shop busy so live pages move. Each tick registers a
 * member under a random existing referrer, and (once members exist) places and pays an order
 * through the public API and the signed sandbox webhook. Bounded: stops after DURATION seconds
 * or COUNT ticks.
 *
 * Settings: BASE_URL (default http://127.0.0.1:8000), RATE ticks per second (default 1),
 * DURATION seconds (default 300), COUNT (default unlimited), ORDER_SHARE of ticks that order
 * (default 0.7), PAYMENT_SANDBOX_SECRET (as the server's).
 */
import { z } from "zod";
import { SandboxProvider } from "../services/payment_provider.ts";

const env = z.object({
  BASE_URL: z.url().default("http://127.0.0.1:8000"),
  RATE: z.coerce.number().positive().max(200).default(1),
  DURATION: z.coerce.number().positive().max(86400).default(300),
  COUNT: z.coerce.number().int().positive().optional(),
  ORDER_SHARE: z.coerce.number().min(0).max(1).default(0.7),
  PAYMENT_SANDBOX_SECRET: z.string().default("dev-sandbox-secret"),
}).parse(Deno.env.toObject());

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚";
const pick = <T>(list: ArrayLike<T>) => list[Math.floor(Math.random() * list.length)];
const sandbox = new SandboxProvider(env.PAYMENT_SANDBOX_SECRET);
const address = { name: "模拟买家", phone: "13800001234", line1: "模拟路 1 号", city: "上海" };

/** A member this run registered: their session cookie and referral code. */
interface SimMember {
  cookie: string;
  code: string;
}
const members: SimMember[] = [];
const codes: string[] = [];

async function call(
  path: string,
  init: { method?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${env.BASE_URL}${path}`, {
    method: init.method ?? "GET",
    headers: {
      "content-type": "application/json",
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { res, body: text ? JSON.parse(text) : null };
}

const login = await call("/api/auth/login", {
  method: "POST",
  body: { email: "distributor@example.com", password: "demo-distributor-1" },
});
if (login.res.ok) codes.push(login.body.user.referralCode);
// Products with a SKU that has more than a few units left (a product's total may hide SKUs nearly sold out),
// and not in a flash sale (its per-member and stock limits would refuse simulated repeat buyers).
const products = (await call("/api/products?pageSize=100")).body?.items?.filter((
  p: { stock: number; skus?: { stock: number }[]; flashSale?: unknown },
) => !p.flashSale && (p.skus?.length ? p.skus.some((k) => k.stock > 5) : p.stock > 5)) ?? [];

async function registerOne(n: number) {
  const referralCode = codes.length && Math.random() < 0.9 ? pick(codes) : undefined;
  const { res, body } = await call("/api/auth/register", {
    method: "POST",
    body: {
      email: `sim-${runId}-${n}@sim.example`,
      password: "simulated-member-1",
      name: pick(SURNAMES) + pick(GIVEN) + pick(GIVEN),
      referralCode,
    },
  });
  if (!res.ok) throw new Error(`register failed: ${res.status} ${JSON.stringify(body)}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  members.push({ cookie, code: body.user.referralCode });
  codes.push(body.user.referralCode);
}

async function orderOne() {
  const buyer = pick(members);
  const product = pick(products) as { id: string; skus?: { id: string; stock: number }[] };
  // A product sold in several SKUs needs one named: pick one that has stock.
  const skus = (product.skus ?? []).filter((k) => k.stock > 5);
  const skuId = skus.length ? pick(skus).id : undefined;
  const created = await call("/api/orders", {
    method: "POST",
    cookie: buyer.cookie,
    headers: { "idempotency-key": crypto.randomUUID() },
    body: { items: [{ productId: product.id, skuId, quantity: 1 + Math.floor(Math.random() * 2) }], address },
  });
  if (!created.res.ok) throw new Error(`order failed: ${created.res.status} ${JSON.stringify(created.body)}`);
  const pay = await call(`/api/orders/${created.body.order.id}/pay`, {
    method: "POST",
    cookie: buyer.cookie,
    body: { method: "sandbox" },
  });
  const body = JSON.stringify({
    eventId: crypto.randomUUID(),
    paymentId: pay.body.payment.id,
    amount: pay.body.payment.amount,
    status: "succeeded",
  });
  const hook = await call("/api/payments/webhook/sandbox", {
    method: "POST",
    body,
    headers: { "x-sandbox-signature": await sandbox.sign(body) },
  });
  if (!hook.res.ok) throw new Error(`webhook failed: ${hook.res.status} ${JSON.stringify(hook.body)}`);
}

const deadline = Date.now() + env.DURATION * 1000;
const runId = Date.now().toString(36);
let ticks = 0, registered = 0, ordered = 0, failed = 0;
console.log(`Simulating ${env.RATE}/s against ${env.BASE_URL} for ${env.DURATION}s (${products.length} products)`);
while (Date.now() < deadline && (env.COUNT === undefined || ticks < env.COUNT)) {
  const started = Date.now();
  try {
    if (members.length > 0 && products.length > 0 && Math.random() < env.ORDER_SHARE) {
      await orderOne();
      ordered++;
    } else {
      await registerOne(ticks);
      registered++;
    }
  } catch (err) {
    failed++;
    console.error(String(err));
  }
  ticks++;
  const wait = 1000 / env.RATE - (Date.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
console.log(`Done: ${registered} members registered, ${ordered} orders paid, ${failed} failures`);
