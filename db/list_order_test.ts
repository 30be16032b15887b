import assert from "node:assert/strict";
import { orderByClause } from "./list_order.ts";

const columns = { created: "id", total: "total", paid: { sql: "paid_at", nullable: true as const } };

Deno.test("orderByClause(): the allow-listed column's SQL, its direction, nulls last, and the tiebreak", () => {
  assert.equal(orderByClause(columns, "created", "desc", "id"), "ORDER BY id DESC, id DESC");
  assert.equal(orderByClause(columns, "total", "asc", "id"), "ORDER BY total ASC, id ASC");
  assert.equal(orderByClause(columns, "paid", "desc", "id"), "ORDER BY paid_at DESC NULLS LAST, id DESC");
  assert.equal(orderByClause(columns, "paid", "asc", "o.id"), "ORDER BY paid_at ASC NULLS LAST, o.id ASC");
});

Deno.test("orderByClause(): anything else throws instead of reaching SQL", () => {
  for (const key of ["name", "total; DROP TABLE orders", "__proto__", "constructor", "toString", ""]) {
    assert.throws(() => orderByClause(columns, key as "total", "asc", "id"), /Cannot sort by/);
  }
  assert.throws(() => orderByClause(columns, "total", "up" as "asc", "id"), /not a direction/);
  assert.throws(() => orderByClause(columns, "total", "asc; --" as "asc", "id"), /not a direction/);
});
