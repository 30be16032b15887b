import { ProductImg } from "./ProductImg.tsx";

/**
 * A SKU's specs with their axis names ("尺码：L；颜色：蓝"): order lines keep the specs without the product's
 * axis order, so each value says which axis it is. "" for a product's only SKU.
 */
export function specsText(specs: Record<string, string>): string {
  return Object.entries(specs).map(([axis, value]) => `${axis}：${value}`).join("；");
}

/** A line as the checkout's confirm step and the order page show it. */
export interface OrderLineData {
  key: string;
  productId: string;
  name: string;
  specs: Record<string, string>;
  quantity: number;
  /** Null when the line cannot be ordered (off sale): shown without a price. */
  unitPrice: string | null;
  /** Unit price × quantity, before the order's coupon and points. */
  subtotal: string | null;
  /** What the line pays after the coupon and points (shown when it differs from the subtotal). */
  lineTotal: string | null;
  /** A remark under the line (e.g. "2 refunded"). */
  note?: string;
}

/**
 * The lines of an order (or of the order about to be placed): thumbnail, name, SKU spec, unit price × qty and
 * the line's amount, with what it pays after the coupon and points when that differs.
 */
export function OrderLines(
  { lines, unavailable, afterDiscount }: {
    lines: OrderLineData[];
    /** Said of a line that cannot be ordered. */
    unavailable?: string;
    /** "After discounts ¥{amount}", filled in per line. */
    afterDiscount: (amount: string) => string;
  },
) {
  return (
    <ul class="cart-lines order-lines">
      {lines.map((l) => (
        <li key={l.key} class={l.unitPrice === null ? "cart-line line-off" : "cart-line"} data-testid="order-line">
          <ProductImg id={l.productId} size={64} />
          <div class="cart-line-main">
            <a href={`/products/${l.productId}`}>{l.name}</a>
            {Object.keys(l.specs).length > 0 && (
              <span class="sku-specs" data-testid="line-specs">{specsText(l.specs)}</span>
            )}
            <span class="muted">
              {l.unitPrice === null ? unavailable : `¥${l.unitPrice} × ${l.quantity}`}
            </span>
            {l.lineTotal !== null && l.lineTotal !== l.subtotal && (
              <span class="line-paid">{afterDiscount(l.lineTotal)}</span>
            )}
            {l.note && <span class="line-note">{l.note}</span>}
          </div>
          {l.subtotal === null ? <span class="muted">× {l.quantity}</span> : <strong>¥{l.subtotal}</strong>}
        </li>
      ))}
    </ul>
  );
}
