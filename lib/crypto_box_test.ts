import assert from "node:assert/strict";
import { CryptoBox } from "./crypto_box.ts";

Deno.test("CryptoBox seals with a fresh IV each time and opens only untampered values", async () => {
  const box = await CryptoBox.fromHex("00".repeat(32));
  const a = await box.seal("110101199001011234");
  const b = await box.seal("110101199001011234");
  assert.notEqual(a, b);
  assert.doesNotMatch(a, /1101011990/);
  assert.equal(await box.open(a), "110101199001011234");
  const tampered = a.slice(0, -2) + (a.endsWith("0") ? "1" : "0");
  await assert.rejects(box.open(tampered));
  await assert.rejects(CryptoBox.fromHex("short"));
});
