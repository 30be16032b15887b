import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { errorStatus } from "../lib/errors.ts";
import { type MessageKey, renderStored, storedMessage, translateMessage, translator } from "../i18n/messages.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

/** Latin words allowed in Chinese text: names of formats, products and the like. */
const ALLOWED = new Set([
  "English",
  "cream",
  "CSV",
  "XLSX",
  "PDF",
  "ID",
  "Top",
  "plan",
  "write",
  "JSON",
  "ShareMall",
  "QR",
  "MB",
]);

/** Latin words (2+ letters) in `text` that are not allowed in zh-CN output. */
function english(text: string): string[] {
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !ALLOWED.has(w));
}

/** One real message of each error code, as the services throw them. */
const ERRORS: Record<keyof typeof errorStatus, string> = {
  invalid_input: 'Invalid sort: Invalid option: expected one of "popular"|"newest"',
  unauthenticated: "Please log in first",
  forbidden: "Managers only",
  not_found: "Order not found",
  conflict: "The order has no settled payment to refund",
  out_of_stock: 'Only 2 of "面霜" left',
  invalid_transition: "This refund is already approved",
  payload_too_large: "Request body is too large (limit 1048576 bytes)",
  compliance_violation: "The plan breaks the compliance rules: 超过三级",
  amount_mismatch: "Paid amount 10.00 differs from the payment's 12.00",
  idempotency_mismatch: "This Idempotency-Key was already used with a different request; use a new key for a new order",
  unprocessable: "Only ¥0.00 is available",
  rate_limited: "Too many failed logins; try again in 15 minutes",
};

Deno.test("every error code's message reads as Chinese in zh-CN and stays itself in English", () => {
  for (const [code, message] of Object.entries(ERRORS)) {
    const zh = translateMessage("zh-CN", message);
    assert.deepEqual(english(zh), [], `${code}: ${zh}`);
    assert.equal(translateMessage("en", message), message);
  }
  for (
    const message of [
      "This file is not valid CSV: line 12: a quoted field is never closed",
      "This file is not valid CSV: line 3: a quote appears inside a field that does not start with one",
      "This file is not valid CSV: line 3: a closing quote is followed by other characters",
      "This file is not a readable XLSX workbook",
      "The workbook unpacks to more than 32 MB",
      "The upload has too many fields or files",
      "The upload could not be read; choose the file and send it again",
      "The file is too large (limit 2 MB)",
    ]
  ) {
    const zh = translateMessage("zh-CN", message);
    assert.deepEqual(english(zh), [], `${message}: ${zh}`);
  }
  assert.equal(
    translateMessage("zh-CN", "This file is not valid CSV: line 12: a quoted field is never closed"),
    "文件不是有效的 CSV：第 12 行引号没有闭合",
  );
  for (const field of ["At most 0.00", "At least 100.00", "must not contain control characters"]) {
    assert.deepEqual(english(translateMessage("zh-CN", field)), [], field);
  }
});

/** Every notification kind, with the parameters its writer stores. */
const NOTIFICATIONS: [MessageKey, Record<string, string | number | { key: MessageKey }>][] = [
  ["notify.withdrawal_paid.title", {}],
  ["notify.withdrawal_paid.body", { net: "95.00" }],
  ["notify.commission_released.title", {}],
  ["notify.commission_released.body", { amount: "12.00", orderId: "42" }],
  ["notify.sales_drop.title", { name: "林小满" }],
  ["notify.sales_drop.body", { days: 10, current: "100.00", previous: "300.00", percent: "66.7" }],
  ["notify.rank_change.title", { rank: { key: "rank.gold" } }],
  ["notify.rank_change.promoted", { sales: "2000.00", customers: 3 }],
  ["notify.rank_change.demoted", { days: 90 }],
  ["notify.application.approved", {}],
  ["notify.application.rejected", {}],
  ["timeline.refundApproved", { id: "1", amount: "10.00" }],
  ["timeline.exchangeApproved", { id: "1" }],
];

Deno.test("every notification kind and timeline note renders in the reader's language", () => {
  for (const [key, params] of NOTIFICATIONS) {
    const stored = storedMessage(key, params);
    const zh = renderStored("zh-CN", stored);
    const en = renderStored("en", stored);
    assert.deepEqual(english(zh), [], `${key}: ${zh}`);
    assert.doesNotMatch(en.replace("林小满", ""), /[\u4e00-\u9fff]/u, `${key}: ${en}`);
    assert.doesNotMatch(zh + en, /\{\w+\}|@msg:/, `${key}: every parameter is filled`);
  }
  assert.equal(
    renderStored("en", storedMessage("notify.rank_change.title", { rank: { key: "rank.gold" } })),
    "Rank changed: Gold",
  );
});

Deno.test("the zh-CN catalogue has no English words (beyond names of formats)", async () => {
  const source = await Deno.readTextFile(new URL("../i18n/messages.ts", import.meta.url));
  const zhPart = source.slice(0, source.indexOf("export type MessageKey"));
  const keys = [...zhPart.matchAll(/^\s+"([\w.-]+)":/gm)].map((m) => m[1] as MessageKey);
  assert.ok(keys.length > 500);
  const t = translator("zh-CN");
  for (const key of keys) assert.deepEqual(english(t(key).replace(/\{\w+\}/g, "")), [], `${key}: ${t(key)}`);
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
    const zh = await shopper.json<{ items: { title: string }[] }>("GET", "/api/me/notifications");
    assert.equal(zh.body.items[0].title, "提现已到账");
    const en = await shopper.json<{ items: { title: string }[] }>("GET", "/api/me/notifications", {
      headers: { "accept-language": "en" },
    });
    assert.equal(en.body.items[0].title, "Withdrawal paid");
  } finally {
    await app.close();
  }
});
