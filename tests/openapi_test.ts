import assert from "node:assert/strict";
import { createTestApp } from "./helpers.ts";

const app = await createTestApp();
const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test(
  "GET /api/openapi.json is an OpenAPI 3.1 document covering the contract's routes with their schemas",
  opts,
  async () => {
    const res = await app.client().json<
      {
        openapi: string;
        paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
      }
    >(
      "GET",
      "/api/openapi.json",
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, "3.1.0");
    const contract = [
      ["post", "/api/auth/register"],
      ["post", "/api/auth/login"],
      ["post", "/api/auth/logout"],
      ["get", "/api/me"],
      ["get", "/api/products"],
      ["get", "/api/products/{id}"],
      ["post", "/api/orders"],
      ["get", "/api/orders/{id}"],
      ["post", "/api/orders/{id}/pay"],
      ["post", "/api/payments/webhook/sandbox"],
      ["post", "/api/orders/{id}/cancel"],
      ["post", "/api/orders/{id}/confirm-receipt"],
      ["post", "/api/orders/{id}/refunds"],
      ["get", "/api/me/team"],
      ["get", "/api/me/commissions"],
      ["post", "/api/me/withdrawals"],
      ["get", "/api/admin/commission-plan"],
      ["put", "/api/admin/commission-plan"],
      ["post", "/api/admin/products"],
      ["patch", "/api/admin/products/{id}"],
      ["post", "/api/admin/coupons"],
      ["post", "/api/admin/orders/{id}/ship"],
      ["post", "/api/admin/refunds/{id}/approve"],
      ["post", "/api/admin/withdrawals/{id}/approve"],
      ["get", "/api/admin/audit"],
      ["post", "/api/admin/users/{id}/role"],
    ];
    for (const [method, path] of contract) assert.ok(res.body.paths[path]?.[method], `${method} ${path}`);
    const register = res.body.paths["/api/auth/register"].post.requestBody as {
      content: { "application/json": { schema: { properties: Record<string, unknown> } } };
    };
    assert.deepEqual(Object.keys(register.content["application/json"].schema.properties).sort(), [
      "email",
      "name",
      "password",
      "referralCode",
    ]);
    assert.ok(res.body.paths["/api/orders"].post.responses["409"]);
  },
);

Deno.test("teardown", opts, async () => {
  await app.close();
});
