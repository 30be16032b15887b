import type { Db } from "../db/db.ts";
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

/** A small deterministic PRNG (mulberry32) so demo data is the same on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether the database still needs demo data (no products yet). */
export async function needsDemoData(db: Db): Promise<boolean> {
  return (await countProducts(db)) === 0;
}

/**
 * Seeds the demo shop: categories and products with generated images, a demo distributor and a
 * referral tree of members under them, at least `minDepth` generations deep. Idempotent: does
 * nothing when products exist.
 */
export async function seedDemoData(db: Db, counts = appConfig.demo): Promise<{ products: number; members: number }> {
  if (!(await needsDemoData(db))) return { products: 0, members: 0 };
  const rand = prng(20261121);
  const root = (await findUserByEmail(db, DEMO_DISTRIBUTOR.email)) ??
    await register(db, {
      email: DEMO_DISTRIBUTOR.email,
      password: DEMO_DISTRIBUTOR.password,
      name: DEMO_DISTRIBUTOR.name,
    }, "distributor");
  const memberHash = await hashPassword(DEMO_MEMBER_PASSWORD);

  await db.transaction(async (tx) => {
    for (const [i, c] of CATEGORIES.entries()) {
      await tx.query("INSERT INTO categories (slug, name_zh, name_en, sort) VALUES ($1, $2, $3, $4)", [
        c.slug,
        c.zh,
        c.en,
        i,
      ]);
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
    await tx.query(
      "INSERT INTO brands (name) SELECT unnest(string_to_array($1, '|')) ON CONFLICT (name) DO NOTHING",
      [BRANDS.join("|")],
    );
    await tx.query(
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
    await tx.query(
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
    await tx.query(
      `INSERT INTO coupons (code, kind, value, min_subtotal, claimable, total_limit)
       VALUES ('WELCOME20', 'amount_off', 20, 100, true, 1000), ('SAVE10', 'percent_off', 0.10, NULL, true, NULL)
       ON CONFLICT (code) DO NOTHING`,
    );

    // The referral tree: a spine of `minDepth` generations, then members attached to recent ones.
    const members: { code: string; parent: string; name: string; email: string; days: number }[] = [];
    const codes = [root.referral_code];
    const usedCodes = new Set(codes);
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
    for (let i = 0; i < counts.members; i++) {
      const parent = i < counts.minDepth
        ? codes[codes.length - 1]
        : codes[Math.floor(codes.length * Math.sqrt(rand()))];
      const code = newCode();
      const name = SURNAMES[Math.floor(rand() * SURNAMES.length)] + GIVEN[Math.floor(rand() * GIVEN.length)] +
        (rand() < 0.5 ? GIVEN[Math.floor(rand() * GIVEN.length)] : "");
      members.push({ code, parent, name, email: `member${i + 1}@demo.example`, days: Math.floor(rand() * 90) });
      codes.push(code);
    }
    const [{ first }] = await tx.query<{ first: string }>(
      `WITH ins AS (
         INSERT INTO users (email, name, password_hash, role, referral_code, created_at)
         SELECT m.email, m.name, $2, 'shopper', m.code, now() - make_interval(days => m.days, secs => m.days * 137)
           FROM jsonb_to_recordset($1::text::jsonb) AS m(code text, parent text, name text, email text, days int)
         RETURNING id)
       SELECT min(id) AS first FROM ins`,
      [JSON.stringify(members), memberHash],
    );
    await tx.query(
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
      await tx.query(
        `INSERT INTO referral_paths (ancestor_id, descendant_id, depth) SELECT a, d, ${depth} FROM (${from}) x`,
        [first],
      );
    }
    // The derived team figures (members per tier, joins per day) follow the tree just built.
    await rebuildTeamFigures(tx);
  });
  await seedHomeArrangement(db);
  return { products: counts.products, members: counts.members };
}
