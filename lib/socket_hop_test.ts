import assert from "node:assert/strict";
import { forwardToSockets, hopFacts, hopSecret, keepHopOffProxies } from "./socket_hop.ts";

/** A stand-in for the socket server: echoes what reached it, over HTTP and over a WebSocket. */
function upstream() {
  const seen: Record<string, string>[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const headers = Object.fromEntries(req.headers);
    seen.push(headers);
    if (req.headers.get("upgrade") === "websocket") {
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.binaryType = "arraybuffer";
      socket.onopen = () => socket.send(JSON.stringify({ cookie: headers.cookie, peer: headers["x-shop-peer"] }));
      socket.onmessage = (e) => socket.send(typeof e.data === "string" ? `echo:${e.data}` : e.data);
      return response;
    }
    // A compressed answer (as engine.io gives one that asked for gzip) must not reach the client unpacked
    // but still labelled.
    return Response.json({ method: req.method, body: await req.text(), headers }, {
      headers: req.headers.get("accept-encoding") === "identity" ? {} : { "content-encoding": "gzip" },
    });
  });
  return { server, seen };
}

/** The front: every request goes through the hop, as `lib/front.ts` passes `/socket.io/`. */
function front(port: number, secret: string) {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => forwardToSockets(req, info.remoteAddr.hostname, { port, secret }, 1024),
  );
}

Deno.test("the hop carries the client's facts with its secret and drops ones a client forged", async () => {
  const up = upstream();
  const secret = hopSecret();
  const fr = front(up.server.addr.port, secret);
  try {
    const res = await fetch(`http://127.0.0.1:${fr.addr.port}/socket.io/?EIO=4&transport=polling`, {
      method: "POST",
      headers: {
        cookie: "sid=abc",
        origin: "http://shop.example",
        "x-shop-hop": "forged",
        "x-shop-peer": "6.6.6.6",
        "x-shop-host": "evil.example",
      },
      body: "40",
    });
    const echoed = await res.json();
    assert.equal(res.status, 200);
    assert.equal(echoed.method, "POST");
    assert.equal(echoed.body, "40");
    assert.equal(echoed.headers.cookie, "sid=abc");
    assert.equal(echoed.headers.origin, "http://shop.example");
    assert.equal(echoed.headers["x-shop-hop"], secret);
    assert.equal(echoed.headers["x-shop-peer"], "127.0.0.1");
    assert.equal(echoed.headers["x-shop-host"], `127.0.0.1:${fr.addr.port}`);
    assert.equal(echoed.headers["accept-encoding"], "identity", "uncompressed upstream");
    assert.equal(res.headers.get("content-encoding"), null);

    const facts = hopFacts(echoed.headers, secret)!;
    assert.equal(facts.peer, "127.0.0.1");
    assert.equal(facts.header("host"), `127.0.0.1:${fr.addr.port}`);
    assert.equal(facts.header("origin"), "http://shop.example");
    // Without this process's secret nothing is believed.
    assert.equal(hopFacts({ ...echoed.headers, "x-shop-hop": "other" }, secret), null);
    assert.equal(hopFacts({ "x-shop-peer": "1.2.3.4" }, secret), null);
  } finally {
    await fr.shutdown();
    await up.server.shutdown();
  }
});

Deno.test("a WebSocket is bridged frame by frame, both ways, text and binary, and closes both ends", async () => {
  const up = upstream();
  const fr = front(up.server.addr.port, hopSecret());
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${fr.addr.port}/socket.io/?EIO=4&transport=websocket`, {
      headers: { cookie: "sid=xyz" },
    } as unknown as string[]);
    ws.binaryType = "arraybuffer";
    const received: (string | ArrayBuffer)[] = [];
    let wake = () => {};
    ws.onmessage = (e) => (received.push(e.data), wake());
    const next = async () => {
      while (!received.length) await new Promise<void>((r) => (wake = r));
      return received.shift()!;
    };
    // Sent before either end is open: kept in order and delivered.
    ws.onopen = () => ws.send("2probe");
    const hello = JSON.parse(await next() as string);
    assert.deepEqual(hello, { cookie: "sid=xyz", peer: "127.0.0.1" });
    assert.equal(await next(), "echo:2probe");
    ws.send(new Uint8Array([1, 2, 3]));
    assert.deepEqual([...new Uint8Array(await next() as ArrayBuffer)], [1, 2, 3]);
    const closed = new Promise((r) => (ws.onclose = r));
    ws.close();
    await closed;
  } finally {
    await fr.shutdown();
    await up.server.shutdown();
  }
});

Deno.test("a hop to a socket server that is gone answers 503, not a crash", async () => {
  const gone = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => new Response());
  const port = gone.addr.port;
  await gone.shutdown();
  const fr = front(port, hopSecret());
  try {
    const res = await fetch(`http://127.0.0.1:${fr.addr.port}/socket.io/?EIO=4&transport=polling`);
    assert.equal(res.status, 503);
    const body = await res.json();
    assert.equal(body.error.code, "unavailable");
    assert.equal(body.error.message, "实时更新正在重启，请稍候");
  } finally {
    await fr.shutdown();
  }
});

Deno.test("a frame over the socket message limit closes the bridge (1009) and never reaches the socket server", async () => {
  const up = upstream();
  const fr = front(up.server.addr.port, hopSecret());
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${fr.addr.port}/socket.io/?EIO=4&transport=websocket`);
    const received: string[] = [];
    const closed = new Promise<CloseEvent>((r) => (ws.onclose = r));
    ws.onmessage = (e) => received.push(String(e.data));
    await new Promise((r) => (ws.onopen = r));
    ws.send("x".repeat(2048));
    const event = await closed;
    assert.equal(event.code, 1009);
    assert.ok(!received.some((m) => m.startsWith("echo:")), "the big frame was not passed on");
  } finally {
    await fr.shutdown();
    await up.server.shutdown();
  }
});

Deno.test("an Upgrade header without a WebSocket handshake is passed on as a plain request, not a 500", async () => {
  const up = upstream();
  const fr = front(up.server.addr.port, hopSecret());
  try {
    const res = await fetch(`http://127.0.0.1:${fr.addr.port}/socket.io/?EIO=4&transport=polling`, {
      headers: { upgrade: "websocket" },
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).method, "GET");
  } finally {
    await fr.shutdown();
    await up.server.shutdown();
  }
});

Deno.test("with HTTP_PROXY set, the hop still goes straight to the loopback socket server", async () => {
  const up = upstream();
  const fr = front(up.server.addr.port, hopSecret());
  const saved = ["HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"].map((n) => [n, Deno.env.get(n)] as const);
  // A proxy that is not there: anything sent through it fails.
  Deno.env.set("HTTP_PROXY", "http://127.0.0.1:9");
  Deno.env.set("http_proxy", "http://127.0.0.1:9");
  try {
    keepHopOffProxies();
    assert.match(Deno.env.get("NO_PROXY") ?? "", /127\.0\.0\.1/);
    const res = await fetch(`http://127.0.0.1:${fr.addr.port}/socket.io/?EIO=4&transport=polling`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
    const ws = new WebSocket(`ws://127.0.0.1:${fr.addr.port}/socket.io/?EIO=4&transport=websocket`);
    const first = await new Promise<string>((resolve, reject) => {
      ws.onmessage = (e) => resolve(String(e.data));
      ws.onerror = () => reject(new Error("the bridge went through the proxy"));
    });
    assert.match(first, /"peer":"127.0.0.1"/);
    const closed = new Promise((r) => (ws.onclose = r));
    ws.close();
    await closed;
  } finally {
    for (const [name, value] of saved) value === undefined ? Deno.env.delete(name) : Deno.env.set(name, value);
    await fr.shutdown();
    await up.server.shutdown();
  }
});
