import assert from "node:assert/strict";
import { clientView, type ConnectionFacts, isTrustedProxy, parseTrustProxy, type TrustProxy } from "./proxy.ts";
import { isSameOrigin } from "./origin.ts";

function facts(peer: string, headers: Record<string, string>, scheme: "http" | "https" = "http"): ConnectionFacts {
  return { header: (name) => headers[name], peer, scheme };
}

Deno.test("parseTrustProxy() reads off, on and lists of addresses and IPv4 networks", () => {
  assert.deepEqual(parseTrustProxy("off"), { kind: "none" });
  assert.deepEqual(parseTrustProxy("ON"), { kind: "all" });
  const list = parseTrustProxy("127.0.0.1, 10.0.0.0/8, ::1") as TrustProxy;
  assert.equal(list.kind, "list");
  assert.ok(isTrustedProxy(list, "10.200.3.4"));
  assert.ok(isTrustedProxy(list, "::ffff:127.0.0.1"), "IPv4-mapped IPv6 is the same address");
  assert.ok(isTrustedProxy(list, "::1"));
  assert.equal(isTrustedProxy(list, "11.0.0.1"), false);
  assert.ok(parseTrustProxy("yes please") instanceof Error);
  assert.ok(parseTrustProxy("10.0.0.0/40") instanceof Error);
});

Deno.test("clientView() ignores forwarded headers unless the peer is a trusted proxy", () => {
  const headers = {
    host: "internal:8000",
    "x-forwarded-proto": "https",
    "x-forwarded-host": "shop.example",
    "x-forwarded-for": "198.51.100.1",
  };
  assert.deepEqual(clientView(facts("203.0.113.9", headers), { kind: "none" }), {
    scheme: "http",
    host: "internal:8000",
    ip: "203.0.113.9",
  });
  const trust = parseTrustProxy("10.0.0.1") as TrustProxy;
  assert.deepEqual(clientView(facts("203.0.113.9", headers), trust).scheme, "http");
  assert.deepEqual(clientView(facts("10.0.0.1", headers), trust), {
    scheme: "https",
    host: "shop.example",
    ip: "198.51.100.1",
  });
});

Deno.test("clientView() takes the client address as the nearest X-Forwarded-For hop that is not a proxy", () => {
  const trust = parseTrustProxy("10.0.0.0/8") as TrustProxy;
  // The client forged the first entry; the proxies appended the rest.
  const headers = { "x-forwarded-for": "1.2.3.4, 198.51.100.7, 10.0.0.5" };
  assert.equal(clientView(facts("10.0.0.1", headers), trust).ip, "198.51.100.7");
  assert.equal(clientView(facts("10.0.0.1", headers), { kind: "all" }).ip, "10.0.0.5");
});

Deno.test("isSameOrigin() compares scheme, host and port", () => {
  assert.ok(isSameOrigin("http://localhost:8000", { scheme: "http", host: "localhost:8000" }));
  assert.ok(isSameOrigin("https://shop.example", { scheme: "https", host: "shop.example:443" }));
  assert.equal(isSameOrigin("https://localhost:8000", { scheme: "http", host: "localhost:8000" }), false);
  assert.equal(isSameOrigin("http://localhost:8001", { scheme: "http", host: "localhost:8000" }), false);
  assert.equal(isSameOrigin("null", { scheme: "http", host: "localhost" }), false);
  assert.equal(isSameOrigin("http://localhost", { scheme: "http", host: undefined }), false);
});
