/**
 * The fan-out baseline, run as a subprocess (`deno run -A bench/fanout_baseline.ts`): a plain socket.io
 * server on node:http; a connection joins the rooms named in its handshake `auth.rooms`. On the stdin line
 * `go <events.json>` it broadcasts those events (`{ id, type, at: now, data }` to their rooms) as fast as
 * it can and prints `{ "emitStart", "emitEnd" }` (epoch ms). Prints `{ "ready", "url" }` first.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";

const http = createServer();
const io = new Server(http, { serveClient: false });
io.on("connection", (socket) => {
  const rooms = (socket.handshake.auth as { rooms?: unknown }).rooms;
  if (Array.isArray(rooms)) socket.join(rooms.map(String));
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` }));
setTimeout(() => Deno.exit(3), 600_000);

const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
let buf = "";
while (true) {
  const { value, done } = await lines.read();
  if (done) break;
  buf += value;
  const nl = buf.indexOf("\n");
  if (nl < 0) continue;
  const [cmd, file] = buf.slice(0, nl).trim().split(" ");
  buf = buf.slice(nl + 1);
  if (cmd !== "go") continue;
  const events = JSON.parse(await Deno.readTextFile(file)) as {
    id: number;
    type: string;
    rooms: string[];
    data: unknown;
  }[];
  const emitStart = Date.now();
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    io.to(e.rooms).emit("event", { id: e.id, type: e.type, at: new Date().toISOString(), data: e.data });
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 0)); // let the sockets write
  }
  console.log(JSON.stringify({ emitStart, emitEnd: Date.now() }));
}
io.close();
Deno.exit(0);
