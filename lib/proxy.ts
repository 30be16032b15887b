/**
 * The request as the client made it, when a TLS-terminating proxy sits in front: the scheme, host and
 * client address come from `X-Forwarded-Proto`, `-Host` and `-For` only when the peer that connected
 * to us is a trusted proxy (`TRUST_PROXY`); from anyone else those headers are ignored.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Ctx } from "./app_env.ts";

/** Which peers are trusted proxies: none, the immediate peer whatever its address, or a list. */
export type TrustProxy =
  | { kind: "none" }
  | { kind: "all" }
  | { kind: "list"; addresses: string[]; networks: { base: number; bits: number }[] };

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** An address in one spelling: lower case, IPv4-mapped IPv6 (`::ffff:10.0.0.1`) as plain IPv4. */
export function normalizeIp(ip: string): string {
  const lower = ip.trim().toLowerCase().replace(/^\[|\]$/g, "");
  const mapped = lower.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  return mapped ? mapped[1] : lower;
}

/**
 * Parses TRUST_PROXY: `off`, `on` (trust the immediate peer: only for a server that proxies alone can
 * reach), or a comma-separated list of addresses and IPv4 networks (`127.0.0.1, 10.0.0.0/8, ::1`).
 * Returns an Error naming the bad entry.
 */
export function parseTrustProxy(value: string): TrustProxy | Error {
  const text = value.trim().toLowerCase();
  if (text === "" || text === "off") return { kind: "none" };
  if (text === "on") return { kind: "all" };
  const addresses: string[] = [];
  const networks: { base: number; bits: number }[] = [];
  for (const raw of text.split(",").map((s) => s.trim()).filter(Boolean)) {
    const cidr = raw.match(/^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/);
    if (cidr) {
      const base = ipv4ToInt(cidr[1]);
      const bits = Number(cidr[2]);
      if (base === undefined || bits > 32) return new Error(`"${raw}" is not an IPv4 network`);
      networks.push({ base, bits });
    } else if (ipv4ToInt(raw) !== undefined || /^[0-9a-f:.]+$/.test(raw) && raw.includes(":")) {
      addresses.push(normalizeIp(raw));
    } else {
      return new Error(`must be off, on, or a list of proxy addresses (bad entry "${raw}")`);
    }
  }
  return { kind: "list", addresses, networks };
}

/** Whether a peer address is a trusted proxy. */
export function isTrustedProxy(trust: TrustProxy, peer: string | undefined): boolean {
  if (trust.kind === "none" || !peer) return false;
  if (trust.kind === "all") return true;
  const ip = normalizeIp(peer);
  if (trust.addresses.includes(ip)) return true;
  const n = ipv4ToInt(ip);
  if (n === undefined) return false;
  return trust.networks.some(({ base, bits }) => {
    const size = 2 ** (32 - bits);
    return Math.floor(n / size) === Math.floor(base / size);
  });
}

/** The request as the client made it. */
export interface ClientView {
  /** `http` or `https`. */
  scheme: "http" | "https";
  /** Host and port as the client addressed them (the Host header, or X-Forwarded-Host from a trusted proxy). */
  host: string | undefined;
  /** The client's address (the peer, or the nearest untrusted hop of X-Forwarded-For behind trusted proxies). */
  ip: string;
}

/** What a connection tells about itself: headers, the peer address and whether it was TLS. */
export interface ConnectionFacts {
  header(name: string): string | undefined | null;
  peer: string | undefined;
  /** The scheme this server received the request on (`https` only when it terminated TLS itself). */
  scheme: "http" | "https";
  /** The host the server saw when there is no Host header (from the request URL). */
  fallbackHost?: string;
}

function lastValue(header: string | undefined | null): string | undefined {
  const values = (header ?? "").split(",").map((v) => v.trim()).filter(Boolean);
  return values[values.length - 1];
}

/**
 * The client's view of a request. Forwarded headers count only when the peer is a trusted proxy;
 * of a list, the value the nearest proxy added (the last) is taken, and the client address is the
 * nearest X-Forwarded-For hop that is not itself a trusted proxy.
 */
export function clientView(facts: ConnectionFacts, trust: TrustProxy): ClientView {
  const direct: ClientView = {
    scheme: facts.scheme,
    host: facts.header("host") ?? facts.fallbackHost,
    ip: facts.peer ? normalizeIp(facts.peer) : "local",
  };
  if (!isTrustedProxy(trust, facts.peer)) return direct;
  const proto = lastValue(facts.header("x-forwarded-proto"))?.toLowerCase();
  const host = lastValue(facts.header("x-forwarded-host"));
  const hops = (facts.header("x-forwarded-for") ?? "").split(",").map((v) => normalizeIp(v)).filter(Boolean);
  let ip = direct.ip;
  for (let i = hops.length - 1; i >= 0; i--) {
    ip = hops[i];
    if (trust.kind === "all" || !isTrustedProxy(trust, hops[i])) break;
  }
  return {
    scheme: proto === "https" || proto === "http" ? proto : direct.scheme,
    host: host && /^[\w.\-:[\]]+$/.test(host) ? host : direct.host,
    ip,
  };
}

/**
 * What the front server passes as Hono's env: `Deno.serve`'s handler info (`lib/front.ts`), whose
 * `remoteAddr` is the connected peer. In-process requests (`app.request`) have none.
 */
export interface ServeEnv {
  remoteAddr?: { hostname?: string };
}

/** The connection facts behind a Hono request. The server speaks plain HTTP; TLS ends at a proxy. */
function connectionOf(c: Ctx): ConnectionFacts {
  const env = c.env as ServeEnv | undefined;
  const url = new URL(c.req.url);
  return {
    header: (name) => c.req.header(name),
    peer: env?.remoteAddr?.hostname,
    scheme: url.protocol === "https:" ? "https" : "http",
    fallbackHost: url.host,
  };
}

/** The client's view of this request, honouring X-Forwarded-* from trusted proxies only. */
export function requestView(c: Ctx): ClientView {
  return clientView(connectionOf(c), c.get("deps").settings.trustProxy);
}

/**
 * Adds `Secure` to every cookie set on a response to an https request (directly, or through a
 * trusted TLS-terminating proxy), so that a session id is never sent back over plain http.
 */
export function secureCookies(): MiddlewareHandler<AppEnv> {
  return async function secureCookies(c, next) {
    await next();
    if (requestView(c).scheme !== "https") return;
    const cookies = c.res.headers.getSetCookie();
    if (!cookies.some((line) => !/;\s*secure\s*(;|$)/i.test(line))) return;
    const secured = cookies.map((line) => (/;\s*secure\s*(;|$)/i.test(line) ? line : `${line}; Secure`));
    try {
      c.res.headers.delete("set-cookie");
      for (const line of secured) c.res.headers.append("set-cookie", line);
    } catch {
      // Immutable headers (a response passed through as is): copy it with the secured cookies.
      const headers = new Headers(c.res.headers);
      headers.delete("set-cookie");
      for (const line of secured) headers.append("set-cookie", line);
      const old = c.res;
      c.res = undefined as unknown as Response; // the setter would copy the old cookies back otherwise
      c.res = new Response(old.body, { status: old.status, statusText: old.statusText, headers });
    }
  };
}
