import type { Db } from "../db/db.ts";
import { historyDb } from "../db/history_db.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import type { Logger } from "../lib/log.ts";
import { shopCalendar, shopMidnight } from "../domain/shop_time.ts";
import { type HistoryCounts, type HistorySummary, prng, seedHistory } from "./demo_history.ts";
import { countProducts } from "../db/products_repo.ts";
import { findUserByEmail } from "../db/users_repo.ts";
import { MAX_TIERS, referralCodeFrom } from "../domain/referral.ts";
import { hashPassword } from "../lib/password.ts";
import { appConfig } from "../fresh.config.ts";
import { register } from "./accounts.ts";
import { rebuildTeamFigures } from "./team.ts";
import { seedHomeArrangement } from "./home_arrangement.ts";

/** Credentials of the demo distributor (printed in the start-up log). */
export const DEMO_DISTRIBUTOR = { email: "distributor@example.com", password: "demo-distributor-1", name: "林小满" };
/** The demo shopper whose history shows every kind of order, coupon and points (member1). */
export const DEMO_SHOPPER_EMAIL = "member1@demo.example";
/** Password of every generated demo member. */
export const DEMO_MEMBER_PASSWORD = "demo-member-1";

const CATEGORIES = [
  {
    slug: "beauty",
    zh: "美妆护肤",
    en: "Beauty & Skincare",
    items: [["面霜", "Cream"], ["精华液", "Serum"], ["洁面乳", "Cleanser"], ["防晒霜", "Sunscreen"], [
      "面膜",
      "Face Mask",
    ], ["口红", "Lipstick"]],
  },
  {
    slug: "food",
    zh: "食品生鲜",
    en: "Food & Fresh",
    items: [["坚果礼盒", "Nut Gift Box"], ["有机大米", "Organic Rice"], ["乌龙茶", "Oolong Tea"], ["蜂蜜", "Honey"], [
      "咖啡豆",
      "Coffee Beans",
    ], ["牛肉干", "Beef Jerky"]],
  },
  {
    slug: "baby",
    zh: "母婴用品",
    en: "Mother & Baby",
    items: [["婴儿湿巾", "Baby Wipes"], ["奶瓶", "Feeding Bottle"], ["纸尿裤", "Diapers"], [
      "儿童牙刷",
      "Kids Toothbrush",
    ], ["婴儿润肤露", "Baby Lotion"]],
  },
  {
    slug: "home",
    zh: "家居生活",
    en: "Home & Living",
    items: [["四件套", "Bedding Set"], ["收纳箱", "Storage Box"], ["香薰蜡烛", "Scented Candle"], [
      "保温杯",
      "Thermos Cup",
    ], ["抱枕", "Cushion"]],
  },
  {
    slug: "digital",
    zh: "数码电器",
    en: "Electronics",
    items: [["蓝牙耳机", "Bluetooth Earbuds"], ["充电宝", "Power Bank"], ["智能手环", "Smart Band"], [
      "电动牙刷",
      "Electric Toothbrush",
    ], ["数据线", "USB-C Cable"]],
  },
  {
    slug: "apparel",
    zh: "服饰鞋包",
    en: "Apparel & Bags",
    items: [["纯棉T恤", "Cotton T-shirt"], ["羊毛围巾", "Wool Scarf"], ["帆布包", "Canvas Bag"], [
      "运动袜",
      "Sport Socks",
    ], ["羽绒服", "Down Jacket"]],
  },
  {
    slug: "sports",
    zh: "运动户外",
    en: "Sports & Outdoor",
    items: [["瑜伽垫", "Yoga Mat"], ["跳绳", "Jump Rope"], ["登山杖", "Trekking Pole"], ["运动水壶", "Sports Bottle"], [
      "速干毛巾",
      "Quick-dry Towel",
    ]],
  },
  {
    slug: "health",
    zh: "营养保健",
    en: "Health & Nutrition",
    items: [["维生素C", "Vitamin C"], ["蛋白粉", "Protein Powder"], ["鱼油", "Fish Oil"], ["益生菌", "Probiotics"], [
      "钙片",
      "Calcium Tablets",
    ]],
  },
  {
    slug: "care",
    zh: "个护清洁",
    en: "Personal Care",
    items: [["洗发水", "Shampoo"], ["沐浴露", "Body Wash"], ["护手霜", "Hand Cream"], ["牙膏", "Toothpaste"], [
      "洗衣液",
      "Laundry Liquid",
    ]],
  },
];
const BRANDS = ["晨露 Dew", "山谷 Valley", "云朵 Cloud", "小满 Xiaoman", "青禾 Qinghe", "北纬 North"];
const ORIGINS = ["上海", "杭州", "云南", "广州", "成都", "青岛"];
const ADJECTIVES = [
  ["保湿", "Hydrating"],
  ["经典", "Classic"],
  ["轻盈", "Light"],
  ["臻选", "Select"],
  ["便携", "Portable"],
  ["家庭装", "Family Size"],
  ["旗舰", "Premium"],
  ["清新", "Fresh"],
];
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高".split("");
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红".split("");

/** The demo shopper's e-mail when they have orders to look at (the demo history was written), else undefined. */
export async function demoShopperWithHistory(db: Db): Promise<string | undefined> {
  const [row] = await db.query(
    "SELECT 1 FROM orders o JOIN users u ON u.id = o.user_id WHERE lower(u.email) = $1 LIMIT 1",
    [DEMO_SHOPPER_EMAIL],
  );
  return row ? DEMO_SHOPPER_EMAIL : undefined;
}

/** Whether the database still needs demo data (no products yet). */
export async function needsDemoData(db: Db): Promise<boolean> {
  return (await countProducts(db)) === 0;
}

/**
 * Gives a shop without categories the standard ones (slugs, Chinese and English names of the demo shop):
 * products go into listed categories only (`services/catalogue_admin.ts`), and the console has no
 * category editor, so a shop started without demo data needs them to list anything. A shop that has
 * categories is left alone.
 */
export async function ensureCategories(db: Db): Promise<void> {
  const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM categories");
  if (n > 0) return;
  for (const [i, c] of CATEGORIES.entries()) {
    await db.query(
      "INSERT INTO categories (slug, name_zh, name_en, sort) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING",
      [c.slug, c.zh, c.en, i],
    );
  }
}

/** How big the demo shop is: its catalogue, its members and (when given) the history it has lived. */
export interface DemoCounts {
  products: number;
  members: number;
  /** The referral tree is at least this many generations deep. */
  minDepth: number;
  /** Shares of the members in each of the demo distributor's tiers (the rest sit deeper in the tree). */
  teamShares?: readonly number[];
  /** Days of history the shop has lived, written by the real services (`seedHistory`); none when left out. */
  history?: HistoryCounts;
}

/** What seeding made. */
export interface DemoSeeded {
  products: number;
  members: number;
  /** The history written, or null (none asked for, or it failed and was left out: see the log). */
  history: HistorySummary | null;
}

/** Options of `seedDemoData`. */
export interface SeedOptions {
  /** Seals the history's delivery addresses: the app's box (the development key when left out). */
  box?: CryptoBox;
  /** The moment the history ends (now). */
  now?: Date;
  /** Where a history that could not be written is reported. */
  log?: Logger;
  /** Fail when the history cannot be written, instead of reporting it and leaving it out (tests). */
  strict?: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Seeds the demo shop: categories and products with generated images, a demo distributor and a
 * referral tree of members under them (at least `minDepth` generations deep, a team of several
 * hundred in the distributor's three tiers), who joined over the history's days; then, with
 * `counts.history`, the days the shop has lived (`seedHistory`). The catalogue and the members are
 * written set-based, each row at the moment it describes (the transaction's SQL clock, db/history_db.ts).
 * Idempotent: does nothing when products exist.
 */
export async function seedDemoData(
  db: Db,
  counts: DemoCounts = appConfig.demo,
  options: SeedOptions = {},
): Promise<DemoSeeded> {
  if (!(await needsDemoData(db))) return { products: 0, members: 0, history: null };
  const rand = prng(20261121);
  const end = options.now ?? new Date();
  const days = counts.history?.days ?? 90;
  const today = shopCalendar(end);
  // The first day of history starts at midnight; the shop opened the day before.
  const start = shopMidnight(today.year, today.month, today.day - (days - 1));
  const opened = new Date(start.getTime() - DAY_MS);
  const memberHash = await hashPassword(DEMO_MEMBER_PASSWORD);

  await db.transaction(async (tx) => {
    const at = historyDb(tx, () => opened);
    const root = (await findUserByEmail(at, DEMO_DISTRIBUTOR.email)) ??
      await register(at, {
        email: DEMO_DISTRIBUTOR.email,
        password: DEMO_DISTRIBUTOR.password,
        name: DEMO_DISTRIBUTOR.name,
      }, "distributor");
    for (const [i, c] of CATEGORIES.entries()) {
      await at.query(
        "INSERT INTO categories (slug, name_zh, name_en, sort) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING",
        [
          c.slug,
          c.zh,
          c.en,
          i,
        ],
      );
    }
    const products = [];
    for (let i = 0; i < counts.products; i++) {
      const cat = CATEGORIES[i % CATEGORIES.length];
      const [nounZh, nounEn] = cat.items[Math.floor(rand() * cat.items.length)];
      const [adjZh, adjEn] = ADJECTIVES[Math.floor(rand() * ADJECTIVES.length)];
      const price = (Math.round((19 + rand() * 580) * 10) / 10).toFixed(2);
      const cost = (Number(price) * (0.4 + rand() * 0.3)).toFixed(2);
      products.push({
        slug: cat.slug,
        name: `${adjZh}${nounZh} ${i + 1}号`,
        name_en: `${adjEn} ${nounEn} No.${i + 1}`,
        description: `${cat.zh}精选：${adjZh}${nounZh}，品质保障，七天无理由退换。`,
        price,
        cost_price: cost,
        stock: rand() < 0.08 ? Math.floor(rand() * 8) : 20 + Math.floor(rand() * 480),
        low_stock_threshold: 10,
        sales_count: Math.floor(rand() * 2000),
        brand: BRANDS[Math.floor(rand() * BRANDS.length)],
        specs: JSON.stringify({
          "产地 Origin": ORIGINS[Math.floor(rand() * ORIGINS.length)],
          "规格 Size": `${1 + Math.floor(rand() * 5)} 件装`,
        }),
        featured: i % 17 === 0,
      });
    }
    await at.query(
      "INSERT INTO brands (name) SELECT unnest(string_to_array($1, '|')) ON CONFLICT (name) DO NOTHING",
      [BRANDS.join("|")],
    );
    await at.query(
      `INSERT INTO products (category_id, brand_id, name, name_en, description, price, cost_price, stock, low_stock_threshold,
                             sales_count, specs, featured)
       SELECT c.id, b.id, p.name, p.name_en, p.description, p.price, p.cost_price, p.stock, p.low_stock_threshold, p.sales_count,
              p.specs::jsonb, p.featured
         FROM jsonb_to_recordset($1::text::jsonb) AS p(slug text, name text, name_en text, description text, price numeric,
              cost_price numeric, stock int, low_stock_threshold int, sales_count int, brand text, specs text, featured boolean)
         JOIN categories c ON c.slug = p.slug JOIN brands b ON b.name = p.brand`,
      [JSON.stringify(products)],
    );
    // T-shirts, socks and down jackets come in colour × size: each product's single SKU becomes the first
    // combination, the others share its stock (XL costs ¥10 more).
    await at.query(
      `WITH wear AS (
         SELECT p.id, p.price, p.cost_price, p.stock, s.id AS sku_id FROM products p
           JOIN product_skus s ON s.product_id = p.id WHERE p.name ~ 'T恤|运动袜|羽绒服'),
       combos AS (
         SELECT c.color, z.size, row_number() OVER (ORDER BY c.o, z.o) AS n
           FROM unnest($1::text[]) WITH ORDINALITY c(color, o), unnest($2::text[]) WITH ORDINALITY z(size, o)),
       first AS (
         UPDATE product_skus s SET specs = jsonb_build_object('颜色', c.color, '尺码', c.size),
                code = 'P' || w.id || '-1', stock = w.stock - (w.stock / 12) * 11, low_stock_threshold = 3
           FROM wear w, combos c WHERE s.id = w.sku_id AND c.n = 1),
       axes AS (
         UPDATE products p SET sku_axes = jsonb_build_array(
                  jsonb_build_object('name', '颜色', 'values', to_jsonb($1::text[])),
                  jsonb_build_object('name', '尺码', 'values', to_jsonb($2::text[]))),
                low_stock_threshold = 36
           FROM wear w WHERE p.id = w.id)
       INSERT INTO product_skus (product_id, code, specs, price, cost_price, stock, low_stock_threshold, sort)
       SELECT w.id, 'P' || w.id || '-' || c.n, jsonb_build_object('颜色', c.color, '尺码', c.size),
              w.price + CASE WHEN c.size = 'XL' THEN 10 ELSE 0 END, w.cost_price, w.stock / 12, 3, c.n - 1
         FROM wear w, combos c WHERE c.n > 1 ORDER BY w.id, c.n`,
      [["白色", "黑色", "藏青"], ["S", "M", "L", "XL"]],
    );

    // Two coupons for the shop's 领券 strip: ¥20 off over ¥100 (the first 1,000 claims), and 10 % off.
    await at.query(
      `INSERT INTO coupons (code, kind, value, min_subtotal, claimable, total_limit)
       VALUES ('WELCOME20', 'amount_off', 20, 100, true, 1000), ('SAVE10', 'percent_off', 0.10, NULL, true, NULL)
       ON CONFLICT (code) DO NOTHING`,
    );

    // Every SKU's opening stock is a movement, as a product created in the console records it.
    await at.query(
      `INSERT INTO stock_movements (product_id, sku_id, on_hand_delta, reserved_delta, reason)
       SELECT product_id, id, stock, 0, 'create' FROM product_skus WHERE stock > 0 ORDER BY id`,
    );

    const members = demoMembers(rand, counts, root.referral_code, start, end);
    const [{ first }] = await at.query<{ first: string }>(
      `WITH ins AS (
         INSERT INTO users (email, name, password_hash, role, referral_code, created_at)
         SELECT m.email, m.name, $2, 'shopper', m.code, m.joined
           FROM jsonb_to_recordset($1::text::jsonb) AS m(code text, parent text, name text, email text, joined timestamptz)
          ORDER BY m.joined
         RETURNING id)
       SELECT min(id) AS first FROM ins`,
      [JSON.stringify(members), memberHash],
    );
    await at.query(
      `UPDATE users u SET upline_id = p.id
         FROM jsonb_to_recordset($1::text::jsonb) AS m(code text, parent text), users p
        WHERE u.referral_code = m.code AND p.referral_code = m.parent`,
      [JSON.stringify(members.map(({ code, parent }) => ({ code, parent })))],
    );
    for (let depth = 1; depth <= MAX_TIERS; depth++) {
      // The ancestor `depth` tiers up is the (depth-1)-tier ancestor's upline.
      const from = depth === 1
        ? "SELECT u.upline_id AS a, u.id AS d FROM users u WHERE u.id >= $1 AND u.upline_id IS NOT NULL"
        : `SELECT p.upline_id AS a, rp.descendant_id AS d FROM referral_paths rp JOIN users p ON p.id = rp.ancestor_id
            WHERE rp.depth = ${depth - 1} AND rp.descendant_id >= $1 AND p.upline_id IS NOT NULL`;
      await at.query(
        `INSERT INTO referral_paths (ancestor_id, descendant_id, depth) SELECT a, d, ${depth} FROM (${from}) x`,
        [first],
      );
    }
    // The derived team figures (members per tier, joins per day) follow the tree just built.
    await rebuildTeamFigures(at);
    await at.release();
  });
  const history = counts.history ? await seedHistory(db, { start, end, counts: counts.history, ...options }) : null;
  // The home page's banners, blocks and flash sales, after the history: the flash sales start about now
  // and pick today's best sellers (the history never priced an order at them).
  await seedHomeArrangement(db, end);
  return { products: counts.products, members: counts.members, history };
}

/** A generated member: referral code, the upline's code, name, e-mail and when they joined. */
interface DemoMember {
  code: string;
  parent: string;
  name: string;
  email: string;
  joined: string;
}

/**
 * The demo members in the order they joined, between `start` and `end` (more of them lately, as a
 * growing shop): a spine of `minDepth` generations first (member1 is the demo distributor's first
 * recruit), then members placed by `teamShares` in the distributor's tiers 1–3 under an earlier
 * member of the tier above, and the rest under earlier members of tier 3 and below (their own teams).
 */
function demoMembers(
  rand: () => number,
  counts: DemoCounts,
  rootCode: string,
  start: Date,
  end: Date,
): DemoMember[] {
  const shares = counts.teamShares ?? [0.015, 0.075, 0.21];
  const usedCodes = new Set([rootCode]);
  const newCode = () => {
    for (;;) {
      const bytes = new Uint8Array(8).map(() => Math.floor(rand() * 256));
      const code = referralCodeFrom(bytes);
      if (!usedCodes.has(code)) {
        usedCodes.add(code);
        return code;
      }
    }
  };
  const span = Math.max(end.getTime() - start.getTime() - 3_600_000, 0);
  /** Codes of the members placed so far by their depth under the demo distributor (0: the distributor). */
  const byDepth: string[][] = [[rootCode]];
  const out: DemoMember[] = [];
  const pick = (list: string[]) => list[Math.floor(rand() * list.length)];
  for (let i = 0; i < counts.members; i++) {
    let depth: number;
    if (i < counts.minDepth) depth = i + 1;
    else {
      // One of the distributor's tiers by its share, or (0) below them.
      let r = rand();
      depth = 0;
      for (const [k, share] of shares.entries()) {
        if (r < share) {
          depth = k + 1;
          break;
        }
        r -= share;
      }
      if (depth === 0) {
        // Below the distributor's tiers: under anyone of the last tier or deeper.
        let n = Math.floor(rand() * byDepth.slice(MAX_TIERS).reduce((sum, list) => sum + list.length, 0));
        depth = MAX_TIERS;
        for (let d = MAX_TIERS; d < byDepth.length && n >= 0; d++) {
          if (n < byDepth[d].length) depth = d + 1;
          n -= byDepth[d].length;
        }
      }
      while (!byDepth[depth - 1]?.length) depth--;
    }
    const parent = pick(byDepth[depth - 1]);
    const code = newCode();
    (byDepth[depth] ??= []).push(code);
    const name = SURNAMES[Math.floor(rand() * SURNAMES.length)] + GIVEN[Math.floor(rand() * GIVEN.length)] +
      (rand() < 0.5 ? GIVEN[Math.floor(rand() * GIVEN.length)] : "");
    // Joins grow over time: the i-th member joined at (i / n)^0.75 of the way.
    const joined = new Date(start.getTime() + Math.floor(span * (i / counts.members) ** 0.75 + rand() * 600_000));
    out.push({ code, parent, name, email: `member${i + 1}@demo.example`, joined: joined.toISOString() });
  }
  return out;
}
