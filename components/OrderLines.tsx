import type { PictureAttrs } from "./ProductImg.tsx";
import { specsText } from "../domain/catalogue/skus.ts";

/** A line as the checkout's confirm step and the order pages show it. */
export interface OrderLineData {
  key: string;
  productId: string;
  /** Its picture (`productImgAttrs` at 64 px), computed by the server so islands can show lines too. */
  img: PictureAttrs;
  name: string;
  /** The SKU's specs, in the product's axis order. */
  specs: Record<string, string>;
  /** The SKU's code, shown when given (the console). */
  skuCode?: string | null;
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
 * The lines of an order (or of the order about to be placed): thumbnail, name, SKU specs (and code),
 * unit price × qty and the line's amount, with what it pays after the coupon and points when that differs.
 * Pure (no server imports): the live order page's island renders it too.
 */
export function OrderLines(
  { lines, unavailable, afterDiscount, skuCode, href = (id) => `/products/${id}` }: {
    lines: OrderLineData[];
    /** Said of a line that cannot be ordered. */
    unavailable?: string;
    /** "After discounts ¥{amount}", filled in per line. */
    afterDiscount: (amount: string) => string;
    /** "SKU {code}", filled in per line. */
    skuCode?: (code: string) => string;
    /** Where a line's name links to (the product page). */
    href?: (productId: string) => string;
  },
) {
  return (
    <ul class="cart-lines order-lines">
      {lines.map((l) => (
        <li key={l.key} class={l.unitPrice === null ? "cart-line line-off" : "cart-line"} data-testid="order-line">
          <img
            src={l.img.src}
            srcset={l.img.srcset}
            sizes={l.img.sizes}
            alt=""
            width={64}
            height={64}
            loading="lazy"
            decoding="async"
          />
          <div class="cart-line-main">
            <a href={href(l.productId)}>{l.name}</a>
            {Object.keys(l.specs).length > 0 && (
              <span class="sku-specs" data-testid="line-specs">{specsText(l.specs)}</span>
            )}
            {l.skuCode && skuCode && <span class="muted" data-testid="line-sku-code">{skuCode(l.skuCode)}</span>}
            <span class="muted">
              {l.unitPrice === null ? unavailable : `¥${l.unitPrice} × ${l.quantity}`}
            </span>
            {l.lineTotal !== null && l.lineTotal !== l.subtotal && (
              <span class="line-paid">{afterDiscount(l.lineTotal)}</span>
            )}
            {l.note && <span class="line-note" data-testid="line-note">{l.note}</span>}
          </div>
          {l.subtotal === null ? <span class="muted">× {l.quantity}</span> : <strong>¥{l.subtotal}</strong>}
        </li>
      ))}
    </ul>
  );
}
