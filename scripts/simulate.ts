/**
 * `deno task simulate`: keeps registering members (under random existing referrers) against a
 * running server so that live pages move. Bounded: stops after DURATION seconds or COUNT members.
 *
 * Settings: BASE_URL (default http://127.0.0.1:8000), RATE per second (default 1),
 * DURATION seconds (default 300), COUNT (default unlimited within the duration).
 */
import { z } from "zod";

const env = z.object({
  BASE_URL: z.url().default("http://127.0.0.1:8000"),
  RATE: z.coerce.number().positive().max(200).default(1),
  DURATION: z.coerce.number().positive().max(86400).default(300),
  COUNT: z.coerce.number().int().positive().optional(),
}).parse(Deno.env.toObject());

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚";
const pick = (s: string) => s[Math.floor(Math.random() * s.length)];

/** Referral codes of members this run created, plus the demo distributor's. */
const codes: string[] = [];
const login = await fetch(`${env.BASE_URL}/api/auth/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ email: "distributor@example.com", password: "demo-distributor-1" }),
});
if (login.ok) codes.push((await login.json()).user.referralCode);
else await login.body?.cancel();

const deadline = Date.now() + env.DURATION * 1000;
const runId = Date.now().toString(36);
let created = 0;
let failed = 0;
console.log(`Simulating ${env.RATE}/s against ${env.BASE_URL} for ${env.DURATION}s`);
while (Date.now() < deadline && (env.COUNT === undefined || created < env.COUNT)) {
  const started = Date.now();
  const referralCode = codes.length && Math.random() < 0.9
    ? codes[Math.floor(Math.random() * codes.length)]
    : undefined;
  const res = await fetch(`${env.BASE_URL}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `sim-${runId}-${created + failed}@sim.example`,
      password: "simulated-member-1",
      name: pick(SURNAMES) + pick(GIVEN) + pick(GIVEN),
      referralCode,
    }),
  });
  if (res.ok) {
    created++;
    codes.push((await res.json()).user.referralCode);
  } else {
    failed++;
    console.error(`register failed: ${res.status} ${await res.text()}`);
  }
  const wait = 1000 / env.RATE - (Date.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
console.log(`Done: ${created} members registered, ${failed} failures`);
