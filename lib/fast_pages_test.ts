import assert from "node:assert/strict";
import { seedDemoData } from "../services/demo_data.ts";
import { startTestServer } from "../tests/helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** The headers a kept page's answer must carry whichever path answered it. */
const SAME = [
  "content-type",
  "cache-control",
  "etag",
  "vary",
  "content-security-policy",
  "x-content-type-options",
  "referrer-policy",
];

async function get(url: string, headers: Record<string, string> = {}, method = "GET") {
  const res = await fetch(url, { method, headers, redirect: "manual" });
  const body = new Uint8Array(await res.arrayBuffer());
  return { res, body, text: new TextDecoder().decode(body) };
}

Deno.test(
  "fastShopPages answers kept anonymous pages before Hono with the chain's headers, cookie and visit",
  opts,
  async () => {
    const server = await startTestServer();
    try {
      await seedDemoData(server.testDb.db, { products: 6, members: 4, minDepth: 2 });
      server.pageCache.invalidate("all");
      const stats = server.pageCache.stats;
      const base = server.url;

      // The first visitor is answered by the chain, which renders and keeps the page.
      const first = await get(`${base}/`);
      assert.equal(first.res.status, 200);
      assert.equal(stats.fast, 0);
      // The next one straight from the kept bytes: the same document and the same headers.
      const second = await get(`${base}/`);
      assert.equal(second.res.status, 200);
      assert.equal(stats.fast, 1);
      assert.equal(second.text, first.text);
      for (const name of SAME) assert.equal(second.res.headers.get(name), first.res.headers.get(name), name);
      assert.ok(second.res.headers.get("x-request-id"));
      const vid = second.res.headers.getSetCookie().find((c) => c.startsWith("vid="));
      assert.match(vid ?? "", /^vid=[\w-]{36}; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/);

      // A returning visitor keeps their id; the visit is counted once per day at the next flush.
      const cookie = vid!.split(";")[0];
      const again = await get(`${base}/`, { cookie });
      assert.equal(again.res.headers.getSetCookie().length, 0);
      assert.equal(stats.fast, 2);
      const visitor = cookie.slice(4);
      let counted = 0;
      for (let i = 0; i < 40 && counted === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const rows = await server.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM daily_visitors WHERE visitor = $1",
          [visitor],
        );
        counted = rows[0].n;
      }
      assert.equal(counted, 1);

      // Compressed, revalidated and HEAD answers.
      const br = await get(`${base}/`, { "accept-encoding": "br, gzip", cookie });
      assert.equal(br.res.headers.get("content-encoding"), "br");
      assert.equal(br.text, first.text); // fetch decodes it
      const etag = first.res.headers.get("etag")!;
      const revalidated = await get(`${base}/`, { "if-none-match": etag, cookie });
      assert.equal(revalidated.res.status, 304);
      assert.equal(revalidated.body.byteLength, 0);
      const head = await get(`${base}/`, { cookie, "accept-encoding": "identity" }, "HEAD");
      assert.equal(head.res.status, 200);
      assert.equal(head.res.headers.get("content-length"), String(new TextEncoder().encode(first.text).byteLength));
      assert.equal(stats.fast, 5);

      // Another language is its own page.
      const en1 = await get(`${base}/`, { cookie: `${cookie}; lang=en` });
      const en2 = await get(`${base}/`, { cookie: `${cookie}; lang=en` });
      assert.equal(en2.text, en1.text);
      assert.notEqual(en1.text, first.text);
      assert.match(en1.text, /<html lang="en"/);

      // Product pages too; a URL not in its canonical form goes down the chain (which may answer from the cache).
      const product = first.text.match(/href="\/products\/(\d+)"/)![1];
      await get(`${base}/products/${product}`);
      const fastBefore = stats.fast;
      const p2 = await get(`${base}/products/${product}`, { cookie });
      assert.equal(p2.res.status, 200);
      assert.equal(stats.fast, fastBefore + 1);
      const tracked = await get(`${base}/?utm_source=poster`, { cookie });
      assert.equal(tracked.text, first.text);
      for (const name of SAME) assert.equal(tracked.res.headers.get(name), first.res.headers.get(name), name);
      assert.equal(stats.fast, fastBefore + 1);

      // A referral link is counted by the chain, never skipped.
      const [owner] = await server.db.query<{ referral_code: string }>(
        "SELECT referral_code FROM users WHERE role = 'distributor' ORDER BY id LIMIT 1",
      );
      const ref = await get(`${base}/?ref=${owner.referral_code}`, { cookie });
      assert.equal(ref.res.status, 200);
      assert.ok(ref.res.headers.getSetCookie().some((c) => c.startsWith("ref=")));
      assert.equal(stats.fast, fastBefore + 1);

      // A signed-in member (any session cookie) is answered by the chain with their own page.
      const member = server.client();
      await member.register("fast@example.com", "Fast");
      const own = await member.request("GET", "/");
      assert.equal(own.status, 200);
      assert.match(await own.text(), /Fast/);
      assert.equal(stats.fast, fastBefore + 1);

      // A change the page shows drops it everywhere: the next visitor gets the new page, rendered again.
      await server.db.query("UPDATE products SET name = name || ' 新款' WHERE id = $1", [product]);
      server.pageCache.invalidate("all");
      const fresh = await get(`${base}/products/${product}`, { cookie });
      assert.match(fresh.text, /新款/);
    } finally {
      await server.close();
    }
  },
);
