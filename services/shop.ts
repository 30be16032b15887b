import type { Db } from "../db/db.ts";
import type { PaymentProvider } from "./payment_provider.ts";
import type { OrderHooks } from "./order_hooks.ts";

/** What the shop's use-cases need: the database, the payment provider, hooks and a clock. */
export interface Shop {
  db: Db;
  payments: PaymentProvider;
  hooks: OrderHooks[];
  now(): Date;
}

/** Runs every registered hook of one kind, in order, inside the caller's transaction. */
export async function runHooks<K extends keyof OrderHooks>(
  shop: Shop,
  kind: K,
  ...args: Parameters<NonNullable<OrderHooks[K]>>
): Promise<void> {
  for (const hooks of shop.hooks) {
    const fn = hooks[kind] as ((...a: unknown[]) => Promise<void>) | undefined;
    if (fn) await fn.apply(hooks, args);
  }
}
