import type { Db } from "../db/db.ts";
import { appConfig, type Locale } from "../fresh.config.ts";
import { renderStored } from "../i18n/messages.ts";

/** A member's notifications, important first among the unread, with the unread count. */
export async function notificationsOf(db: Db, userId: string, locale: Locale = appConfig.defaultLocale, limit = 50) {
  const rows = await db.query<
    {
      id: string;
      kind: string;
      priority: "important" | "normal";
      title: string;
      body: string;
      read_at: Date | null;
      created_at: Date;
    }
  >(
    `SELECT id, kind, priority, title, body, read_at, created_at FROM notifications WHERE user_id = $1
      ORDER BY (read_at IS NULL) DESC, (priority = 'important') DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  const [{ unread }] = await db.query<{ unread: number }>(
    "SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    [userId],
  );
  return {
    unread,
    items: rows.map((n) => ({
      id: String(n.id),
      kind: n.kind,
      priority: n.priority,
      // Stored as catalogue keys and parameters: rendered in the reader's language.
      title: renderStored(locale, n.title),
      body: renderStored(locale, n.body),
      readAt: n.read_at ? new Date(n.read_at).toISOString() : null,
      createdAt: new Date(n.created_at).toISOString(),
    })),
  };
}

/** Marks all of a member's notifications read (or one, when an id is given). */
export async function markAllRead(db: Db, userId: string, id?: string): Promise<void> {
  await db.query(
    "UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND ($2::bigint IS NULL OR id = $2::bigint)",
    [userId, id ?? null],
  );
}

/** Products my team bought in the last 30 days that are now at or below their low-stock threshold. */
export async function lowStockAlerts(db: Db, userId: string) {
  return await db.query<{ id: string; name: string; sellable: number }>(
    `SELECT DISTINCT p.id, p.name, p.stock - p.reserved AS sellable
       FROM referral_paths rp JOIN orders o ON o.user_id = rp.descendant_id AND o.paid_at >= now() - interval '30 days'
       JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
      WHERE rp.ancestor_id = $1 AND p.stock - p.reserved <= p.low_stock_threshold
      ORDER BY p.id LIMIT 20`,
    [userId],
  );
}
