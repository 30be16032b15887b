import type { Db } from "./db.ts";

/** Live (not archived) products whose name matches one of `names`, ignoring case. */
export async function liveProductsNamed(db: Db, names: string[]): Promise<{ id: string; name: string }[]> {
  if (names.length === 0) return [];
  const rows = await db.query<{ id: string; name: string }>(
    `SELECT p.id, p.name FROM products p
      WHERE p.archived_at IS NULL
        AND lower(p.name) IN (SELECT lower(n) FROM jsonb_array_elements_text($1::text::jsonb) AS n)
      ORDER BY p.id`,
    [JSON.stringify(names)],
  );
  return rows.map((r) => ({ id: String(r.id), name: r.name }));
}

/** Keeps a checked import file for its manager until `minutes` from now; expired drafts are dropped. */
export async function saveImportDraft(
  db: Db,
  draft: { tokenHash: string; userId: string; file: Uint8Array; rows: number; minutes: number },
): Promise<Date> {
  await db.query("DELETE FROM product_import_drafts WHERE expires_at < now()");
  const [row] = await db.query<{ expires_at: Date }>(
    `INSERT INTO product_import_drafts (token_hash, user_id, file, rows, expires_at)
     VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5::int)) RETURNING expires_at`,
    [draft.tokenHash, draft.userId, draft.file, draft.rows, draft.minutes],
  );
  return new Date(row.expires_at);
}

/**
 * Takes a manager's unexpired draft out of the table (inside the caller's transaction, so a refused
 * import keeps it and a second click finds nothing). Returns its bytes, or null.
 */
export async function takeImportDraft(db: Db, tokenHash: string, userId: string): Promise<Uint8Array | null> {
  const [row] = await db.query<{ file: Uint8Array }>(
    `DELETE FROM product_import_drafts WHERE token_hash = $1 AND user_id = $2 AND expires_at > now()
     RETURNING file`,
    [tokenHash, userId],
  );
  return row ? new Uint8Array(row.file) : null;
}
