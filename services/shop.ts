import type { Db } from "../db/db.ts";
import { NoPaymentProvider, type PaymentProvider, SandboxProvider } from "./payment_provider.ts";
import type { OrderHooks } from "./order_hooks.ts";
import { distributionHooks } from "./distribution.ts";
import { CryptoBox } from "../lib/crypto_box.ts";

/** What the shop's use-cases need: the database, the payment provider, hooks and a clock. */
export interface Shop {
  db: Db;
  payments: PaymentProvider;
  hooks: OrderHooks[];
  now(): Date;
  /** Seals personal data at rest (delivery addresses) and opens it. */
  box: CryptoBox;
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

/**
 * The shop's services over a database, with the sandbox payment provider (given its webhook secret;
 * `null` when the sandbox is off, and then no provider is live), a clock (the real time unless another
 * is given: the demo history runs the use-cases at its own moments) and the distribution engine hooked
 * into the order moments. `box` seals personal data (the development key when left out: only tools and
 * tests that never hold real data leave it out).
 */
export function createShop(
  db: Db,
  sandboxSecret: string | null,
  box: CryptoBox = CryptoBox.development(),
  now: () => Date = () => new Date(),
): Shop {
  const payments = sandboxSecret === null ? new NoPaymentProvider() : new SandboxProvider(sandboxSecret);
  return { db, payments, hooks: [distributionHooks(now)], now, box };
}
