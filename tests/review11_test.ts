/**
 * Review of issue 11's hardening (an outside reviewer trying to break each point): login throttling,
 * hostile text, money rules. Each test here failed against the code as the review found it.
 */
import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";
import { demoteInactive } from "../services/programme.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };
const app = await createTestApp();

type ApiError = { error: { code: string; message: string } };

Deno.test(
  "login throttling: spellings of an email that the database folds to the same account share one counter",
  opts,
  async () => {
    await app.client().register("kiwi-victim@example.com", "Kiwi");
    const attacker = app.client();
    const statuses: number[] = [];
    // "İ" (U+0130) lower-cases to "i" in PostgreSQL and PGlite, but to "i̇" (two code points) in JavaScript.
    for (const email of ["kiwi-victim@example.com", "kİwi-victim@example.com", "kiwİ-victim@example.com"]) {
      for (let i = 0; i < 10; i++) {
        statuses.push((await attacker.login(email, `wrong-${i}`)).status);
        await app.db.query("UPDATE login_throttle SET not_before = NULL"); // skip the progressive delay
      }
    }
    const checked = statuses.filter((s) => s === 401).length;
    assert.ok(checked <= 10, `${checked} passwords were checked for one account (limit 10)`);
  },
);

Deno.test("login throttling: the guessing notification is in the reader's language", opts, async () => {
  const victim = app.client();
  await victim.register("guessed-lang@example.com", "Guessed");
  const attacker = app.client();
  for (let i = 0; i < 6; i++) {
    await attacker.login("guessed-lang@example.com", `wrong-${i}`);
    await app.db.query("UPDATE login_throttle SET not_before = NULL");
  }
  const en = await victim.json<{ items: { kind: string; title: string; body: string }[] }>(
    "GET",
    "/api/me/notifications",
    { headers: { "accept-language": "en" } },
  );
  const zh = await victim.json<{ items: { kind: string; title: string; body: string }[] }>(
    "GET",
    "/api/me/notifications",
    { headers: { "accept-language": "zh-CN" } },
  );
  const enNote = en.body.items.find((n) => n.kind === "login_guessing");
  const zhNote = zh.body.items.find((n) => n.kind === "login_guessing");
  assert.ok(enNote && zhNote, "the member was told");
  assert.doesNotMatch(enNote.title + enNote.body, /[\u4e00-\u9fff]/, "no Chinese in the English notification");
  assert.doesNotMatch(zhNote.title + zhNote.body, /\b(Someone|sign in|wrong|passwords)\b/, "no English in zh-CN");
});

Deno.test(
  "link clicks: one address inventing a new visitor cookie or browser on every request cannot inflate a link's clicks",
  opts,
  async () => {
    const owner = await app.client().register("click-owner@example.com", "Clicker");
    const code = owner.referralCode;
    const [{ id }] = await app.db.query<{ id: string }>("SELECT id FROM users WHERE email = 'click-owner@example.com'");
    for (let i = 0; i < 30; i++) {
      // Half send a made-up (well-formed) visitor cookie, half no cookie and another browser name.
      const headers: Record<string, string> = i % 2
        ? { cookie: `vid=${crypto.randomUUID()}` }
        : { "user-agent": `Mozilla/5.0 bot-${i}` };
      const res = await app.fetch(new Request(`http://localhost/?ref=${code}`, { headers }));
      await res.body?.cancel();
    }
    await app.visits.flush();
    const [{ n }] = await app.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM referral_visits WHERE referrer_id = $1",
      [id],
    );
    assert.ok(n <= 20, `${n} clicks counted from one address (at most 20 per link and day)`);
  },
);

Deno.test(
  "team search: a tier-2 member with a one-character name (shown as ***) cannot be found or sorted by that character",
  opts,
  async () => {
    const admin = app.client();
    assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
    const head = app.client();
    const top = await head.register("mask-head@example.com", "Head");
    await admin.json("POST", `/api/admin/users/${top.id}/role`, { json: { role: "distributor" } });
    const mid = await app.client().register("mask-mid@example.com", "Middle", { referralCode: top.referralCode });
    await app.client().register("mask-deep@example.com", "鑫", { referralCode: mid.referralCode });
    await app.client().register("mask-deep2@example.com", "鑫宇", { referralCode: mid.referralCode });
    await app.client().register("mask-deep3@example.com", "王明", { referralCode: mid.referralCode });
    const all = await head.json<{ items: { name: string; tier: number }[] }>("GET", "/api/me/team/search?tier=2");
    assert.deepEqual(all.body.items.map((i) => i.name).sort(), ["***", "王**", "鑫**"], JSON.stringify(all.body));
    const found = await head.json<{ items: { name: string }[] }>(
      "GET",
      `/api/me/team/search?q=${encodeURIComponent("鑫")}`,
    );
    assert.deepEqual(found.body.items.map((i) => i.name), ["鑫**"], "only the member whose initial is shown matches");
    // Sorting by name puts the masked one-character name with the other masked names, not by its hidden character.
    const asc = await head.json<{ items: { name: string }[] }>("GET", "/api/me/team/search?tier=2&sort=name&dir=asc");
    assert.deepEqual(asc.body.items.map((i) => i.name), ["***", "王**", "鑫**"]);
  },
);

Deno.test(
  "a member who registers while their upline is being moved is bound under the upline's new chain, and the counts agree",
  opts,
  async () => {
    const admin = app.client();
    assert.equal((await admin.login("admin@test.example", "admin-password-1")).status, 200);
    const mk = (email: string, code?: string) =>
      app.client().register(email, "Racer", code ? { referralCode: code } : {});
    for (let round = 0; round < 6; round++) {
      const oldTop = await mk(`race-old-${round}@example.com`);
      const newTop = await mk(`race-new-${round}@example.com`);
      const mid = await mk(`race-mid-${round}@example.com`, oldTop.referralCode);
      const [moved, joined] = await Promise.all([
        admin.json("POST", `/api/admin/users/${mid.id}/upline`, { json: { uplineId: newTop.id } }),
        mk(`race-joiner-${round}@example.com`, mid.referralCode),
      ]);
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
      const paths = await app.db.query<{ ancestor_id: string; depth: number }>(
        "SELECT ancestor_id::text, depth FROM referral_paths WHERE descendant_id = $1 ORDER BY depth",
        [joined.id],
      );
      assert.deepEqual(
        paths.map((p) => [p.ancestor_id, p.depth]),
        [[String(mid.id), 1], [String(newTop.id), 2]],
        `round ${round}: the joiner's chain follows the move`,
      );
      const counts = await app.db.query<{ ancestor_id: string; members: number }>(
        "SELECT ancestor_id::text, members FROM team_counts WHERE ancestor_id = ANY($1::bigint[]) AND depth = 2",
        [[oldTop.id, newTop.id]],
      );
      const at = (id: string) => counts.find((c) => c.ancestor_id === String(id))?.members ?? 0;
      assert.deepEqual([at(oldTop.id), at(newTop.id)], [0, 1], `round ${round}: tier-2 counts`);
    }
  },
);

Deno.test(
  "two inactivity sweeps at once (two instances) demote a quiet distributor one step, recorded and notified once",
  opts,
  async () => {
    const now = new Date();
    const day = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const m = await app.client().register(`quiet-${i}@example.com`, "Quiet");
      ids.push(String(m.id));
      await app.db.query("UPDATE users SET rank = 'gold', role = 'distributor' WHERE id = $1", [m.id]);
      await app.db.query(
        "INSERT INTO team_daily (ancestor_id, depth, day, sales, orders) VALUES ($1, 1, $2::date, 100, 1)",
        [m.id, day(400)],
      );
    }
    await Promise.all([demoteInactive(app.db, now), demoteInactive(app.db, now), demoteInactive(app.db, now)]);
    const rows = await app.db.query<{ rank: string; changes: number; notes: number }>(
      `SELECT u.rank, (SELECT count(*) FROM rank_changes r WHERE r.user_id = u.id)::int AS changes,
              (SELECT count(*) FROM notifications n WHERE n.user_id = u.id AND n.kind = 'rank_change')::int AS notes
         FROM users u WHERE u.id = ANY($1::bigint[])`,
      [ids],
    );
    for (const r of rows) assert.deepEqual(r, { rank: "silver", changes: 1, notes: 1 });
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});

export type { ApiError };
