/**
 * Backups of embedded PGlite: a snapshot taken through the running app's control socket while orders are
 * placed and paid, restored into a fresh directory, holds every order committed before it began and a
 * balanced ledger, and the app starts on it. PGlite only: PostgreSQL is backed up with pg_dump.
 */
import assert from "node:assert/strict";
import { buyAndPay, DATABASE_URL, TestClient, testSettings } from "./helpers.ts";
import { startServer } from "../main.ts";
import { createLogger } from "../lib/log.ts";
import { BackupError, pruneBackups, restoreBackup, saveBackup, snapshotDataDir } from "../services/backup.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

if (DATABASE_URL) console.log("backup_test: skipped on PostgreSQL (DATABASE_URL is set); pg_dump backs it up");

Deno.test({
  name: "a backup taken under load restores into a fresh directory with every committed order and a balanced ledger",
  ignore: !!DATABASE_URL,
  ...opts,
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "sm-data-" });
    const backupDir = await Deno.makeTempDir({ prefix: "sm-backups-" });
    const restoredDir = `${await Deno.makeTempDir({ prefix: "sm-restored-" })}/data`;
    const settings = testSettings({ DATA_DIR: dataDir, BACKUP_DIR: backupDir, BACKUP_KEEP: "2" });
    const server = await startServer(settings, { log: createLogger("silent") });
    let committedBefore: string[] = [];
    try {
      const admin = new TestClient((req) => fetch(req), server.url);
      assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
      const productIds = await Promise.all(Array.from({ length: 4 }, async (_, i) => {
        const res = await admin.json<{ product: { id: string } }>("POST", "/api/admin/products", {
          json: {
            name: `备份 ${i}`,
            category: "beauty",
            price: "88.00",
            costPrice: "10.00",
            stock: 1000,
            lowStockThreshold: 0,
          },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        return res.body.product.id;
      }));
      // Buyers referred by a member, so that paying posts commission to the ledger.
      const referrer = await new TestClient((req) => fetch(req), server.url).register("ref@backup.example", "推荐人");
      const buyers = await Promise.all(Array.from({ length: 6 }, async (_, i) => {
        const client = new TestClient((req) => fetch(req), server.url);
        await client.register(`b${i}@backup.example`, `买家${i}`, { referralCode: referrer.referralCode });
        return client;
      }));
      const secret = settings.paymentSandboxSecret;

      // Orders committed (paid) before the backup began, then buyers that keep buying while it is taken.
      const committed: string[] = [];
      await Promise.all(buyers.map(async (b, i) => {
        for (let n = 0; n < 2; n++) committed.push(await buyAndPay(b, secret, productIds[(i + n) % 4]));
      }));
      let stop = false;
      let duringLoad = 0;
      const load = Promise.all(buyers.map(async (b, i) => {
        while (!stop) {
          await buyAndPay(b, secret, productIds[i % 4]);
          duringLoad++;
        }
      }));
      await new Promise((r) => setTimeout(r, 300));
      committedBefore = [...committed];
      const loadBefore = duringLoad;
      const { bytes, via } = await snapshotDataDir(dataDir);
      const loadAfter = duringLoad;
      stop = true;
      await load;
      assert.equal(via, "app", "the running app takes the snapshot");
      assert.ok(loadAfter > loadBefore, `orders were paid while the snapshot was taken (${loadBefore} → ${loadAfter})`);

      // Saving keeps the newest BACKUP_KEEP files.
      const { file } = await saveBackup(bytes, backupDir, 2);
      await saveBackup(bytes, backupDir, 2, new Date(Date.now() - 60_000));
      await saveBackup(bytes, backupDir, 2, new Date(Date.now() - 120_000));
      assert.deepEqual(await pruneBackups(backupDir, 2), []);
      const kept = [...Deno.readDirSync(backupDir)].map((e) => e.name);
      assert.equal(kept.length, 2);
      assert.ok(kept.includes(file.split("/").pop()!));

      // A restore never overwrites a database.
      await assert.rejects(() => restoreBackup(file, dataDir), BackupError);
      const restored = await restoreBackup(file, restoredDir);
      assert.ok(restored.orders >= committedBefore.length);
    } finally {
      await server.close();
    }

    // The app starts on the restored directory and finds every order committed before the backup.
    const again = await startServer(testSettings({ DATA_DIR: restoredDir }), { log: createLogger("silent") });
    try {
      const health = await fetch(`${again.url}/healthz`);
      assert.equal((await health.json()).status, "ok");
      const orders = await again.db.query<{ id: string; status: string }>("SELECT id, status FROM orders");
      const byId = new Map(orders.map((o) => [String(o.id), o.status]));
      assert.equal(committedBefore.length, 12);
      for (const id of committedBefore) {
        assert.ok(byId.has(id), `order ${id}, paid before the backup, is in it`);
        assert.notEqual(byId.get(id), "pending_payment", `order ${id} is still paid`);
      }
      const unbalanced = await again.db.query(
        "SELECT transaction_id, sum(amount) AS total FROM ledger_entries GROUP BY transaction_id HAVING sum(amount) <> 0",
      );
      assert.deepEqual(unbalanced, []);
      const [{ n }] = await again.db.query<{ n: string }>("SELECT count(*) AS n FROM ledger_transactions");
      assert.ok(Number(n) > 0, "the ledger has transactions");
      const orphans = await again.db.query(
        "SELECT t.id FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id WHERE e.id IS NULL",
      );
      assert.deepEqual(orphans, [], "no ledger transaction lost its entries");
    } finally {
      await again.close();
    }
  },
});
