/**
 * The flash sale's buyers, in their own process (`deno run -A bench/flash_client.ts <job.json>`): a pool
 * of workers takes buyers from the queue while the sale lasts; each buyer tries once to order one unit,
 * pay and have the provider confirm it. Prints one JSON line with the outcomes and status counts.
 */
import { SandboxProvider } from "../services/payment_provider.ts";
import { checkout, StatusCounts } from "./harness.ts";

/** What the bench hands the client. */
export interface FlashJob {
  url: string;
  productId: string;
  cookies: string[];
  secret: string;
  seconds: number;
  concurrency: number;
  timeoutMs: number;
}

/** What the client reports. */
export interface FlashResult {
  paid: number;
  outOfStock: number;
  failed: number;
  notStarted: number;
  counts: Record<string, number>;
  /** Milliseconds from the start to the first and last paid order. */
  firstPaidMs: number | null;
  lastPaidMs: number | null;
  elapsedMs: number;
}

const job = JSON.parse(await Deno.readTextFile(Deno.args[0])) as FlashJob;
const provider = new SandboxProvider(job.secret);
const counts = new StatusCounts();
const result: FlashResult = {
  paid: 0,
  outOfStock: 0,
  failed: 0,
  notStarted: 0,
  counts: {},
  firstPaidMs: null,
  lastPaidMs: null,
  elapsedMs: 0,
};
const t0 = performance.now();
const deadline = t0 + job.seconds * 1000;
let next = 0;
await Promise.all(Array.from({ length: Math.min(job.concurrency, job.cookies.length) }, async () => {
  while (next < job.cookies.length && performance.now() < deadline) {
    const cookie = job.cookies[next++];
    const outcome = await checkout(job.url, cookie, job.productId, provider, counts, job.timeoutMs);
    if (outcome === "paid") {
      result.paid++;
      const at = performance.now() - t0;
      result.firstPaidMs ??= at;
      result.lastPaidMs = at;
    } else if (outcome === "out_of_stock") result.outOfStock++;
    else result.failed++;
  }
}));
result.notStarted = job.cookies.length - next;
result.elapsedMs = performance.now() - t0;
result.counts = Object.fromEntries(counts.counts);
console.log(JSON.stringify(result));
