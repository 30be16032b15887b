/**
 * A member's address book (`/api/me/addresses`), sealed at rest: each address is one AES-256-GCM value
 * (`addresses.data_enc`, JSON of the address fields); nothing of it is readable in the database.
 */
import { z } from "zod";
import type { Db } from "../db/db.ts";
import type { DeliveryAddress } from "../db/orders_repo.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { fail, type FieldMessages } from "../lib/errors.ts";
import { issuesToFields } from "../lib/validate.ts";
import { says } from "../i18n/messages.ts";
import { addressSchema } from "./orders.ts";

/** How many addresses one member may keep. */
export const MAX_ADDRESSES = 20;

/** The body of `POST /api/me/addresses`: the address fields and whether it becomes the default. */
export const addressInputSchema = addressSchema.extend({ isDefault: z.boolean().optional() });

/** The body of `PATCH /api/me/addresses/:id`: any of those fields. */
export const addressPatchSchema = addressSchema.partial().extend({ isDefault: z.boolean().optional() }).refine(
  (v) => Object.values(v).some((x) => x !== undefined),
  { message: says("validation.sendAField") },
);

/** An address form as posted (strings; `isDefault` a ticked box): the fields as typed, for showing it again. */
export function addressFormValues(form: Record<string, string>) {
  const v = (k: string) => (form[k] ?? "").slice(0, 300);
  return {
    values: { name: v("name"), phone: v("phone"), line1: v("line1"), city: v("city"), postcode: v("postcode") },
    isDefault: form.isDefault === "on",
  };
}

/** An address form's input for `addAddress`/`updateAddress`, or the message of each field that is wrong. */
export function parseAddressForm(
  form: Record<string, string>,
): { input: z.infer<typeof addressInputSchema>; errors?: undefined } | { input?: undefined; errors: FieldMessages } {
  const { values, isDefault } = addressFormValues(form);
  const parsed = addressInputSchema.safeParse({ ...values, postcode: values.postcode.trim() || undefined, isDefault });
  return parsed.success ? { input: parsed.data } : { errors: issuesToFields(parsed.error) };
}

/** An address of the book, as the API shows it. */
export interface AddressEntry extends DeliveryAddress {
  id: string;
  postcode: string | null;
  isDefault: boolean;
}

interface AddressRow {
  id: string;
  data_enc: string | null;
  name: string | null;
  phone: string | null;
  line1: string | null;
  city: string | null;
  postcode: string | null;
  is_default: boolean;
}

const COLUMNS = "id, data_enc, name, phone, line1, city, postcode, is_default";

/** Opens a stored address (sealed, or in clear from before 0018 until it is sealed). */
function toEntry(box: CryptoBox, row: AddressRow): AddressEntry {
  const data = row.data_enc ? box.openJson<Partial<DeliveryAddress>>(row.data_enc) : row;
  return {
    id: String(row.id),
    name: data.name ?? "",
    phone: data.phone ?? "",
    line1: data.line1 ?? "",
    city: data.city ?? "",
    postcode: data.postcode || null,
    isDefault: row.is_default,
  };
}

/** The sealed form of an address's fields. */
export function sealAddress(box: CryptoBox, a: DeliveryAddress): string {
  return box.sealJson({ name: a.name, phone: a.phone, line1: a.line1, city: a.city, postcode: a.postcode || null });
}

/** Serialises one member's address-book changes (their member row: LOCK_ORDER.md step 5). */
async function lockBook(tx: Db, userId: string): Promise<void> {
  await tx.query("SELECT id FROM users WHERE id = $1 FOR UPDATE", [userId]);
}

/** A member's addresses, the default first, then newest first. */
export async function listAddresses(db: Db, box: CryptoBox, userId: string): Promise<AddressEntry[]> {
  const rows = await db.query<AddressRow>(
    `SELECT ${COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY is_default DESC, id DESC`,
    [userId],
  );
  return rows.map((r) => toEntry(box, r));
}

/** The member's default address (else their newest), e.g. to fill the checkout form. */
export async function defaultAddress(db: Db, box: CryptoBox, userId: string): Promise<AddressEntry | undefined> {
  const [row] = await db.query<AddressRow>(
    `SELECT ${COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY is_default DESC, id DESC LIMIT 1`,
    [userId],
  );
  return row ? toEntry(box, row) : undefined;
}

async function insertAddress(tx: Db, box: CryptoBox, userId: string, a: DeliveryAddress, isDefault: boolean) {
  if (isDefault) await tx.query("UPDATE addresses SET is_default = false WHERE user_id = $1 AND is_default", [userId]);
  const [row] = await tx.query<AddressRow>(
    `INSERT INTO addresses (user_id, data_enc, is_default) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
    [userId, sealAddress(box, a), isDefault],
  );
  return toEntry(box, row);
}

/** Adds an address; the first one (or one sent with `isDefault: true`) becomes the default. 409 past MAX_ADDRESSES. */
export async function addAddress(
  db: Db,
  box: CryptoBox,
  userId: string,
  input: z.infer<typeof addressInputSchema>,
): Promise<AddressEntry> {
  return await db.transaction(async (tx) => {
    await lockBook(tx, userId);
    const [{ n }] = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM addresses WHERE user_id = $1", [
      userId,
    ]);
    if (n >= MAX_ADDRESSES) {
      throw fail.conflict("account.err.addressBookFull", { max: MAX_ADDRESSES });
    }
    return await insertAddress(tx, box, userId, input, n === 0 || input.isDefault === true);
  });
}

/** Whether two addresses are the same place and person (as typed, ignoring spaces at the ends). */
function sameAddress(a: DeliveryAddress, b: DeliveryAddress): boolean {
  const norm = (v: string | null | undefined) => (v ?? "").trim();
  return norm(a.name) === norm(b.name) && norm(a.phone) === norm(b.phone) && norm(a.line1) === norm(b.line1) &&
    norm(a.city) === norm(b.city) && norm(a.postcode) === norm(b.postcode);
}

/**
 * Keeps a checkout's newly typed address in the member's book (inside the order's transaction, which
 * already holds the member's row): as the default when they have none yet, else when `keep` is set,
 * unless the book holds the same address already or is full (the order is placed all the same).
 */
export async function keepCheckoutAddress(
  tx: Db,
  box: CryptoBox,
  userId: string,
  address: DeliveryAddress,
  keep: boolean,
): Promise<void> {
  const rows = await tx.query<AddressRow>(`SELECT ${COLUMNS} FROM addresses WHERE user_id = $1`, [userId]);
  if (rows.length === 0) {
    await insertAddress(tx, box, userId, address, true);
    return;
  }
  if (!keep || rows.length >= MAX_ADDRESSES) return;
  if (rows.some((r) => sameAddress(toEntry(box, r), address))) return;
  await insertAddress(tx, box, userId, address, false);
}

/** One of the member's addresses (404 for anyone else's, or for an id that is not one). */
export async function addressOf(db: Db, box: CryptoBox, userId: string, id: string): Promise<AddressEntry> {
  const [row] = /^\d{1,18}$/.test(id)
    ? await db.query<AddressRow>(`SELECT ${COLUMNS} FROM addresses WHERE id = $1 AND user_id = $2`, [id, userId])
    : [];
  if (!row) throw fail.notFound("address");
  return toEntry(box, row);
}

async function ownAddress(tx: Db, box: CryptoBox, userId: string, id: string): Promise<AddressEntry> {
  const [row] = /^\d{1,18}$/.test(id)
    ? await tx.query<AddressRow>(`SELECT ${COLUMNS} FROM addresses WHERE id = $1 AND user_id = $2 FOR UPDATE`, [
      id,
      userId,
    ])
    : [];
  if (!row) throw fail.notFound("address");
  return toEntry(box, row);
}

/** Changes an address of the caller's (404 for anyone else's); `isDefault: true` makes it the default. */
export async function updateAddress(
  db: Db,
  box: CryptoBox,
  userId: string,
  id: string,
  patch: z.infer<typeof addressPatchSchema>,
): Promise<AddressEntry> {
  return await db.transaction(async (tx) => {
    await lockBook(tx, userId);
    const current = await ownAddress(tx, box, userId, id);
    const { isDefault, ...fields } = patch;
    const next: DeliveryAddress = {
      ...current,
      ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    };
    if (isDefault === true) {
      await tx.query("UPDATE addresses SET is_default = false WHERE user_id = $1 AND is_default AND id <> $2", [
        userId,
        id,
      ]);
    }
    // The default stays the default until another one is chosen (isDefault: false alone changes nothing).
    const [row] = await tx.query<AddressRow>(
      `UPDATE addresses SET data_enc = $2, name = NULL, phone = NULL, line1 = NULL, city = NULL, postcode = NULL,
              is_default = is_default OR $3, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, sealAddress(box, next), isDefault === true],
    );
    return toEntry(box, row);
  });
}

/** Deletes an address of the caller's (404 for anyone else's); when it was the default, the newest left takes over. */
export async function deleteAddress(db: Db, box: CryptoBox, userId: string, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockBook(tx, userId);
    const current = await ownAddress(tx, box, userId, id);
    await tx.query("DELETE FROM addresses WHERE id = $1", [id]);
    if (current.isDefault) {
      await tx.query(
        `UPDATE addresses SET is_default = true
          WHERE id = (SELECT id FROM addresses WHERE user_id = $1 ORDER BY id DESC LIMIT 1)`,
        [userId],
      );
    }
  });
}
