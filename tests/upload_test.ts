/**
 * Multipart uploads (`lib/upload.ts`, on busboy): every limit is a clear 4xx naming it, never a 500.
 * Sent to the bulk-shipping form (a 1 MB file).
 */
import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };
const admin = app.client();
await admin.login("admin@test.example", "admin-password-1");
await (await admin.request("GET", "/admin/orders")).body?.cancel();
const csrf = admin.cookies.get("csrf")!;
const LIMIT = 1024 * 1024;

async function post(body: BodyInit, headers: Record<string, string> = {}) {
  const res = await admin.request("POST", "/admin/orders/ship-csv", { body, headers });
  return { status: res.status, html: await res.text() };
}

function form(fields: Record<string, string> = {}, files: [string, Uint8Array | string][] = []) {
  const f = new FormData();
  f.set("_csrf", csrf);
  for (const [name, value] of Object.entries(fields)) f.append(name, value);
  for (const [name, content] of files) f.append(name, new File([content as BlobPart], `${name}.csv`));
  return f;
}

Deno.test("a well-formed upload reaches the route: its file and fields are read", opts, async () => {
  const res = await post(form({}, [["file", "number,carrier,trackingNumber\nNOPE,SF,SF1234567\n"]]));
  assert.equal(res.status, 400);
  assert.match(res.html, /line 2: no order numbered &quot;NOPE&quot;/);
});

Deno.test(
  "a file over the limit is a 400 naming the limit, whether or not the body declares its length",
  opts,
  async () => {
    // Within the form's envelope, so only the file's own limit stops it.
    const over = await post(form({}, [["file", new Uint8Array(LIMIT + 1000).fill(65)]]));
    assert.equal(over.status, 400);
    assert.match(over.html, /文件过大（上限 1 MB）/);
    // Streamed without a length: reading stops at the body limit.
    const body = await new Response(form({}, [["file", new Uint8Array(3 * LIMIT).fill(65)]])).blob();
    const type = new Response(form()).headers.get("content-type")!;
    const stream = body.stream();
    const chunked = await post(stream, { "content-type": body.type || type });
    assert.equal(chunked.status, 400);
    assert.match(chunked.html, /文件过大（上限 1 MB）/);
  },
);

Deno.test("too many fields, a second file or an overlong field is a 413", opts, async () => {
  const fields: Record<string, string> = {};
  for (let i = 0; i < 30; i++) fields[`f${i}`] = "x";
  const many = await post(form(fields, [["file", "a"]]));
  assert.equal(many.status, 413);
  assert.match(many.html, /上传的表单包含过多字段或文件/);
  const two = await post(form({}, [["file", "a"], ["other", "b"]]));
  assert.equal(two.status, 413);
  const long = await post(form({ note: "x".repeat(70 * 1024) }, [["file", "a"]]));
  assert.equal(long.status, 413);
});

Deno.test("a body that is not a readable multipart form is a 400, never a 500", opts, async () => {
  const bodies: [string, string][] = [
    ["multipart/form-data; boundary=x", "--other\r\nnot a part of this boundary"],
    [
      "multipart/form-data; boundary=x",
      '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
    ],
    ["multipart/form-data; charset=utf-8", "--x\r\n\r\n--x--"],
    ["multipart/form-data; boundary=x", "--x\r\nno header end"],
    ["text/csv", "number,carrier\n"],
  ];
  for (const [type, body] of bodies) {
    const res = await post(body, { "content-type": type });
    assert.equal(res.status, 400, `${type}: ${body}`);
    assert.match(res.html, /无法读取上传的内容/);
  }
});

Deno.test("an upload without the page's token is refused (403)", opts, async () => {
  const f = new FormData();
  f.set("file", new File(["a"], "a.csv"));
  const res = await admin.request("POST", "/admin/orders/ship-csv", { body: f });
  assert.equal(res.status, 403);
  await res.body?.cancel();
});

Deno.test("teardown", opts, async () => {
  await app.close();
});
