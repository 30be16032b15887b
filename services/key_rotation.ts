/**
 * Key rotation for personal data at rest: every sealed value not under the current key id (and every
 * value still in clear from before migration 0018) is sealed again under it, with its look-up hash.
 *
 * Batched and resumable: each batch is one short transaction over rows in id order that still need it,
 * taken with `FOR UPDATE SKIP LOCKED` (it never waits for a row a request holds, and holds no other lock,
 * so it cannot deadlock with the money paths of LOCK_ORDER.md); rows done no longer match, so a run that
 * stops part-way is simply started again. Rows skipped because a request held them are retried in a
 * further pass. Safe while the app runs: requests keep opening values under any key of the ring.
 */
import type { Db } from "../db/db.ts";
import { type DeliveryAddress, sealOrderAddress } from "../db/orders_repo.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { sealAddress } from "./address_book.ts";

/** What a rotation did. */
export interface RotationReport {
  /** Rows sealed again (or sealed for the first time) per table. */
  users: number;
  addresses: number;
  orders: number;
  /** Values that could not be opened (a key missing from the ring); left as they were. */
  failed: number;
  /** Rows still not under the current key at the end (failed ones, or ones held by requests throughout). */
  remaining: number;
}

/** Options of a rotation run. */
export interface RotationOptions {
  /** Rows per transaction (default 200). */
  batchSize?: number;
  /** Full passes over the tables at most (default 3); a later pass picks up rows that were locked. */
  passes?: number;
  /** Stops between batches when aborted (the app shutting down). */
  signal?: AbortSignal;
  /** Told after each batch. */
  progress?: (table: string, done: number) => void;
}

interface Table {
  name: "users" | "addresses" | "orders";
  /** The rows that are not under the current key; `$1` is the current prefix. */
  pending: string;
  columns: string;
  /** New column values for one row (or null when it cannot be opened). */
  reseal(box: CryptoBox, row: Record<string, unknown>): Record<string, string | null> | null;
  update: string;
}

const TABLES: Table[] = [
  {
    name: "users",
    pending: `(phone IS NOT NULL OR (phone_enc IS NOT NULL AND NOT starts_with(phone_enc, $1))
               OR (id_number_enc IS NOT NULL AND NOT starts_with(id_number_enc, $1)))`,
    columns: "id, phone, phone_enc, id_number_enc",
    reseal(box, r) {
      const phone = r.phone_enc ? box.open(String(r.phone_enc)) : (r.phone as string | null);
      const idNumber = r.id_number_enc ? box.open(String(r.id_number_enc)) : null;
      return {
        phone_enc: phone === null ? null : box.seal(phone),
        phone_hash: phone === null ? null : box.lookupHash("phone", phone),
        id_number_enc: idNumber === null ? null : box.seal(idNumber),
      };
    },
    update: `UPDATE users u SET phone = NULL, phone_enc = x.phone_enc, phone_hash = x.phone_hash,
                    id_number_enc = x.id_number_enc
               FROM jsonb_to_recordset($1::text::jsonb) AS x(id bigint, phone_enc text, phone_hash text, id_number_enc text)
              WHERE u.id = x.id`,
  },
  {
    name: "addresses",
    pending: `((data_enc IS NULL AND name IS NOT NULL) OR (data_enc IS NOT NULL AND NOT starts_with(data_enc, $1)))`,
    columns: "id, data_enc, name, phone, line1, city, postcode",
    reseal(box, r) {
      const a = r.data_enc ? box.openJson<DeliveryAddress>(String(r.data_enc)) : r as unknown as DeliveryAddress;
      return { data_enc: sealAddress(box, a) };
    },
    update: `UPDATE addresses a SET data_enc = x.data_enc, name = NULL, phone = NULL, line1 = NULL, city = NULL,
                    postcode = NULL
               FROM jsonb_to_recordset($1::text::jsonb) AS x(id bigint, data_enc text)
              WHERE a.id = x.id`,
  },
  {
    name: "orders",
    pending: `((address_enc IS NULL AND (address ? 'name' OR address ? 'phone' OR address ? 'line1'))
               OR (address_enc IS NOT NULL AND NOT starts_with(address_enc, $1)))`,
    columns: "id, address, address_enc",
    reseal(box, r) {
      const a = r.address_enc
        ? box.openJson<DeliveryAddress>(String(r.address_enc))
        : r.address as unknown as DeliveryAddress;
      const sealed = sealOrderAddress(box, {
        name: a.name ?? "",
        phone: a.phone ?? "",
        line1: a.line1 ?? "",
        city: a.city ?? "",
        postcode: a.postcode ?? null,
      });
      return {
        address: sealed.clear,
        address_enc: sealed.sealed,
        phone_hash: sealed.phoneHash,
        name_hash: sealed.nameHash,
      };
    },
    update: `UPDATE orders o SET address = x.address::jsonb, address_enc = x.address_enc, phone_hash = x.phone_hash,
                    name_hash = x.name_hash
               FROM jsonb_to_recordset($1::text::jsonb) AS x(id bigint, address text, address_enc text, phone_hash text,
                    name_hash text)
              WHERE o.id = x.id`,
  },
];

/** How many rows are not under the current key yet, per table. */
export async function rotationBacklog(db: Db, box: CryptoBox): Promise<Record<Table["name"], number>> {
  const out = { users: 0, addresses: 0, orders: 0 };
  for (const t of TABLES) {
    const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.name} WHERE ${t.pending}`, [
      box.currentPrefix,
    ]);
    out[t.name] = n;
  }
  return out;
}

/** One batch of a table after `cursor`: the last id it looked at (null when none was left), rows done, failures. */
async function batch(db: Db, box: CryptoBox, t: Table, cursor: string, size: number) {
  return await db.transaction(async (tx) => {
    const rows = await tx.query<Record<string, unknown> & { id: string }>(
      `SELECT ${t.columns} FROM ${t.name} WHERE id > $2 AND ${t.pending} ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [box.currentPrefix, cursor, size],
    );
    if (!rows.length) return { last: null, done: 0, failed: 0 };
    const updates: Record<string, string | null>[] = [];
    let failed = 0;
    for (const r of rows) {
      try {
        const values = t.reseal(box, r);
        if (values) updates.push({ id: String(r.id), ...values });
      } catch {
        failed++; // a key not in the ring: left as it is, counted
      }
    }
    if (updates.length) await tx.query(t.update, [JSON.stringify(updates)]);
    return { last: String(rows.at(-1)!.id), done: updates.length, failed };
  });
}

/**
 * Seals every value of users (phone, ID number), the address book and orders' delivery addresses under
 * the current key id; see the module comment for how it stays safe while the app runs.
 */
export async function rotateKeys(db: Db, box: CryptoBox, options: RotationOptions = {}): Promise<RotationReport> {
  const size = options.batchSize ?? 200;
  const report: RotationReport = { users: 0, addresses: 0, orders: 0, failed: 0, remaining: 0 };
  for (let pass = 0; pass < (options.passes ?? 3); pass++) {
    let failed = 0;
    for (const t of TABLES) {
      let cursor = "0";
      while (!options.signal?.aborted) {
        const b = await batch(db, box, t, cursor, size);
        if (b.last === null) break;
        cursor = b.last;
        report[t.name] += b.done;
        failed += b.failed;
        options.progress?.(t.name, report[t.name]);
      }
    }
    report.failed = failed;
    if (options.signal?.aborted) break;
    const backlog = await rotationBacklog(db, box);
    report.remaining = backlog.users + backlog.addresses + backlog.orders;
    // Done, or only values no key of the ring opens are left: another pass would change nothing.
    if (report.remaining === 0 || report.remaining === failed) break;
  }
  return report;
}
