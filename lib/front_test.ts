import assert from "node:assert/strict";
import { startTestServer } from "../tests/helpers.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Sends one raw HTTP/1.1 request (fetch would not send an odd Host) and returns the status line and body. */
async function raw(url: string, lines: string[]): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  const conn = await Deno.connect({ hostname, port: Number(port) });
  try {
    await conn.write(new TextEncoder().encode([...lines, "Connection: close", "", ""].join("\r\n")));
    const text = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    return { status: Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1]), text };
  } catch (err) {
    conn.close();
    throw err;
  }
}

Deno.test(
  "the front refuses a Host header that is not a host name (it would change the routed path)",
  opts,
  async () => {
    const server = await startTestServer();
    try {
      for (const host of ["x/socket.io/?EIO=4&transport=polling&", "x/api/health?", "a b", "x\\y"]) {
        const answer = await raw(server.url, ["GET / HTTP/1.1", `Host: ${host}`]);
        assert.equal(answer.status, 400, host);
        assert.match(answer.text, /"code":"invalid_input"/, host);
        assert.doesNotMatch(answer.text, /"sid"/, `${host}: no engine.io handshake`);
      }
      for (const host of ["localhost:8000", "shop.example", "127.0.0.1", "[::1]:8000"]) {
        const answer = await raw(server.url, ["GET /healthz HTTP/1.1", `Host: ${host}`]);
        assert.equal(answer.status, 200, host);
      }
    } finally {
      await server.close();
    }
  },
);
