import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { findUserByReferralCode } from "../db/users_repo.ts";
import { appendEvent } from "../db/events_repo.ts";
import { userRoom } from "../realtime/rooms.ts";

/**
 * Counts a click on a member's referral link (`?ref=CODE`), with the product when the link
 * points at one; a member's own clicks do not count. Sends a `link_click` event to the owner.
 */
export async function recordReferralVisit(
  db: Db,
  code: string,
  path: string,
  visitor: UserRow | undefined,
): Promise<void> {
  const owner = await findUserByReferralCode(db, code);
  if (!owner || (visitor && String(visitor.id) === String(owner.id))) return;
  const productId = path.match(/^\/products\/(\d{1,18})$/)?.[1] ?? null;
  await db.transaction(async (tx) => {
    await tx.query(
      "INSERT INTO referral_visits (referrer_id, product_id) SELECT $1, $2 WHERE $2::bigint IS NULL OR EXISTS (SELECT 1 FROM products WHERE id = $2::bigint)",
      [owner.id, productId],
    );
    await appendEvent(tx, { type: "link_click", rooms: [userRoom(String(owner.id))], data: { productId } });
  });
}
