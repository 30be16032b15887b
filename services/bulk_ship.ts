import { withRetry } from "../db/retry.ts";
import type { UserRow } from "../db/users_repo.ts";
import { AppError, fail } from "../lib/errors.ts";
import { readCsv } from "../lib/csv.ts";
import { applyOrderEvent } from "./orders.ts";
import type { Shop } from "./shop.ts";
import type { OrderRow } from "../db/orders_repo.ts";

/**
 * Ships many orders from CSV (`number,carrier,trackingNumber`), all or nothing: every line is
 * checked first (known order, status paid, tracking given, the order on no other line of the file)
 * and any bad line refuses the file with its line number and reason.
 */
export async function bulkShip(shop: Shop, manager: UserRow, text: string): Promise<number> {
  const rows = readCsv(text);
  const header = rows.shift();
  const cols = header?.cells.map((c) => c.trim()) ?? [];
  if (!["number", "carrier", "trackingNumber"].every((c) => cols.includes(c))) {
    throw fail.invalid("The first line must name the columns: number, carrier, trackingNumber", {
      file: "Wrong header",
    });
  }
  if (rows.length === 0 || rows.length > 5000) throw fail.invalid("Send 1 to 5,000 orders", { file: "Row count" });
  const at = (row: { cells: string[] }, c: string) => (row.cells[cols.indexOf(c)] ?? "").trim();
  // An order on two lines would be shipped twice (two timeline entries, two events): every such line is refused.
  const linesOf = new Map<string, number[]>();
  for (const row of rows) {
    const number = at(row, "number");
    if (!number) continue;
    const seen = linesOf.get(number);
    if (seen) seen.push(row.line);
    else linesOf.set(number, [row.line]);
  }
  return await withRetry(() =>
    shop.db.transaction(async (tx) => {
      // Every order of the file locked at once, in id order (LOCK_ORDER.md), whatever order the file lists them in.
      const locked = await tx.query<OrderRow>(
        "SELECT * FROM orders WHERE number = ANY(string_to_array($1, ',')) ORDER BY id FOR UPDATE",
        [[...linesOf.keys()].filter((n) => !n.includes(",")).join(",")],
      );
      const byNumber = new Map(locked.map((o) => [o.number, o]));
      const errors: Record<string, string> = {};
      const ready: { order: OrderRow; carrier: string; tracking: string }[] = [];
      for (const row of rows) {
        const lines = linesOf.get(at(row, "number")) ?? [];
        if (lines.length > 1) {
          errors[`line ${row.line}`] = `order "${at(row, "number")}" is on more than one line (lines ${
            lines.join(", ")
          }); list each order once`;
          continue;
        }
        const order = byNumber.get(at(row, "number"));
        const carrier = at(row, "carrier");
        const tracking = at(row, "trackingNumber");
        if (!order) errors[`line ${row.line}`] = `no order numbered "${at(row, "number")}"`;
        else if (order.status !== "paid" && order.status !== "partially_refunded") {
          errors[`line ${row.line}`] = `order is ${order.status}`;
        } else if (!carrier || tracking.length < 4) {
          errors[`line ${row.line}`] = "carrier and tracking number are required";
        } else ready.push({ order, carrier: carrier.slice(0, 60), tracking: tracking.slice(0, 60) });
      }
      if (Object.keys(errors).length) {
        throw new AppError(
          "invalid_input",
          `${Object.keys(errors).length} line(s) are wrong; nothing was shipped`,
          errors,
        );
      }
      for (const { order, carrier, tracking } of ready) {
        await applyOrderEvent(tx, order, "ship", {
          actor: "manager",
          actorId: String(manager.id),
          note: `${carrier} ${tracking}`,
        }, {
          shipped_at: shop.now(),
          carrier,
          tracking_number: tracking,
        });
      }
      return ready.length;
    }), { name: "bulkShip" });
}
