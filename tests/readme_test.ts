import assert from "node:assert/strict";

const opts = { sanitizeOps: false, sanitizeResources: false };
const ROOT = new URL("../", import.meta.url).pathname;

/** The first fenced block of the README: the start command, then the test command. */
async function readmeCommands(): Promise<{ start: string; test: string }> {
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const block = readme.match(/```sh\n([\s\S]*?)```/)![1];
  const lines = block.split("\n").map((l) => l.replace(/#.*$/, "").trim()).filter(Boolean);
  return { start: lines[0], test: lines[1] };
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Runs the README's start command in its own process group; resolves when /healthz answers. */
async function startFromReadme(command: string, env: Record<string, string>, limitMs: number) {
  const started = performance.now();
  const child = new Deno.Command("setsid", {
    args: ["bash", "-c", `exec ${command}`],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output.push(decoder.decode(chunk));
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  let healthy = false;
  while (performance.now() - started < limitMs) {
    try {
      const res = await fetch(`http://127.0.0.1:${env.PORT}/healthz`);
      const body = await res.json();
      if (res.ok && body.status === "ok") {
        healthy = true;
        break;
      }
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  const elapsed = performance.now() - started;
  const stop = async () => {
    try {
      Deno.kill(-child.pid, "SIGTERM");
    } catch { /* already gone */ }
    const status = await child.status;
    await drained;
    return status;
  };
  return { healthy, elapsed, output, stop };
}

Deno.test(
  "the README's start command serves a healthy app with demo data: first start under 60 s, a later one under 10 s, clean shutdown",
  opts,
  async () => {
    const { start, test } = await readmeCommands();
    assert.match(start, /task start$/);
    assert.match(test, /task test$/);
    const dataDir = await Deno.makeTempDir();
    const env = {
      PORT: String(freePort()),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      ADMIN_PASSWORD: "",
      LOG_LEVEL: "info",
    };
    try {
      const first = await startFromReadme(start, env, 60_000);
      let log = "";
      try {
        assert.ok(first.healthy, `not healthy within 60 s: ${first.output.join("")}`);
        const products = await (await fetch(`http://127.0.0.1:${env.PORT}/api/products?pageSize=1`)).json();
        assert.ok(products.total >= 200, "about 200 demo products");
      } finally {
        await first.stop(); // npx itself dies of the signal; the app logs its clean shutdown
        log = first.output.join("");
      }
      assert.match(log, /"msg":"manager account created".*"password":"/, "the manager's password is printed once");
      assert.match(log, /"distributor":\{"email":"distributor@example.com","password":"/);
      assert.match(log, /"msg":"stopped"/, `clean shutdown on SIGTERM: ${log.slice(-1500)}`);

      const second = await startFromReadme(start, env, 10_000);
      try {
        assert.ok(second.healthy, `a later start is not healthy within 10 s: ${second.output.join("")}`);
      } finally {
        await second.stop();
      }
      assert.doesNotMatch(second.output.join(""), /manager account created/);
    } finally {
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
);

Deno.test("a bad setting stops the app with one line naming it", opts, async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main.ts"],
    cwd: ROOT,
    env: { PORT: "eighty", DATABASE_URL: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  assert.equal(out.code, 2);
  assert.equal(stderr.split("\n").length, 1);
  assert.match(stderr, /^Invalid setting PORT: /);
});
