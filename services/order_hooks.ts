import type { Db } from "../db/db.ts";
import type { OrderItemRow, OrderRow } from "../db/orders_repo.ts";

/** A refund at the moment it is approved. */
export interface ApprovedRefund {
  id: string;
  order: OrderRow;
  /** Lines returned by this refund: quantity and money. */
  items: { orderItem: OrderItemRow; quantity: number; amount: string }[];
  amount: string;
}

/**
 * The moments other parts of the product (the distribution engine) act on, inside the same
 * transaction as the change: "order paid", "order completed" and "refund approved".
 */
export interface OrderHooks {
  onPaid?(tx: Db, order: OrderRow, items: OrderItemRow[]): Promise<void>;
  onCompleted?(tx: Db, order: OrderRow, items: OrderItemRow[]): Promise<void>;
  onRefundApproved?(tx: Db, refund: ApprovedRefund): Promise<void>;
}
