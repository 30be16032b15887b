/** `deno task seed`: migrates the configured database and fills an empty shop with demo data and its history. */
import { parseSettings } from "../config.ts";
import { openDb } from "../db/db.ts";
import { migrate } from "../db/migrate.ts";
import { CryptoBox } from "../lib/crypto_box.ts";
import { withLocalKey } from "../lib/local_key.ts";
import { createLogger } from "../lib/log.ts";
import { appConfig } from "../fresh.config.ts";
import { ensureManager } from "../services/accounts.ts";
import { DEMO_DISTRIBUTOR, DEMO_MEMBER_PASSWORD, needsDemoData, seedDemoData } from "../services/demo_data.ts";

const settings = await withLocalKey(parseSettings(Deno.env.toObject()));
const db = await openDb({ databaseUrl: settings.DATABASE_URL, dataDir: settings.DATA_DIR });
try {
  await migrate(db);
  const admin = await ensureManager(db, settings.ADMIN_EMAIL, settings.ADMIN_PASSWORD);
  if (admin.created) console.log(`Manager: ${admin.email}${admin.password ? ` / ${admin.password}` : ""}`);
  if (await needsDemoData(db)) {
    const seeded = await seedDemoData(db, appConfig.demo, {
      box: CryptoBox.fromSettings(settings),
      log: createLogger(settings.LOG_LEVEL),
    });
    const history = seeded.history;
    console.log(`Demo data: ${seeded.products} products, ${seeded.members} members`);
    if (history) {
      console.log(
        `History: ${history.days} days, ${history.orders} orders (${history.paid} paid), ${history.refunds} after-sales requests, ${history.withdrawals} withdrawals`,
      );
    }
  } else {
    console.log("The shop already has products; demo data left as it is.");
  }
  console.log(`Demo distributor: ${DEMO_DISTRIBUTOR.email} / ${DEMO_DISTRIBUTOR.password}`);
  console.log(
    `Demo shoppers: member1@demo.example … member${appConfig.demo.members}@demo.example / ${DEMO_MEMBER_PASSWORD}`,
  );
} finally {
  await db.close();
}
