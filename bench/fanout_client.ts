/**
 * The fan-out bench's socket.io clients, in their own process (`deno run -A bench/fanout_client.ts <job.json>`).
 * Connects every client (websocket transport, no reconnection), prints `{ "ready", "connected", "failed" }`,
 * records every `event` it receives (id, receive time), and on the stdin line `finish <expected.json>`
 * waits until the stream is quiet, checks each client's ids against the events addressed to its rooms,
 * prints one JSON result line, disconnects and exits.
 */
import { io as connect, type Socket } from "socket.io-client";

/** One client: its cookie (app) or none (baseline), the rooms it is in, and its handshake `auth`. */
export interface FanoutClientSpec {
  cookie?: string;
  rooms: string[];
  auth: Record<string, unknown>;
}

/** What the bench hands the client process. */
export interface FanoutJob {
  url: string;
  clients: FanoutClientSpec[];
  connectConcurrency: number;
  connectTimeoutMs: number;
}

/** What the client process reports. */
export interface FanoutResult {
  connected: number;
  deliveries: number;
  expected: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  clientsWithLoss: number;
  firstReceivedAt: number | null;
  lastReceivedAt: number | null;
  latencyMs: { p50: number; p99: number; max: number };
  disconnects: number;
}

const job = JSON.parse(await Deno.readTextFile(Deno.args[0])) as FanoutJob;
const sockets: (Socket | null)[] = job.clients.map(() => null);
const received: Map<number, number>[] = job.clients.map(() => new Map());
const latencies: number[] = [];
let first: number | null = null;
let last: number | null = null;
let lastEventAt = Date.now();
let disconnects = 0;

async function open(i: number): Promise<boolean> {
  const spec = job.clients[i];
  const socket = connect(job.url, {
    transports: ["websocket"],
    extraHeaders: spec.cookie ? { cookie: spec.cookie } : {},
    auth: spec.auth,
    reconnection: false,
    forceNew: true,
    timeout: job.connectTimeoutMs,
  });
  socket.on("event", (e: { id: number; at: string }) => {
    const now = Date.now();
    first ??= now;
    last = now;
    lastEventAt = now;
    const ids = received[i];
    ids.set(e.id, (ids.get(e.id) ?? 0) + 1);
    latencies.push(now - Date.parse(e.at));
  });
  socket.on("disconnect", () => disconnects++);
  sockets[i] = socket;
  return await new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), job.connectTimeoutMs);
    socket.once("connect", () => (clearTimeout(t), resolve(true)));
    socket.once("connect_error", () => (clearTimeout(t), resolve(false)));
  });
}

let next = 0;
let connected = 0;
await Promise.all(Array.from({ length: job.connectConcurrency }, async () => {
  while (next < job.clients.length) if (await open(next++)) connected++;
}));
// Let the handshake catch-ups finish before the bench starts producing events.
await new Promise((r) => setTimeout(r, 1_000));
disconnects = 0;
console.log(JSON.stringify({ ready: true, connected, failed: job.clients.length - connected }));

function quantile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] : NaN;
}

const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
let buf = "";
while (true) {
  const { value, done } = await lines.read();
  if (done) Deno.exit(0);
  buf += value;
  const nl = buf.indexOf("\n");
  if (nl < 0) continue;
  const [cmd, file] = buf.slice(0, nl).trim().split(" ");
  buf = buf.slice(nl + 1);
  if (cmd !== "finish") continue;
  // Quiet for 2 s (at most 60 s in all): everything that is coming has come.
  const until = Date.now() + 60_000;
  while (Date.now() - lastEventAt < 2_000 && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  const events = JSON.parse(await Deno.readTextFile(file)) as { id: number; rooms: string[] }[];
  let expected = 0, lost = 0, duplicated = 0, unexpected = 0, clientsWithLoss = 0, deliveries = 0;
  job.clients.forEach((spec, i) => {
    const rooms = new Set(spec.rooms);
    const ids = received[i];
    const want = new Set(events.filter((e) => e.rooms.some((r) => rooms.has(r))).map((e) => e.id));
    expected += want.size;
    let missing = 0;
    for (const id of want) if (!ids.has(id)) missing++;
    lost += missing;
    if (missing) clientsWithLoss++;
    for (const [id, n] of ids) {
      deliveries += n;
      if (n > 1) duplicated += n - 1;
      if (!want.has(id)) unexpected += n;
    }
  });
  latencies.sort((a, b) => a - b);
  const result: FanoutResult = {
    connected,
    deliveries,
    expected,
    lost,
    duplicated,
    unexpected,
    clientsWithLoss,
    firstReceivedAt: first,
    lastReceivedAt: last,
    latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: latencies.at(-1) ?? NaN },
    disconnects,
  };
  console.log(JSON.stringify(result));
  for (const s of sockets) s?.disconnect();
  setTimeout(() => Deno.exit(0), 500);
}
