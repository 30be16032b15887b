/**
 * # The socket.io hop
 *
 * The public port is served by `Deno.serve` (`lib/front.ts`): it answers pages many times faster than
 * `node:http`. socket.io, with its postgres adapter, needs a `node:http` server, so it keeps one of its
 * own on a loopback port that only this process knows, and the front passes `/socket.io/` to it:
 * long-polling requests through `fetch`, WebSockets frame by frame through a second WebSocket.
 *
 * The hop carries what the client's connection told the front (its address, the Host it asked for)
 * in `x-shop-*` headers signed with a secret made for this process; the socket server believes them
 * only with that secret (`hopFacts`) and refuses any handshake without it, so nothing reaching the
 * loopback port directly can pose as another client. Headers a client sends under those names are
 * dropped at the front.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ConnectionFacts } from "./proxy.ts";
import { msg, pickLocale, render } from "../i18n/messages.ts";
import { appConfig } from "../fresh.config.ts";

const HOP = "x-shop-hop";
const PEER = "x-shop-peer";
const HOST = "x-shop-host";

/** Where the socket server listens and the secret its hop requests carry. */
export interface SocketHop {
  port: number;
  secret: string;
}

/** A secret for this process's hop. */
export function hopSecret(): string {
  return crypto.randomUUID();
}

/** Headers that belong to one connection (RFC 9110 §7.6.1) or to the WebSocket handshake itself. */
const NOT_FORWARDED = new Set([
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "transfer-encoding",
  "proxy-connection",
  "host",
  "content-length",
  "accept-encoding",
  HOP,
  PEER,
  HOST,
]);

function hopHeaders(req: Request, peer: string | undefined, hop: SocketHop): Record<string, string> {
  const headers: Record<string, string> = {};
  req.headers.forEach((value, name) => {
    if (!NOT_FORWARDED.has(name) && !name.startsWith("sec-websocket-")) headers[name] = value;
  });
  headers[HOP] = hop.secret;
  headers[HOST] = req.headers.get("host") ?? new URL(req.url).host;
  if (peer) headers[PEER] = peer;
  return headers;
}

/** The connection facts of a hop request, or `null` when it does not carry this process's secret. */
export function hopFacts(headers: IncomingHttpHeaders, secret: string): ConnectionFacts | null {
  if (headers[HOP] !== secret) return null;
  const header = (name: string) => {
    const value = headers[name === "host" ? HOST : name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  const peer = headers[PEER];
  return { header, peer: typeof peer === "string" ? peer : undefined, scheme: "http" };
}

function closeQuietly(socket: WebSocket, code?: number): void {
  try {
    if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(code);
  } catch { /* already closing, or a code the socket may not send */ }
}

/** Most frames kept for a side that is not open yet; a client that floods before that is closed. */
const MAX_WAITING = 64;

/**
 * Sends on a socket once it is open, keeping what comes before in order (at most `MAX_WAITING`
 * frames); returns false when the frame could not be kept.
 */
function sender(socket: WebSocket): (data: string | ArrayBuffer) => boolean {
  const waiting: (string | ArrayBuffer)[] = [];
  socket.addEventListener("open", () => {
    for (const data of waiting.splice(0)) socket.send(data);
  });
  return (data) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(data);
    else if (socket.readyState === WebSocket.CONNECTING && waiting.length < MAX_WAITING) waiting.push(data);
    else return false;
    return true;
  };
}

/** Whether a request is a WebSocket handshake that `Deno.upgradeWebSocket` will take. */
function isWebSocketHandshake(req: Request): boolean {
  return req.headers.get("upgrade")?.toLowerCase() === "websocket" &&
    /\bupgrade\b/i.test(req.headers.get("connection") ?? "") &&
    !!req.headers.get("sec-websocket-key");
}

function bridge(req: Request, target: string, headers: Record<string, string>, maxMessageBytes: number): Response {
  let upgraded: { socket: WebSocket; response: Response };
  try {
    upgraded = Deno.upgradeWebSocket(req);
  } catch {
    return new Response(null, { status: 400 }); // a handshake Deno refuses (a bad version or key)
  }
  const { socket: client, response } = upgraded;
  // Deno's WebSocket takes handshake headers (the cookie, the Origin) as a second argument.
  const upstream = new WebSocket(target, { headers } as unknown as string[]);
  client.binaryType = upstream.binaryType = "arraybuffer";
  const toUpstream = sender(upstream);
  const toClient = sender(client);
  const end = (code?: number) => {
    closeQuietly(client, code);
    closeQuietly(upstream);
  };
  // socket.io closes a connection whose message is over its limit; the hop does so before passing it on
  // (Deno reads a whole message before this sees it: its own cap bounds that).
  client.onmessage = (e) => {
    const size = typeof e.data === "string" ? e.data.length : (e.data as ArrayBuffer).byteLength;
    if (size > maxMessageBytes || !toUpstream(e.data)) end(1009);
  };
  upstream.onmessage = (e) => {
    if (!toClient(e.data)) end();
  };
  for (const socket of [client, upstream]) {
    socket.onclose = () => end();
    socket.onerror = () => end();
  }
  return response;
}

function unavailable(req: Request): Response {
  const locale = pickLocale(undefined, req.headers.get("accept-language"));
  return Response.json({ error: { code: "unavailable", message: render(locale, msg("err.liveUnavailable")) } }, {
    status: 503,
  });
}

/**
 * Passes a `/socket.io/` request to the socket server: a WebSocket handshake is bridged frame by frame
 * (frames over `maxMessageBytes` close it), anything else (long polling) goes by `fetch`.
 */
export async function forwardToSockets(
  req: Request,
  peer: string | undefined,
  hop: SocketHop,
  maxMessageBytes = appConfig.http.maxSocketMessageBytes,
): Promise<Response> {
  const url = new URL(req.url);
  const path = `${url.pathname}${url.search}`;
  const headers = hopHeaders(req, peer, hop);
  if (isWebSocketHandshake(req)) return bridge(req, `ws://127.0.0.1:${hop.port}${path}`, headers, maxMessageBytes);
  try {
    const answer = await fetch(`http://127.0.0.1:${hop.port}${path}`, {
      method: req.method,
      // Uncompressed: fetch would otherwise ask for gzip and unpack it, leaving a stale Content-Encoding.
      headers: { ...headers, "accept-encoding": "identity" },
      body: req.method === "GET" || req.method === "HEAD" ? undefined : req.body,
      redirect: "manual",
    });
    const back = new Headers();
    answer.headers.forEach((value, name) => {
      if (!NOT_FORWARDED.has(name) && name !== "content-encoding") back.append(name, value);
    });
    return new Response(answer.body, { status: answer.status, headers: back });
  } catch {
    return unavailable(req);
  }
}

/**
 * Keeps the hop off any HTTP proxy the environment names (`HTTP_PROXY`): Deno's `fetch` and WebSocket
 * would otherwise send loopback requests, with the hop's secret, through it. Adds the loopback
 * addresses to `NO_PROXY`, which both read at each connection.
 */
export function keepHopOffProxies(): void {
  for (const name of ["NO_PROXY", "no_proxy"]) {
    const list = (Deno.env.get(name) ?? "").split(",").map((v) => v.trim()).filter(Boolean);
    for (const loopback of ["127.0.0.1", "localhost"]) if (!list.includes(loopback)) list.push(loopback);
    Deno.env.set(name, list.join(","));
  }
}
