/**
 * Which lines a checkout takes: the whole cart, the lines ticked on the cart page, or one SKU bought
 * at once from its product page (立即购买), which leaves the cart as it is. The selection travels in the
 * checkout's URL and form: `buy=<skuId>&qty=<n>`, `lines=<skuId>,<skuId>` (or the cart form's repeated
 * `sel=<skuId>` with `pick=1`), or nothing for the whole cart.
 */
import { z } from "zod";
import type { Db } from "../db/db.ts";
import { fail } from "../lib/errors.ts";
import { msg, says } from "../i18n/messages.ts";
import { CART_LIMITS, type CartLine } from "./cart.ts";

/** The lines a checkout takes. */
export type CheckoutSelection =
  | { kind: "cart" }
  | { kind: "lines"; skuIds: string[] }
  | { kind: "buy"; skuId: string; quantity: number };

const id = z.string().regex(/^\d{1,18}$/, says("validation.id"));
const buySchema = z.object({
  buy: id,
  qty: z.coerce.number().int().min(1).max(
    CART_LIMITS.quantity,
    says("cart.err.maxQuantity", { max: CART_LIMITS.quantity }),
  )
    .default(1),
});
const linesSchema = z.array(id).max(CART_LIMITS.lines);

/**
 * Reads a selection from a query or a form (`sel` may repeat). A bad SKU id or quantity is a 400 naming
 * the field; ticking nothing (`pick=1` without `sel`) is a selection of no lines.
 */
export function readSelection(input: { buy?: string; qty?: string; lines?: string; sel?: string[]; pick?: string }) {
  if (input.buy !== undefined) {
    const parsed = buySchema.safeParse({ buy: input.buy, qty: input.qty || undefined });
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path[0] === "buy" ? "buy" : "qty";
      throw fail.invalid("validation.invalid", {}, {
        [field]: msg(field === "buy" ? "validation.id" : "cart.notice.invalid"),
      });
    }
    return { kind: "buy", skuId: parsed.data.buy, quantity: parsed.data.qty } satisfies CheckoutSelection;
  }
  const listed = input.sel?.length || input.pick ? input.sel ?? [] : input.lines?.split(",").filter(Boolean);
  if (!listed) return { kind: "cart" } satisfies CheckoutSelection;
  const parsed = linesSchema.safeParse(listed);
  if (!parsed.success) throw fail.invalid("validation.invalid", {}, { lines: msg("validation.id") });
  return { kind: "lines", skuIds: [...new Set(parsed.data)] } satisfies CheckoutSelection;
}

/** The hidden fields that carry a selection through the checkout form. */
export function selectionFields(s: CheckoutSelection): Record<string, string> {
  if (s.kind === "buy") return { buy: s.skuId, qty: String(s.quantity) };
  if (s.kind === "lines") return { lines: s.skuIds.join(",") };
  return {};
}

/** The checkout URL of a selection (`/checkout`, `/checkout?buy=…&qty=…`, `/checkout?lines=…`). */
export function checkoutPath(s: CheckoutSelection): string {
  const query = new URLSearchParams(selectionFields(s)).toString();
  return query ? `/checkout?${query}` : "/checkout";
}

/**
 * The lines a selection takes from `cart`: all of it, its ticked lines, or the one SKU bought now (a 404
 * when that SKU is unknown or archived; it need not be in the cart, and the cart is not read for it).
 */
export async function selectionLines(db: Db, cart: CartLine[], s: CheckoutSelection): Promise<CartLine[]> {
  if (s.kind === "cart") return cart;
  if (s.kind === "lines") return cart.filter((l) => l.skuId && s.skuIds.includes(l.skuId));
  const [sku] = await db.query<{ product_id: string }>(
    "SELECT product_id::text FROM product_skus WHERE id = $1 AND archived_at IS NULL",
    [s.skuId],
  );
  if (!sku) throw fail.notFound("product");
  return [{ productId: sku.product_id, skuId: s.skuId, quantity: s.quantity }];
}
