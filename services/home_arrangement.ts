/**
 * # The shop home's arrangement (首页装修)
 *
 * Managers with `home.write` arrange the banners of the home's carousel and its featured blocks (titled
 * rows of products): they add, edit, reorder, switch on or off, schedule and delete them. Each change is
 * one transaction with its audit entry (`home.banner.*`, `home.block.*`) and a `home_changed` outbox event,
 * which drops the kept home page on every instance (`lib/page_cache.ts`). A write first locks the one table
 * it changes (`SHARE ROW EXCLUSIVE`), so arrangement writes queue behind each other (two reorders never
 * interleave) while readers never wait; no other path locks these tables (`LOCK_ORDER.md`).
 *
 * Times are instants (ISO with offset); the console types them in shop time (`domain/shop_time.ts`).
 */
import { z } from "zod";
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { appendEvent } from "../db/events_repo.ts";
import { INTERNAL_ROOM } from "../realtime/rooms.ts";
import {
  BANNER_THEMES,
  type BannerTheme,
  BLOCK_SOURCES,
  type BlockSource,
  HOME_ICONS,
  type HomeIcon,
  isShopPath,
  LINK_KINDS,
  linkHref,
  type LinkKind,
  moveInOrder,
  type ScheduleState,
  scheduleState,
} from "../domain/catalogue/home.ts";
import { fail, type FieldMessages } from "../lib/errors.ts";
import { invalidFields } from "../lib/validate.ts";
import { text } from "../lib/text.ts";
import { BANNER_WIDTHS, type BannerWidth, makeBannerImages } from "../lib/thumbnails.ts";
import { msg, says } from "../i18n/messages.ts";
import { shopCalendar, shopMidnight } from "../domain/shop_time.ts";
import { money, roundCents, toMoneyString } from "../domain/money.ts";

/** The two arranged parts of the home. */
export type HomePart = "banners" | "blocks";

const TABLE: Record<HomePart, string> = { banners: "home_banners", blocks: "home_blocks" };
const ACTION: Record<HomePart, string> = { banners: "home.banner", blocks: "home.block" };

const when = z.iso.datetime({ offset: true }).nullable();
const idString = z.string().regex(/^\d{1,18}$/, says("validation.id"));

const bannerFields = {
  title: text().trim().min(1, says("hm.err.titleRequired")).max(40),
  titleEn: text().trim().max(60),
  subtitle: text().trim().max(80),
  subtitleEn: text().trim().max(120),
  linkKind: z.enum(LINK_KINDS),
  linkTarget: text().trim().min(1, says("hm.err.linkTarget")).max(200),
  theme: z.enum(BANNER_THEMES),
  icon: z.enum(HOME_ICONS),
  enabled: z.boolean(),
  startsAt: when,
  endsAt: when,
};

/** The body of `POST /api/admin/home/banners` (and the console's banner form). */
export const bannerInputSchema = z.object({
  ...bannerFields,
  titleEn: bannerFields.titleEn.default(""),
  subtitle: bannerFields.subtitle.default(""),
  subtitleEn: bannerFields.subtitleEn.default(""),
  theme: bannerFields.theme.default("red"),
  icon: bannerFields.icon.default("gift"),
  enabled: bannerFields.enabled.default(true),
  startsAt: when.default(null),
  endsAt: when.default(null),
});
/** A new banner. */
export type BannerInput = z.infer<typeof bannerInputSchema>;

/** The body of `PATCH /api/admin/home/banners/:id`: any of the banner's fields. */
export const bannerPatchSchema = z.object(bannerFields).partial();
/** A change to a banner. */
export type BannerPatch = z.infer<typeof bannerPatchSchema>;

const blockFields = {
  title: text().trim().min(1, says("hm.err.titleRequired")).max(20),
  titleEn: text().trim().max(40),
  subtitle: text().trim().max(40),
  subtitleEn: text().trim().max(80),
  icon: z.enum(HOME_ICONS),
  source: z.enum(BLOCK_SOURCES),
  /** The products of a `chosen` block, in display order. */
  productIds: z.array(idString).max(20, says("hm.err.tooManyProducts")),
  /** The category slug of a `category` block. */
  category: text().trim().max(60).nullable(),
  limit: z.number().int().min(1).max(20),
  enabled: z.boolean(),
  startsAt: when,
  endsAt: when,
};

/** The body of `POST /api/admin/home/blocks` (and the console's block form). */
export const blockInputSchema = z.object({
  ...blockFields,
  titleEn: blockFields.titleEn.default(""),
  subtitle: blockFields.subtitle.default(""),
  subtitleEn: blockFields.subtitleEn.default(""),
  icon: blockFields.icon.default("sparkles"),
  productIds: blockFields.productIds.default([]),
  category: blockFields.category.default(null),
  limit: blockFields.limit.default(8),
  enabled: blockFields.enabled.default(true),
  startsAt: when.default(null),
  endsAt: when.default(null),
});
/** A new featured block. */
export type BlockInput = z.infer<typeof blockInputSchema>;

/** The body of `PATCH /api/admin/home/blocks/:id`: any of the block's fields. */
export const blockPatchSchema = z.object(blockFields).partial();
/** A change to a featured block. */
export type BlockPatch = z.infer<typeof blockPatchSchema>;

/** The body of `POST /api/admin/home/{banners|blocks}/:id/move`. */
export const moveSchema = z.object({ direction: z.enum(["up", "down"]) });

/** A banner's uploaded picture: its WebP variants' URLs. */
export interface BannerPicture {
  src: string;
  srcset: string;
}

/** A banner as the console and the management API show it. */
export interface BannerView {
  id: string;
  title: string;
  titleEn: string;
  subtitle: string;
  subtitleEn: string;
  linkKind: LinkKind;
  linkTarget: string;
  /** The shop URL a tap opens. */
  href: string;
  theme: BannerTheme;
  icon: HomeIcon;
  /** The uploaded picture, or null for the generated art. */
  picture: BannerPicture | null;
  position: number;
  enabled: boolean;
  startsAt: string | null;
  endsAt: string | null;
  /** Shown now, waiting, over or switched off. */
  state: ScheduleState;
  updatedAt: string;
}

/** A featured block as the console and the management API show it. */
export interface BlockView {
  id: string;
  title: string;
  titleEn: string;
  subtitle: string;
  subtitleEn: string;
  icon: HomeIcon;
  source: BlockSource;
  productIds: string[];
  category: string | null;
  limit: number;
  position: number;
  enabled: boolean;
  startsAt: string | null;
  endsAt: string | null;
  state: ScheduleState;
  updatedAt: string;
}

interface BannerRow {
  id: string;
  title: string;
  title_en: string;
  subtitle: string;
  subtitle_en: string;
  link_kind: LinkKind;
  link_target: string;
  theme: BannerTheme;
  icon: HomeIcon;
  image_at: Date | string | null;
  position: number;
  enabled: boolean;
  starts_at: Date | string | null;
  ends_at: Date | string | null;
  updated_at: Date | string;
}

interface BlockRow {
  id: string;
  title: string;
  title_en: string;
  subtitle: string;
  subtitle_en: string;
  icon: HomeIcon;
  source: BlockSource;
  product_ids: string[] | string;
  category_slug: string | null;
  item_limit: number;
  position: number;
  enabled: boolean;
  starts_at: Date | string | null;
  ends_at: Date | string | null;
  updated_at: Date | string;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** The version a banner picture's URLs carry (its upload time). */
function pictureVersion(at: Date | string): string {
  return new Date(at).getTime().toString(36);
}

/** The URL of an uploaded banner picture's variant. */
export function bannerPictureUrl(id: string, version: string, w: BannerWidth): string {
  return `/images/banners/${id}.webp?w=${w}&v=${version}`;
}

/** The picture URLs of a banner row, or null when it shows the generated art. */
export function bannerPicture(id: string, imageAt: Date | string | null): BannerPicture | null {
  if (imageAt === null) return null;
  const v = pictureVersion(imageAt);
  return {
    src: bannerPictureUrl(id, v, 960),
    srcset: BANNER_WIDTHS.map((w) => `${bannerPictureUrl(id, v, w)} ${w}w`).join(", "),
  };
}

/** bigint[] arrives as an array (PGlite, postgres.js) or, through some drivers, as `{1,2}` text. */
function idList(value: string[] | string): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value.replace(/[{}]/g, "").split(",").filter(Boolean);
}

function toBannerView(r: BannerRow, now: number): BannerView {
  const startsAt = iso(r.starts_at), endsAt = iso(r.ends_at);
  return {
    id: String(r.id),
    title: r.title,
    titleEn: r.title_en,
    subtitle: r.subtitle,
    subtitleEn: r.subtitle_en,
    linkKind: r.link_kind,
    linkTarget: r.link_target,
    href: linkHref(r.link_kind, r.link_target),
    theme: r.theme,
    icon: r.icon,
    picture: bannerPicture(String(r.id), r.image_at),
    position: r.position,
    enabled: r.enabled,
    startsAt,
    endsAt,
    state: scheduleState({ enabled: r.enabled, startsAt, endsAt }, now),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function toBlockView(r: BlockRow, now: number): BlockView {
  const startsAt = iso(r.starts_at), endsAt = iso(r.ends_at);
  return {
    id: String(r.id),
    title: r.title,
    titleEn: r.title_en,
    subtitle: r.subtitle,
    subtitleEn: r.subtitle_en,
    icon: r.icon,
    source: r.source,
    productIds: idList(r.product_ids),
    category: r.category_slug,
    limit: r.item_limit,
    position: r.position,
    enabled: r.enabled,
    startsAt,
    endsAt,
    state: scheduleState({ enabled: r.enabled, startsAt, endsAt }, now),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const BANNER_COLUMNS = `id, title, title_en, subtitle, subtitle_en, link_kind, link_target, theme, icon, image_at,
  position, enabled, starts_at, ends_at, updated_at`;
const BLOCK_COLUMNS = `id, title, title_en, subtitle, subtitle_en, icon, source, product_ids, category_slug,
  item_limit, position, enabled, starts_at, ends_at, updated_at`;

/** Every banner and block in display order, whatever their state (the console and `GET /api/admin/home`). */
export async function listArrangement(db: Db, now: Date): Promise<{ banners: BannerView[]; blocks: BlockView[] }> {
  const [banners, blocks] = await Promise.all([
    db.query<BannerRow>(`SELECT ${BANNER_COLUMNS} FROM home_banners ORDER BY position, id`),
    db.query<BlockRow>(`SELECT ${BLOCK_COLUMNS} FROM home_blocks ORDER BY position, id`),
  ]);
  const at = now.getTime();
  return { banners: banners.map((r) => toBannerView(r, at)), blocks: blocks.map((r) => toBlockView(r, at)) };
}

/** The names of products by id (the console shows what a banner links to). */
export async function productNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  const valid = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (!valid.length) return new Map();
  const rows = await db.query<{ id: string; name: string }>(
    "SELECT id::text AS id, name FROM products WHERE id = ANY(string_to_array($1, ',')::bigint[])",
    [valid.join(",")],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** One banner, or 404. */
export async function getBanner(db: Db, id: string, now: Date): Promise<BannerView> {
  const [row] = /^\d{1,18}$/.test(id)
    ? await db.query<BannerRow>(`SELECT ${BANNER_COLUMNS} FROM home_banners WHERE id = $1`, [id])
    : [];
  if (!row) throw fail.notFound("banner");
  return toBannerView(row, now.getTime());
}

/** One featured block, or 404. */
export async function getBlock(db: Db, id: string, now: Date): Promise<BlockView> {
  const [row] = /^\d{1,18}$/.test(id)
    ? await db.query<BlockRow>(`SELECT ${BLOCK_COLUMNS} FROM home_blocks WHERE id = $1`, [id])
    : [];
  if (!row) throw fail.notFound("homeBlock");
  return toBlockView(row, now.getTime());
}

/** The shop home's banners and blocks that are shown now (enabled and inside their time), in order. */
export async function liveArrangementRows(db: Db): Promise<{ banners: BannerView[]; blocks: BlockView[] }> {
  const live = "enabled AND (starts_at IS NULL OR starts_at <= now()) AND (ends_at IS NULL OR ends_at > now())";
  const [banners, blocks] = await Promise.all([
    // A banner whose product left the shelf (or the archive took it) is not shown: its link would be a 404.
    db.query<BannerRow>(
      `SELECT ${BANNER_COLUMNS} FROM home_banners b WHERE ${live}
         AND (link_kind <> 'product' OR EXISTS (
              SELECT 1 FROM products p WHERE p.id::text = b.link_target AND p.archived_at IS NULL AND p.on_sale
                 AND (p.on_shelf_at IS NULL OR p.on_shelf_at <= now()) AND (p.off_shelf_at IS NULL OR p.off_shelf_at > now())))
       ORDER BY position, id`,
    ),
    db.query<BlockRow>(`SELECT ${BLOCK_COLUMNS} FROM home_blocks WHERE ${live} ORDER BY position, id`),
  ]);
  const now = Date.now();
  return { banners: banners.map((r) => toBannerView(r, now)), blocks: blocks.map((r) => toBlockView(r, now)) };
}

/** When a scheduled banner or block next starts or ends (the kept home page must not outlive it), or null. */
export async function nextHomeChange(db: Db): Promise<Date | null> {
  const [row] = await db.query<{ at: Date | null }>(
    `SELECT least(
       (SELECT min(starts_at) FROM home_banners WHERE starts_at > now()),
       (SELECT min(ends_at) FROM home_banners WHERE ends_at > now()),
       (SELECT min(starts_at) FROM home_blocks WHERE starts_at > now()),
       (SELECT min(ends_at) FROM home_blocks WHERE ends_at > now())) AS at`,
  );
  return row?.at ? new Date(row.at) : null;
}

/** An uploaded banner picture's variant (the largest when `w` is not one), or null. */
export async function bannerPictureFile(
  db: Db,
  id: string,
  w: BannerWidth | undefined,
): Promise<{ data: Uint8Array; version: string } | null> {
  if (!/^\d{1,18}$/.test(id)) return null;
  const [row] = await db.query<{ data: Uint8Array; image_at: Date | string }>(
    `SELECT i.data, b.image_at FROM home_banner_images i JOIN home_banners b ON b.id = i.banner_id
      WHERE i.banner_id = $1 AND b.image_at IS NOT NULL ORDER BY (i.width = $2) DESC, i.width DESC LIMIT 1`,
    [id, w ?? 0],
  );
  return row ? { data: row.data, version: pictureVersion(row.image_at) } : null;
}

/** A picture for a banner: made into its variants before any transaction (sharp is slow). */
export type BannerPictureChange = { variants: Awaited<ReturnType<typeof makeBannerImages>> } | "remove";

/** Decodes an uploaded picture into banner variants (400 when it cannot be read). */
export async function prepareBannerPicture(bytes: Uint8Array): Promise<BannerPictureChange> {
  return { variants: await makeBannerImages(bytes) };
}

/** Runs `fn` in a transaction that first locks the part's table against other arrangement writes. */
async function arranging<T>(db: Db, part: HomePart, fn: (tx: Db) => Promise<T>): Promise<T> {
  return await db.transaction(async (tx) => {
    await tx.query(`LOCK TABLE ${TABLE[part]} IN SHARE ROW EXCLUSIVE MODE`);
    return await fn(tx);
  });
}

/** The audit entry and the outbox event of one arrangement change, in the caller's transaction. */
async function record(
  tx: Db,
  part: HomePart,
  entry: { actor: UserRow; verb: string; id: string; ip: string; before?: unknown; after?: unknown },
): Promise<void> {
  await appendAudit(tx, {
    actorId: String(entry.actor.id),
    action: `${ACTION[part]}.${entry.verb}`,
    target: `${ACTION[part].replace("home.", "home_")}:${entry.id}`,
    ip: entry.ip,
    before: entry.before,
    after: entry.after,
  });
  await appendEvent(tx, "home_changed", { part }, [INTERNAL_ROOM]);
}

function checkSchedule(fields: FieldMessages, startsAt: string | null, endsAt: string | null) {
  if (startsAt !== null && endsAt !== null && Date.parse(endsAt) <= Date.parse(startsAt)) {
    fields.endsAt = msg("hm.err.schedule");
  }
}

/** Refuses (400 with `fields`) a banner whose link does not lead to a shop page, or whose schedule is backwards. */
async function checkBanner(tx: Db, b: BannerInput): Promise<void> {
  const fields: FieldMessages = {};
  if (b.linkKind === "product") {
    const [found] = /^\d{1,18}$/.test(b.linkTarget)
      ? await tx.query("SELECT 1 FROM products WHERE id = $1 AND archived_at IS NULL", [b.linkTarget])
      : [];
    if (!found) fields.linkTarget = msg("hm.err.product");
  } else if (b.linkKind === "category") {
    const [found] = await tx.query("SELECT 1 FROM categories WHERE slug = $1", [b.linkTarget]);
    if (!found) fields.linkTarget = msg("hm.err.category");
  } else if (!isShopPath(b.linkTarget)) fields.linkTarget = msg("hm.err.path");
  checkSchedule(fields, b.startsAt, b.endsAt);
  if (Object.keys(fields).length) throw invalidFields(fields);
}

/** Refuses (400 with `fields`) a block without its products or category, or whose schedule is backwards. */
async function checkBlock(tx: Db, b: BlockInput): Promise<void> {
  const fields: FieldMessages = {};
  if (new Set(b.productIds).size !== b.productIds.length) fields.productIds = msg("hm.err.productsTwice");
  else if (b.source === "chosen" && b.productIds.length === 0) fields.productIds = msg("hm.err.chooseProducts");
  else if (b.productIds.length) {
    const found = await tx.query<{ id: string }>(
      "SELECT id::text AS id FROM products WHERE id = ANY(string_to_array($1, ',')::bigint[]) AND archived_at IS NULL",
      [b.productIds.join(",")],
    );
    if (found.length !== b.productIds.length) fields.productIds = msg("hm.err.product");
  }
  if (b.source === "category") {
    const [found] = b.category ? await tx.query("SELECT 1 FROM categories WHERE slug = $1", [b.category]) : [];
    if (!found) fields.category = msg(b.category ? "hm.err.category" : "hm.err.chooseCategory");
  }
  checkSchedule(fields, b.startsAt, b.endsAt);
  if (Object.keys(fields).length) throw invalidFields(fields);
}

async function storePicture(tx: Db, id: string, picture: BannerPictureChange | undefined): Promise<void> {
  if (!picture) return;
  await tx.query("DELETE FROM home_banner_images WHERE banner_id = $1", [id]);
  if (picture === "remove") {
    await tx.query("UPDATE home_banners SET image_at = NULL WHERE id = $1", [id]);
    return;
  }
  for (const v of picture.variants) {
    await tx.query(
      `INSERT INTO home_banner_images (banner_id, width, height, content_type, data) VALUES ($1, $2, $3, 'image/webp', $4)`,
      [id, v.width, v.height, v.data],
    );
  }
  await tx.query("UPDATE home_banners SET image_at = clock_timestamp() WHERE id = $1", [id]);
}

/** What an audit entry keeps of a picture change. */
function pictureNote(picture: BannerPictureChange | undefined) {
  if (!picture) return undefined;
  return picture === "remove" ? "removed" : picture.variants.map((v) => `${v.width}x${v.height}`);
}

/** Adds a banner at the end of the carousel (audited, `home_changed`); 400 for a bad link or schedule. */
export async function createBanner(
  db: Db,
  actor: UserRow,
  input: BannerInput,
  ip: string,
  picture?: BannerPictureChange,
): Promise<BannerView> {
  const id = await arranging(db, "banners", async (tx) => {
    await checkBanner(tx, input);
    const [{ id }] = await tx.query<{ id: string }>(
      `INSERT INTO home_banners (title, title_en, subtitle, subtitle_en, link_kind, link_target, theme, icon, enabled,
                                 starts_at, ends_at, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, (SELECT coalesce(max(position), 0) + 1 FROM home_banners))
       RETURNING id::text AS id`,
      [
        input.title,
        input.titleEn,
        input.subtitle,
        input.subtitleEn,
        input.linkKind,
        input.linkTarget,
        input.theme,
        input.icon,
        input.enabled,
        input.startsAt,
        input.endsAt,
      ],
    );
    await storePicture(tx, id, picture === "remove" ? undefined : picture);
    await record(tx, "banners", { actor, verb: "create", id, ip, after: { ...input, picture: pictureNote(picture) } });
    return id;
  });
  return await getBanner(db, id, new Date());
}

/** The keys whose values differ, with their values before and after. */
function changes(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return {
    keys,
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  };
}

/** The audit verb of an update: `enable`/`disable` when only that changed, else `update`. */
function updateVerb(keys: string[], enabled: boolean): string {
  return keys.length === 1 && keys[0] === "enabled" ? (enabled ? "enable" : "disable") : "update";
}

function bannerInputOf(v: BannerView): BannerInput {
  return {
    title: v.title,
    titleEn: v.titleEn,
    subtitle: v.subtitle,
    subtitleEn: v.subtitleEn,
    linkKind: v.linkKind,
    linkTarget: v.linkTarget,
    theme: v.theme,
    icon: v.icon,
    enabled: v.enabled,
    startsAt: v.startsAt,
    endsAt: v.endsAt,
  };
}

/** Changes a banner (audited, `home_changed`); 404 for an unknown one, 400 for a bad link or schedule. */
export async function updateBanner(
  db: Db,
  actor: UserRow,
  id: string,
  patch: BannerPatch,
  ip: string,
  picture?: BannerPictureChange,
): Promise<BannerView> {
  await arranging(db, "banners", async (tx) => {
    const before = bannerInputOf(await getBanner(tx, id, new Date()));
    const merged: BannerInput = { ...before, ...patch };
    // Changing only the kind of link without a new target would keep a target of the other kind.
    await checkBanner(tx, merged);
    const diff = changes(before, merged);
    if (!diff.keys.length && !picture) return;
    await tx.query(
      `UPDATE home_banners SET title = $2, title_en = $3, subtitle = $4, subtitle_en = $5, link_kind = $6,
              link_target = $7, theme = $8, icon = $9, enabled = $10, starts_at = $11, ends_at = $12,
              updated_at = clock_timestamp()
        WHERE id = $1`,
      [
        id,
        merged.title,
        merged.titleEn,
        merged.subtitle,
        merged.subtitleEn,
        merged.linkKind,
        merged.linkTarget,
        merged.theme,
        merged.icon,
        merged.enabled,
        merged.startsAt,
        merged.endsAt,
      ],
    );
    await storePicture(tx, id, picture);
    const verb = picture ? "update" : updateVerb(diff.keys, merged.enabled);
    await record(tx, "banners", {
      actor,
      verb,
      id,
      ip,
      before: diff.before,
      after: picture ? { ...diff.after, picture: pictureNote(picture) } : diff.after,
    });
  });
  return await getBanner(db, id, new Date());
}

/** Adds a featured block after the others (audited, `home_changed`); 400 for missing products or category. */
export async function createBlock(db: Db, actor: UserRow, input: BlockInput, ip: string): Promise<BlockView> {
  const id = await arranging(db, "blocks", async (tx) => {
    await checkBlock(tx, input);
    const [{ id }] = await tx.query<{ id: string }>(
      `INSERT INTO home_blocks (title, title_en, subtitle, subtitle_en, icon, source, product_ids, category_slug,
                                item_limit, enabled, starts_at, ends_at, position)
       VALUES ($1, $2, $3, $4, $5, $6, string_to_array($7, ',')::bigint[], $8, $9, $10, $11, $12,
               (SELECT coalesce(max(position), 0) + 1 FROM home_blocks))
       RETURNING id::text AS id`,
      [
        input.title,
        input.titleEn,
        input.subtitle,
        input.subtitleEn,
        input.icon,
        input.source,
        input.productIds.join(","),
        input.source === "category" ? input.category : null,
        input.limit,
        input.enabled,
        input.startsAt,
        input.endsAt,
      ],
    );
    await record(tx, "blocks", { actor, verb: "create", id, ip, after: input });
    return id;
  });
  return await getBlock(db, id, new Date());
}

function blockInputOf(v: BlockView): BlockInput {
  return {
    title: v.title,
    titleEn: v.titleEn,
    subtitle: v.subtitle,
    subtitleEn: v.subtitleEn,
    icon: v.icon,
    source: v.source,
    productIds: v.productIds,
    category: v.category,
    limit: v.limit,
    enabled: v.enabled,
    startsAt: v.startsAt,
    endsAt: v.endsAt,
  };
}

/** Changes a featured block (audited, `home_changed`); 404 for an unknown one, 400 for bad products or category. */
export async function updateBlock(
  db: Db,
  actor: UserRow,
  id: string,
  patch: BlockPatch,
  ip: string,
): Promise<BlockView> {
  await arranging(db, "blocks", async (tx) => {
    const before = blockInputOf(await getBlock(tx, id, new Date()));
    const merged: BlockInput = { ...before, ...patch };
    if (merged.source !== "category") merged.category = null;
    await checkBlock(tx, merged);
    const diff = changes(before, merged);
    if (!diff.keys.length) return;
    await tx.query(
      `UPDATE home_blocks SET title = $2, title_en = $3, subtitle = $4, subtitle_en = $5, icon = $6, source = $7,
              product_ids = string_to_array($8, ',')::bigint[], category_slug = $9, item_limit = $10, enabled = $11,
              starts_at = $12, ends_at = $13, updated_at = clock_timestamp()
        WHERE id = $1`,
      [
        id,
        merged.title,
        merged.titleEn,
        merged.subtitle,
        merged.subtitleEn,
        merged.icon,
        merged.source,
        merged.productIds.join(","),
        merged.category,
        merged.limit,
        merged.enabled,
        merged.startsAt,
        merged.endsAt,
      ],
    );
    await record(tx, "blocks", {
      actor,
      verb: updateVerb(diff.keys, merged.enabled),
      id,
      ip,
      before: diff.before,
      after: diff.after,
    });
  });
  return await getBlock(db, id, new Date());
}

/** Switches a banner or block on or off (audited as `enable`/`disable`); 404 for an unknown one. */
export async function setHomeItemEnabled(
  db: Db,
  actor: UserRow,
  part: HomePart,
  id: string,
  enabled: boolean,
  ip: string,
): Promise<void> {
  if (part === "banners") await updateBanner(db, actor, id, { enabled }, ip);
  else await updateBlock(db, actor, id, { enabled }, ip);
}

/** Deletes a banner (with its picture) or a block (audited with what it was, `home_changed`); 404 when unknown. */
export async function deleteHomeItem(db: Db, actor: UserRow, part: HomePart, id: string, ip: string): Promise<void> {
  await arranging(db, part, async (tx) => {
    const now = new Date();
    const before = part === "banners"
      ? bannerInputOf(await getBanner(tx, id, now))
      : blockInputOf(await getBlock(tx, id, now));
    await tx.query(`DELETE FROM ${TABLE[part]} WHERE id = $1`, [id]);
    await record(tx, part, { actor, verb: "delete", id, ip, before });
  });
}

/**
 * Moves a banner or block one place up or down and numbers the whole part 1…n again (audited with the
 * order before and after, `home_changed`); at either end nothing changes and nothing is recorded.
 * Returns the ids in their new order; 404 for an unknown id.
 */
export async function moveHomeItem(
  db: Db,
  actor: UserRow,
  part: HomePart,
  id: string,
  direction: "up" | "down",
  ip: string,
): Promise<string[]> {
  return await arranging(db, part, async (tx) => {
    const rows = await tx.query<{ id: string }>(`SELECT id::text AS id FROM ${TABLE[part]} ORDER BY position, id`);
    const before = rows.map((r) => r.id);
    const after = /^\d{1,18}$/.test(id) ? moveInOrder(before, String(BigInt(id)), direction) : null;
    if (!after) throw fail.notFound(part === "banners" ? "banner" : "homeBlock");
    if (after.join() === before.join()) return after;
    await tx.query(
      `UPDATE ${TABLE[part]} t SET position = o.n, updated_at = clock_timestamp()
         FROM unnest(string_to_array($1, ',')::bigint[]) WITH ORDINALITY AS o(id, n) WHERE t.id = o.id`,
      [after.join(",")],
    );
    await record(tx, part, {
      actor,
      verb: "move",
      id: String(BigInt(id)),
      ip,
      before: { order: before },
      after: { order: after },
    });
    return after;
  });
}

/**
 * Seeds a pleasant default arrangement for the demo shop when the home has none: four banners (a
 * sitewide sale, beauty, health and electronics, as generated art), three featured blocks (new
 * arrivals, a beauty row and the shop manager's picks), and, when the shop has no flash sale at all, a
 * few flash sales (three running until tomorrow night, two starting at the next 20:00 shop time) so
 * that the strip has something to count down. Written directly (no audit, no event: nothing is kept
 * yet); does nothing when a banner or block exists.
 */
export async function seedHomeArrangement(db: Db, now: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query("LOCK TABLE home_banners, home_blocks IN SHARE ROW EXCLUSIVE MODE");
    const [{ n }] = await tx.query<{ n: number }>(
      "SELECT ((SELECT count(*) FROM home_banners) + (SELECT count(*) FROM home_blocks))::int AS n",
    );
    if (n > 0) return;
    const categories = new Set(
      (await tx.query<{ slug: string }>("SELECT slug FROM categories")).map((r) => r.slug),
    );
    const banners: [string, string, string, string, LinkKind, string, BannerTheme, HomeIcon][] = [
      [
        "年终好物节",
        "Year-end festival",
        "全场满 ¥100 减 ¥20，领券再享折上折",
        "¥20 off orders over ¥100, stack it with coupons",
        "path",
        "/?sort=popular",
        "red",
        "gift",
      ],
      [
        "美妆护肤 焕新季",
        "Beauty refresh",
        "精华、面霜、防晒，人气单品限时优惠",
        "Serums, creams and sunscreen on offer",
        "category",
        "beauty",
        "rose",
        "sparkles",
      ],
      [
        "健康生活 营养加油",
        "Healthy living",
        "维生素、蛋白粉、益生菌，全家都需要",
        "Vitamins, protein and probiotics for the family",
        "category",
        "health",
        "green",
        "heartPulse",
      ],
      [
        "数码好物 上新",
        "New in electronics",
        "耳机、手环、充电宝，通勤出行好帮手",
        "Earbuds, bands and power banks for the commute",
        "category",
        "digital",
        "indigo",
        "smartphone",
      ],
    ];
    let position = 0;
    for (const [title, titleEn, subtitle, subtitleEn, kind, target, theme, icon] of banners) {
      if (kind === "category" && !categories.has(target)) continue;
      await tx.query(
        `INSERT INTO home_banners (title, title_en, subtitle, subtitle_en, link_kind, link_target, theme, icon, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [title, titleEn, subtitle, subtitleEn, kind, target, theme, icon, ++position],
      );
    }
    const picks = (await tx.query<{ id: string }>(
      `SELECT id::text AS id FROM products WHERE archived_at IS NULL AND on_sale ORDER BY sales_count DESC, id LIMIT 40`,
    )).map((r) => r.id).filter((_, i) => i % 5 === 2).slice(0, 6);
    const blocks: [string, string, string, string, HomeIcon, BlockSource, string[], string | null][] = [
      ["新品首发", "New arrivals", "刚刚上架，抢先尝鲜", "Just in", "sparkles", "newest", [], null],
      ["美妆专场", "Beauty picks", "大家都在买的护肤好物", "Skincare everyone buys", "heart", "category", [], "beauty"],
      ["店长推荐", "Manager's picks", "品质之选，放心购", "Chosen with care", "crown", "chosen", picks, null],
    ];
    position = 0;
    for (const [title, titleEn, subtitle, subtitleEn, icon, source, ids, category] of blocks) {
      if (source === "category" && !categories.has(category ?? "")) continue;
      if (source === "chosen" && ids.length === 0) continue;
      await tx.query(
        `INSERT INTO home_blocks (title, title_en, subtitle, subtitle_en, icon, source, product_ids, category_slug,
                                  item_limit, position)
         VALUES ($1, $2, $3, $4, $5, $6, string_to_array($7, ',')::bigint[], $8, 8, $9)`,
        [title, titleEn, subtitle, subtitleEn, icon, source, ids.join(","), category, ++position],
      );
    }
    await seedFlashSales(tx, now);
  });
}

/** Demo flash sales (see `seedHomeArrangement`), only when the shop has none. */
async function seedFlashSales(tx: Db, now: Date): Promise<void> {
  const [{ any }] = await tx.query<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM promotions) AS any");
  if (any) return;
  const { year, month, day } = shopCalendar(now);
  const tomorrowNight = shopMidnight(year, month, day + 2);
  let evening = new Date(shopMidnight(year, month, day).getTime() + 20 * 3_600_000);
  if (evening.getTime() - now.getTime() < 3_600_000) evening = new Date(evening.getTime() + 86_400_000);
  const products = await tx.query<{ id: string; price: string }>(
    `SELECT p.id::text AS id, p.price::text AS price FROM products p
      WHERE p.archived_at IS NULL AND p.on_sale AND p.stock - p.reserved > 20 AND p.sku_axes = '[]'::jsonb
      ORDER BY p.sales_count DESC, p.id LIMIT 24`,
  );
  const chosen = products.filter((_, i) => i % 4 === 1).slice(0, 5);
  for (const [i, p] of chosen.entries()) {
    const running = i < 3;
    const price = toMoneyString(roundCents(money(p.price).times(running ? "0.69" : "0.59")));
    await tx.query(
      "INSERT INTO promotions (product_id, price, starts_at, ends_at, per_person_limit) VALUES ($1, $2, $3, $4, 2)",
      [
        p.id,
        price,
        running ? new Date(now.getTime() - 3_600_000).toISOString() : evening.toISOString(),
        running ? tomorrowNight.toISOString() : new Date(evening.getTime() + 2 * 86_400_000).toISOString(),
      ],
    );
  }
}
