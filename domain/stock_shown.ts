/**
 * What a shop page shows about a product's stock: "in stock", "only N left" at or below the low-stock
 * threshold, or "sold out". Pages never show the exact count above the threshold, so only a change of
 * this value changes a page (and invalidates the kept copies).
 */
export type StockShown = "in_stock" | "sold_out" | `low:${number}`;

/** The stock state shown for `sellable` units with a low-stock `threshold`. */
export function stockShown(sellable: number, threshold: number): StockShown {
  if (sellable <= 0) return "sold_out";
  if (sellable <= threshold) return `low:${sellable}`;
  return "in_stock";
}
