import assert from "node:assert/strict";
import { welcomeBanner } from "./welcome.ts";

Deno.test("welcomeBanner() names the URL and every demo account, and a generated password once", () => {
  const text = welcomeBanner({
    url: "http://127.0.0.1:8000",
    db: "pglite",
    manager: { email: "admin@example.com", password: "s3cret-once", createdNow: true },
    demo: {
      distributor: { email: "distributor@example.com", password: "demo-distributor-1" },
      memberEmails: "member1@demo.example … member2000@demo.example",
      memberPassword: "demo-member-1",
      shopper: "member1@demo.example",
      history: { days: 90, orders: 618 },
    },
  });
  for (
    const part of [
      "http://127.0.0.1:8000",
      "http://127.0.0.1:8000/admin",
      "admin@example.com",
      "s3cret-once",
      "distributor@example.com",
      "demo-distributor-1",
      "member1@demo.example",
      "demo-member-1",
      "90 days, 618 orders",
    ]
  ) assert.ok(text.includes(part), part);
  assert.ok(!text.includes("{"), "plain text, not a JSON line");

  const later = welcomeBanner({
    url: "http://127.0.0.1:8000",
    db: "postgres",
    manager: { email: "admin@example.com", createdNow: false },
  });
  assert.ok(!later.includes("s3cret"));
  assert.ok(!later.includes("Distributor"));
  assert.match(later, /set earlier/);
});
