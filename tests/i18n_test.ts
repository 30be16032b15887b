import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { z } from "zod";
import { AppError, errorStatus, fail } from "../lib/errors.ts";
import { issuesToFields } from "../lib/validate.ts";
import {
  CATALOGUES,
  FEATURES,
  labelFor,
  type MessageKey,
  type Msg,
  msg,
  renderStored,
  says,
  storedMessage,
  translator,
} from "../i18n/messages.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Latin words allowed in Chinese text: brands, units, names of formats, API field names quoted to developers. */
const ALLOWED = new Set([
  "English",
  "cream",
  "CSV",
  "XLSX",
  "PDF",
  "PNG",
  "JPEG",
  "WebP",
  "UTF",
  "MB",
  "ID",
  "Top",
  "plan",
  "write",
  "JSON",
  "ShareMall",
  "SKU",
  "QR",
  "Idempotency",
  "Key",
  "cycle",
  "true",
  "false",
  "yes",
  "no",
  "joined",
  "sales",
  "name",
  "asc",
  "desc",
]);

/** English texts that show Chinese on purpose: the language switch, bilingual tags, a search example. */
const EN_WITH_CHINESE = new Set([
  "sku.err.specsCell",
  "nav.language",
  "ops.tag.quality",
  "ops.tag.potential",
  "ops.tag.warning",
  "search.placeholder",
]);

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/u;

/** Latin words (2+ letters) in `text` that are not allowed in zh-CN output. */
function english(text: string): string[] {
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !ALLOWED.has(w));
}

/** What is wrong with one key's texts: zh without Chinese (beyond allowed words), en with Chinese. */
function untranslated(key: string, zh: string, en: string): string[] {
  const problems: string[] = [];
  const zhText = zh.replace(/\{\w+\}/g, "");
  if (english(zhText).length) problems.push(`${key}: zh has English words ${english(zhText)}: ${zh}`);
  if (/[A-Za-z]/.test(zhText) && !CJK.test(zhText) && english(zhText).length) problems.push(`${key}: zh: ${zh}`);
  if (!EN_WITH_CHINESE.has(key) && CJK.test(en.replace(/是\/否/g, ""))) problems.push(`${key}: en has Chinese: ${en}`);
  return problems;
}

Deno.test("every key of every feature catalogue is translated, in one feature only", () => {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const [feature, { zh, en }] of Object.entries(FEATURES)) {
    for (const key of Object.keys(zh)) {
      if (seen.has(key)) problems.push(`${key} is in ${seen.get(key)} and ${feature}`);
      seen.set(key, feature);
      const zhText = (zh as Record<string, string>)[key];
      const enText = (en as Record<string, string>)[key];
      if (typeof enText !== "string") problems.push(`${key}: no English`);
      else problems.push(...untranslated(key, zhText, enText));
    }
    assert.deepEqual(Object.keys(en).sort(), Object.keys(zh).sort(), `${feature}: en has exactly zh's keys`);
  }
  assert.deepEqual(problems, []);
  assert.ok(seen.size > 700);
});

/** Parameters good enough to render a key in both languages: each placeholder of either text gets a number. */
function sampleParams(key: MessageKey): Record<string, string> {
  const text = CATALOGUES["zh-CN"][key] + CATALOGUES.en[key];
  return Object.fromEntries([...text.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], "7"]));
}

Deno.test("every error code and every error, validation and not-found message renders in both languages", () => {
  const zh = translator("zh-CN");
  const en = translator("en");
  const keys = Object.keys(CATALOGUES["zh-CN"]).filter((k) =>
    /^(err|validation|notFound|pricing|csv)\.|\.err\./.test(k)
  ) as MessageKey[];
  assert.ok(keys.length > 150, `${keys.length} error messages`);
  for (const key of keys) {
    const message = { key, params: sampleParams(key) };
    const [z, e] = [zh.msg(message), en.msg(message)];
    assert.deepEqual(untranslated(key, z, e), []);
    assert.doesNotMatch(z + e, /\{\w+\}|@msg:/, `${key}: every parameter is filled`);
  }
  for (const code of Object.keys(errorStatus) as (keyof typeof errorStatus)[]) {
    const err = new AppError(code, msg("err.invalidField", { field: "sort", message: msg("validation.option") }), {
      sort: msg("validation.option"),
    });
    const [z, e] = [err.toJSON(zh), err.toJSON(en)];
    assert.deepEqual(Object.keys(z.error), ["code", "message", "fields"]);
    assert.equal(z.error.code, code);
    assert.match(z.error.message, CJK, code);
    assert.doesNotMatch(e.error.message, CJK, code);
    assert.equal(e.error.fields?.sort, "Invalid option");
  }
  assert.equal(fail.notFound("order").toJSON(zh).error.message, "订单不存在");
  assert.equal(fail.notFound("order").toJSON(en).error.message, "Order not found");
});

/** Every notification kind and stored timeline note, with the parameters its writer stores. */
const STORED: Msg[] = [
  msg("notify.withdrawal_paid.title"),
  msg("notify.withdrawal_paid.body", { net: "95.00" }),
  msg("notify.commission_released.title"),
  msg("notify.commission_released.body", { amount: "12.00", orderId: "42" }),
  msg("notify.commission_released.order", { amount: "12.00", number: "2026120100000042" }),
  msg("notify.sales_drop.title", { name: "林小满" }),
  msg("notify.sales_drop.body", { days: 10, current: "100.00", previous: "300.00", percent: "66.7" }),
  msg("notify.rank_change.title", { rank: labelFor("rank", "gold") }),
  msg("notify.rank_change.promoted", { sales: "2000.00", customers: 3 }),
  msg("notify.rank_change.demoted", { days: 90 }),
  msg("notify.application.approved"),
  msg("notify.application.rejected"),
  msg("notify.login_guessing.title"),
  msg("notify.login_guessing.body", { minutes: 15, failures: 5 }),
  msg("timeline.refundApproved", { id: "1", amount: "10.00" }),
  msg("timeline.exchangeApproved", { id: "1" }),
  msg("timeline.latePaymentRefunded", { paymentId: "9", amount: "10.00" }),
  msg("timeline.expired"),
  msg("timeline.autoDelivered"),
  msg("timeline.windowClosed"),
];

Deno.test("every notification type and timeline note renders in the reader's language", () => {
  const kinds = new Set(STORED.map((m) => m.key.split(".").slice(0, 2).join(".")));
  for (const key of Object.keys(CATALOGUES["zh-CN"]).filter((k) => k.startsWith("notify."))) {
    assert.ok(kinds.has(key.split(".").slice(0, 2).join(".")), `${key}'s notification type is rendered here`);
  }
  for (const message of STORED) {
    const stored = storedMessage(message.key, message.params as never);
    const zh = renderStored("zh-CN", stored);
    const en = renderStored("en", stored);
    assert.deepEqual(untranslated(message.key, zh, en.replace("林小满", "")), []);
    assert.doesNotMatch(zh + en, /\{\w+\}|@msg:/, `${message.key}: every parameter is filled`);
  }
  assert.equal(
    renderStored("en", storedMessage("notify.rank_change.title", { rank: labelFor("rank", "gold") })),
    "Rank changed: Gold",
  );
  assert.equal(renderStored("en", "written by a person"), "written by a person");
});

Deno.test("says() carries a catalogue key through zod; other issues are worded by their code", () => {
  const schema = z.object({ name: z.string().min(1, says("auth.err.nameRequired")), n: z.number().max(3) });
  const fields = issuesToFields(schema.safeParse({ name: "", n: 5 }, { reportInput: true }).error!);
  assert.equal(translator("zh-CN").msg(fields.n), "太大：最多 3");
  assert.deepEqual(fields, {
    name: { key: "auth.err.nameRequired" },
    n: { key: "validation.max", params: { max: "3" } },
  });
});

Deno.test("pages and notifications a person sees are in their language", opts, async () => {
  const app = await createTestApp();
  try {
    const shopper = app.client();
    const user = await shopper.register("i18n@example.com", "小王");
    const sort = await shopper.request("GET", "/?sort=bad");
    const sortPage = await sort.text();
    assert.equal(sort.status, 400);
    assert.doesNotMatch(sortPage, /Invalid sort|Invalid option/);
    assert.match(sortPage, /无效/);
    await app.db.query("UPDATE users SET role = 'distributor' WHERE id = $1", [user.id]);
    const withdraw = await shopper.form(
      "/distributor/earnings/withdraw",
      { amount: "100.00", key: crypto.randomUUID() },
      "/distributor/earnings",
    );
    const withdrawPage = await withdraw.text();
    assert.equal(withdraw.status, 422, `${withdraw.headers.get("location")} ${withdrawPage.slice(0, 300)}`);
    assert.doesNotMatch(withdrawPage, /At most|is available/);
    assert.match(withdrawPage, /可提现余额仅|最多/);
    await app.db.query(
      "INSERT INTO notifications (user_id, kind, priority, title, body) VALUES ($1, 'withdrawal_paid', 'important', $2, $3)",
      [
        user.id,
        storedMessage("notify.withdrawal_paid.title"),
        storedMessage("notify.withdrawal_paid.body", { net: "9.00" }),
      ],
    );
    const zh = await shopper.json<{ items: { title: string }[] }>("GET", "/api/me/notifications", {
      headers: { "accept-language": "zh-CN" },
    });
    assert.equal(zh.body.items[0].title, "提现已到账");
    const en = await shopper.json<{ items: { title: string }[] }>("GET", "/api/me/notifications", {
      headers: { "accept-language": "en" },
    });
    assert.equal(en.body.items[0].title, "Withdrawal paid");
  } finally {
    await app.close();
  }
});
