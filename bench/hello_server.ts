/**
 * The ceilings of the page bench, run as a subprocess (`deno run -A bench/hello_server.ts deno|hono`):
 * bare `Deno.serve` answering "hello", or Hono on `Deno.serve` (as the app is served) answering "hello". Prints `{ "ready": true, "url" }`; exits when stdin closes or after 300 s.
 */
import { Hono } from "hono";

const mode = Deno.args[0];
let url: string;
let close: () => Promise<void>;
if (mode === "deno") {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => new Response("hello"));
  url = `http://127.0.0.1:${server.addr.port}`;
  close = () => server.shutdown();
} else if (mode === "hono") {
  const app = new Hono().get("/", (c) => c.text("hello"));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  url = `http://127.0.0.1:${server.addr.port}`;
  close = () => server.shutdown();
} else {
  console.error("usage: hello_server.ts deno|hono");
  Deno.exit(2);
}
const stop = async () => {
  setTimeout(() => Deno.exit(0), 3_000);
  await close().catch(() => {});
  Deno.exit(0);
};
setTimeout(stop, 300_000);
Deno.addSignalListener("SIGTERM", stop);
(async () => {
  for await (const _ of Deno.stdin.readable) { /* ignore input */ }
  stop();
})();
console.log(JSON.stringify({ ready: true, url }));
