import assert from "node:assert/strict";
import { CryptoBox } from "./crypto_box.ts";

const A = "00".repeat(32);
const B = "11".repeat(32);

Deno.test("CryptoBox seals with a fresh IV each time and opens only untampered values", async () => {
  const box = await CryptoBox.fromHex(A);
  const a = box.seal("110101199001011234");
  const b = box.seal("110101199001011234");
  assert.notEqual(a, b);
  assert.match(a, /^v2:legacy:[0-9a-f]{24}:[0-9a-f]+$/);
  assert.doesNotMatch(a, /1101011990/);
  assert.equal(box.open(a), "110101199001011234");
  const tampered = a.slice(0, -2) + (a.endsWith("0") ? "1" : "0");
  assert.throws(() => box.open(tampered));
  await assert.rejects(CryptoBox.fromHex("short"));
});

Deno.test("CryptoBox opens values under every key of its ring and seals under the current one", () => {
  const old = new CryptoBox([{ id: "k1", hex: A }], "k1");
  const ring = new CryptoBox([{ id: "k1", hex: A }, { id: "k2", hex: B }], "k2");
  const sealed = old.seal("13800001234");
  assert.equal(ring.open(sealed), "13800001234");
  assert.equal(ring.isCurrent(sealed), false);
  assert.equal(ring.isCurrent(ring.seal("x")), true);
  assert.throws(() => new CryptoBox([{ id: "k2", hex: B }], "k2").open(sealed), /key k1 is not in ENCRYPTION_KEYS/);
  assert.throws(() => new CryptoBox([{ id: "k1", hex: A }], "k9"), /no such key/);
});

Deno.test("CryptoBox opens v1 values of earlier versions with the legacy key", async () => {
  // A v1 value as the WebCrypto box of earlier versions wrote it: iv, then ciphertext with its 16-byte tag.
  const key = await crypto.subtle.importKey("raw", new Uint8Array(32), "AES-GCM", false, ["encrypt"]);
  const iv = new Uint8Array(12).fill(7);
  const data = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode("id")),
  );
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  const v1 = `v1:${hex(iv)}:${hex(data)}`;
  assert.equal(new CryptoBox([{ id: "legacy", hex: A }, { id: "k2", hex: B }], "k2").open(v1), "id");
});

Deno.test("look-up hashes are keyed, normalised and differ per key and per kind", () => {
  const ring = new CryptoBox([{ id: "k1", hex: A }, { id: "k2", hex: B }], "k2");
  assert.equal(ring.lookupHash("phone", "138 0000-1234"), ring.lookupHash("phone", "13800001234"));
  assert.notEqual(ring.lookupHash("phone", "13800001234"), ring.lookupHash("name", "13800001234"));
  const [h1, h2] = ring.lookupHashes("phone", "13800001234");
  assert.notEqual(h1, h2);
  assert.equal(h2, ring.lookupHash("phone", "13800001234"));
  assert.equal(ring.lookupHash("name", " 张  三 "), ring.lookupHash("name", "张 三"));
});
